package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30) // a regression that blocks fails the test instead of hanging the build
class SchedulerTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final VirtualClock clock = VirtualClock.create(START);
  private final Scheduler scheduler = Scheduler.create(clock);
  private final List<String> ran = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  private Runnable record(String name) {
    return () -> ran.add(name + "@" + clock.elapsed().toMillis());
  }

  @Test
  void runsEventsInTimeOrder() {
    scheduler.enter(Duration.ofSeconds(3), 0, record("c"));
    scheduler.enter(Duration.ofSeconds(1), 0, record("a"));
    scheduler.enter(Duration.ofSeconds(2), 0, record("b"));
    clock.advance(Duration.ofSeconds(3));

    assertThat(scheduler.runPending()).isEqualTo(3);
    assertThat(ran).containsExactly("a@3000", "b@3000", "c@3000");
  }

  @Test
  void eventsDueTogetherRunByPriorityThenInEntryOrder() throws InterruptedException {
    scheduler.enter(Duration.ofSeconds(1), 5, record("low"));
    scheduler.enter(Duration.ofSeconds(1), 1, record("high-1"));
    scheduler.enter(Duration.ofSeconds(1), 1, record("high-2"));
    scheduler.enter(Duration.ofSeconds(1), -1, record("urgent"));
    scheduler.enter(Duration.ofSeconds(1), 5, record("low-2"));

    assertThat(scheduler.queue())
        .extracting(Scheduler.Event::priority)
        .containsExactly(-1, 1, 1, 5, 5);
    clock.advance(Duration.ofSeconds(1));
    scheduler.run();

    assertThat(ran).containsExactly("urgent@1000", "high-1@1000", "high-2@1000", "low@1000", "low-2@1000");
  }

  @Test
  void cancelRemovesTheRightOneOfTwoEqualEvents() {
    Runnable same = record("same");
    var first = scheduler.enter(Duration.ofSeconds(1), 0, same);
    var second = scheduler.enter(Duration.ofSeconds(1), 0, same);

    assertThat(scheduler.cancel(second)).isTrue();

    assertThat(scheduler.queue()).containsExactly(first);
    assertThat(first.sequence()).isZero();
    assertThat(scheduler.stats().cancelled()).isEqualTo(1);
  }

  @Test
  void cancelReturnsFalseForAnEventThatIsNotQueued() {
    var event = scheduler.enter(Duration.ZERO, 0, record("now"));
    var cancelled = scheduler.enter(Duration.ofSeconds(1), 0, record("never"));
    assertThat(scheduler.cancel(cancelled)).isTrue();
    scheduler.runPending();

    assertThat(scheduler.cancel(event)).as("already ran").isFalse();
    assertThat(scheduler.cancel(cancelled)).as("cancelled twice").isFalse();
    var foreign = Scheduler.create(clock).enter(Duration.ZERO, 0, record("elsewhere"));
    assertThat(scheduler.cancel(foreign)).as("another scheduler's").isFalse();
  }

  @Test
  void runWaitsOnTheClockBetweenEventsAndReturnsWhenEmpty() throws Exception {
    scheduler.enter(Duration.ofSeconds(1), 0, record("a"));
    scheduler.enter(Duration.ofSeconds(3), 0, record("b"));
    Future<Void> runner = threads.submit(() -> { scheduler.run(); return null; });
    clock.awaitAlarms(1, BOUND);
    assertThat(scheduler.stats().waitingRunners()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    await().atMost(BOUND).until(() -> clock.pendingDelays().equals(List.of(Duration.ofSeconds(2))));
    assertThat(ran).containsExactly("a@1000");
    clock.advance(Duration.ofSeconds(2));

    runner.get(10, TimeUnit.SECONDS);
    assertThat(ran).containsExactly("a@1000", "b@3000");
    assertThat(scheduler.isEmpty()).isTrue();
  }

  @Test
  void anEarlierEventEnteredWhileRunWaitsWakesIt() throws Exception {
    scheduler.enter(Duration.ofSeconds(10), 0, record("late"));
    Future<Void> runner = threads.submit(() -> { scheduler.run(); return null; });
    clock.awaitAlarms(1, BOUND);
    assertThat(clock.pendingDelays()).containsExactly(Duration.ofSeconds(10));

    scheduler.enter(Duration.ofSeconds(1), 0, record("early"));
    await().atMost(BOUND).until(() -> clock.pendingDelays().equals(List.of(Duration.ofSeconds(1))));
    clock.advance(Duration.ofSeconds(1));
    await().atMost(BOUND).until(() -> ran.size() == 1);
    await().atMost(BOUND).until(() -> clock.pendingDelays().equals(List.of(Duration.ofSeconds(9))));
    clock.advance(Duration.ofSeconds(9));

    runner.get(10, TimeUnit.SECONDS);
    assertThat(ran).containsExactly("early@1000", "late@10000");
  }

  @Test
  void eventsEnteredByManyThreadsWhileRunWaitsAllRunOnceInOrder() throws Exception {
    scheduler.enter(Duration.ofSeconds(100), 0, record("last"));
    Future<Void> runner = threads.submit(() -> { scheduler.run(); return null; });
    clock.awaitAlarms(1, BOUND);
    var entered = new ArrayList<Future<Map<Scheduler.Event, String>>>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      entered.add(threads.submit(() -> {
        var names = new HashMap<Scheduler.Event, String>();
        for (int i = 0; i < 25; i++) {
          String name = thread + "-" + i;
          var delay = Duration.ofSeconds(1 + (i * 7 + thread * 3) % 99);
          names.put(scheduler.enter(delay, i % 3, () -> ran.add(name)), name);
        }
        return names;
      }));
    }
    var names = new HashMap<Scheduler.Event, String>();
    for (var future : entered) {
      names.putAll(future.get(10, TimeUnit.SECONDS));
    }
    List<String> expectedNames = names.keySet().stream().sorted().map(names::get).toList();

    clock.advance(Duration.ofSeconds(100));

    runner.get(10, TimeUnit.SECONDS);
    assertThat(ran).hasSize(101).endsWith("last@100000");
    assertThat(ran.subList(0, 100)).containsExactlyElementsOf(expectedNames);
  }

  @Test
  void runPendingRunsOnlyWhatIsDueAndNeverWaits() {
    assertThat(scheduler.runPending()).isZero();
    scheduler.enter(Duration.ZERO, 0, record("now"));
    scheduler.enter(Duration.ofSeconds(1), 0, record("soon"));
    scheduler.enter(Duration.ofSeconds(5), 0, record("later"));

    assertThat(scheduler.runPending()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(scheduler.runPending()).isEqualTo(1);

    assertThat(ran).containsExactly("now@0", "soon@1000");
    assertThat(scheduler.queue()).hasSize(1);
    assertThat(clock.pendingAlarms()).isZero();
  }

  @Test
  void runPendingLeavesEventsItsActionsEnterForTheNextCall() {
    scheduler.enter(Duration.ZERO, 0, () -> scheduler.enter(Duration.ZERO, 0, record("again")));

    assertThat(scheduler.runPending()).isEqualTo(1);
    assertThat(ran).isEmpty();
    assertThat(scheduler.runPending()).isEqualTo(1);
    assertThat(ran).containsExactly("again@0");
  }

  @Test
  void enterAtRunsAtAWallClockInstant() {
    var event = scheduler.enterAt(START.plusSeconds(2), 0, record("at"));
    scheduler.enterAt(START.minusSeconds(60), 0, record("past"));
    assertThat(event.time()).isEqualTo(START.plusSeconds(2));
    assertThat(event.nanoTime()).isEqualTo(Duration.ofSeconds(2).toNanos());

    scheduler.runPending();
    clock.advance(Duration.ofMillis(1999));
    scheduler.runPending();
    clock.advance(Duration.ofMillis(1));
    scheduler.runPending();

    assertThat(ran).containsExactly("past@0", "at@2000");
  }

  @Test
  void eventsEnteredForTheSameInstantRunByPriorityWhileTimePassesBetweenReads() {
    // every monotonic reading moves time on, as on a real clock, and the wall clock is coarser
    var ticking = new TickingClock(clock);
    var scheduler = Scheduler.create(ticking);
    Instant at = START.plusSeconds(1);
    scheduler.enterAt(at, 1, record("second"));
    scheduler.enterAt(at, 0, record("first"));
    scheduler.enter(Duration.ofSeconds(5), 0, record("later"));
    scheduler.enterAt(at, 0, record("third"));

    clock.advance(Duration.ofSeconds(2));
    scheduler.runPending();

    assertThat(ran).extracting(r -> r.substring(0, r.indexOf('@')))
        .containsExactly("first", "third", "second");
  }

  /**
   * A clock over a virtual one that advances it a microsecond at every monotonic reading, with a
   * wall clock of millisecond resolution: the two scales are never read at the same instant.
   */
  private record TickingClock(VirtualClock clock) implements dev.weft.Clock {
    @Override
    public long nanoTime() {
      clock.advance(Duration.ofNanos(1_000));
      return clock.nanoTime();
    }

    @Override
    public Instant instant() {
      return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    @Override
    public Alarm schedule(Duration delay, Runnable action) {
      return clock.schedule(delay, action);
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
      clock.sleep(duration);
    }

    @Override
    public long awaitNanos(
        java.util.concurrent.locks.Lock lock,
        java.util.concurrent.locks.Condition condition,
        long nanos)
        throws InterruptedException {
      return clock.awaitNanos(lock, condition, nanos);
    }
  }

  @Test
  void anActionThatThrowsPropagatesFromRunAndLeavesTheRestQueued() throws InterruptedException {
    scheduler.enter(Duration.ZERO, 0, () -> { throw new IllegalStateException("boom"); });
    scheduler.enter(Duration.ZERO, 1, record("after"));

    assertThatThrownBy(scheduler::run).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(scheduler.queue()).hasSize(1);

    scheduler.run();
    assertThat(ran).containsExactly("after@0");
  }

  @Test
  void rejectsANegativeDelay() {
    assertThatThrownBy(() -> scheduler.enter(Duration.ofSeconds(-1), 0, record("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must be >= 0: PT-1S");
  }

  @Test
  void statsCountEnteredRanAndCancelled() {
    scheduler.enter(Duration.ZERO, 0, record("a"));
    var b = scheduler.enter(Duration.ZERO, 0, record("b"));
    scheduler.enter(Duration.ofSeconds(1), 0, record("c"));
    scheduler.cancel(b);
    scheduler.runPending();

    assertThat(scheduler.stats()).isEqualTo(new Scheduler.Stats(1, 3, 1, 1, 0));
  }
}
