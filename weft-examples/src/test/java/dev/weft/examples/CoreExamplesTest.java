package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.testing.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoreExamplesTest {

  @Test
  void spawnJoinAllEndsEveryTaskAndThePoolKeepsInputOrder() throws Exception {
    String out = Output.of(SpawnJoinAll::main, "2000");

    assertThat(out).contains("2,000 tasks waited 100 ms each").contains("sum of results 1,999,000");
    assertThat(out).contains("results in input order: [1, 4, 9, 16, 25, 36, 49, 64]");
  }

  /**
   * Runs the example on a virtual clock and wakes one download at a time, so the completion order
   * is the one the durations give, however loaded the machine is.
   */
  @Test
  void asCompletedReportsInCompletionOrderAndKeepsTheFailure() throws Exception {
    var clock = VirtualClock.create();
    var printed = new ByteArrayOutputStream();
    var out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    var example = new CompletableFuture<Void>();
    Thread.ofVirtual().start(() -> {
      try {
        AsCompleted.run(clock, out);
        example.complete(null);
      } catch (Throwable e) {
        example.completeExceptionally(e);
      }
    });
    List<Duration> downloads =
        AsCompleted.DOWNLOADS.values().stream().map(Duration::ofMillis).toList();
    await().atMost(Duration.ofSeconds(20)).until(() -> clock.pendingDelays().containsAll(downloads));
    for (int woken = 1; woken <= downloads.size(); woken++) {
      clock.advanceToNextAlarm();
      int expected = woken;
      await().atMost(Duration.ofSeconds(20)).until(() -> results(printed).size() == expected);
    }
    example.get(20, TimeUnit.SECONDS);

    assertThat(results(printed))
        .containsExactly(
            "saved us.gif",
            "saved cn.gif",
            "failed: no flag for ZZ: 404",
            "saved in.gif",
            "saved fr.gif",
            "saved br.gif");
    List<String> lines = lines(printed.toString(StandardCharsets.UTF_8));
    assertThat(lines.stream().filter(l -> l.startsWith("  callback:"))).hasSize(6);
    assertThat(lines).last().isEqualTo("5 downloaded, 1 failed");
  }

  private static List<String> results(ByteArrayOutputStream printed) {
    return lines(printed.toString(StandardCharsets.UTF_8)).stream()
        .filter(l -> l.startsWith("saved") || l.startsWith("failed"))
        .toList();
  }

  @Test
  void asCompletedRunsOnTheSystemClockFromMain() throws Exception {
    List<String> lines = lines(Output.of(AsCompleted::main));

    assertThat(lines.stream().filter(l -> l.startsWith("saved"))).hasSize(5);
    assertThat(lines).contains("failed: no flag for ZZ: 404").last().isEqualTo("5 downloaded, 1 failed");
  }

  @Test
  void producerConsumerJoinsAfterEveryJobIsDone() throws Exception {
    List<String> lines = lines(Output.of(ProducerConsumer::main));

    assertThat(lines.stream().filter(l -> l.matches("worker-[123] did job \\d+"))).hasSize(12);
    assertThat(lines).last().asString().startsWith("all 12 jobs done");
  }

  @Test
  void scheduledEventsRunByTimeThenPriorityAndTheCancelledOneNever() throws Exception {
    String out = Output.of(ScheduledEvents::main);

    assertThat(out).doesNotContain("never printed").contains("cancelled one: true");
    assertThat(out)
        .containsSubsequence(
            "at 100 ms",
            "at 200 ms, priority 0 (runs first)",
            "at 200 ms, priority 1",
            "at an absolute time, 300 ms");
  }

  @Test
  void onlyASharedThrottleLimitsConcurrency() throws Exception {
    assertThat(ThrottledRequests.fixed()).isLessThanOrEqualTo(3);
    assertThat(ThrottledRequests.broken()).isGreaterThan(3);
  }

  @Test
  void spinnerStopsWhenTheWorkIsDone() throws Exception {
    String out = Output.of(Spinner::main);

    assertThat(out).contains("thinking!").endsWith("\rAnswer: 42" + System.lineSeparator());
  }

  private static List<String> lines(String out) {
    return Arrays.asList(out.split("\\R"));
  }
}
