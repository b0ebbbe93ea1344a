package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
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

  @Test
  void asCompletedReportsInCompletionOrderAndKeepsTheFailure() throws Exception {
    List<String> lines = lines(Output.of(AsCompleted::main));

    List<String> results =
        lines.stream().filter(l -> l.startsWith("saved") || l.startsWith("failed")).toList();
    assertThat(results)
        .containsExactly(
            "saved us.gif",
            "saved cn.gif",
            "failed: no flag for ZZ: 404",
            "saved in.gif",
            "saved fr.gif",
            "saved br.gif");
    assertThat(lines.stream().filter(l -> l.startsWith("  callback:"))).hasSize(6);
    assertThat(lines).last().isEqualTo("5 downloaded, 1 failed");
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
