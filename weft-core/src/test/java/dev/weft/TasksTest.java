package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// TaskGroup.close() throws InterruptedException, which javac's "try" lint reports at every use
@SuppressWarnings("try")
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TasksTest {
  private final CountDownLatch never = new CountDownLatch(1);
  private final List<TaskGroup> groups = new CopyOnWriteArrayList<>();
  private final TaskGroup group = TaskGroup.open("tasks-test");

  @AfterEach
  void closeGroups() throws InterruptedException {
    groups.add(group);
    for (TaskGroup each : groups) {
      each.cancel();
      try {
        each.close();
      } catch (RuntimeException expected) {
        // tests that make tasks fail check the failure themselves
      }
    }
  }

  /** A task in a group of its own, so that its failure does not cancel the others. */
  private <T> Task<T> alone(String name, Callable<T> work) throws InterruptedException {
    var opened = Thread.ofVirtual().start(() -> groups.add(TaskGroup.open(name)));
    opened.join();
    return groups.getLast().spawn(name, work);
  }

  private Task<String> gated(String value, CountDownLatch gate) throws InterruptedException {
    return alone(
        value,
        () -> {
          gate.await();
          return value;
        });
  }

  private Task<String> blocked(String name) throws InterruptedException {
    return alone(
        name,
        () -> {
          never.await();
          return name;
        });
  }

  private Task<String> failing(String name, RuntimeException error) throws InterruptedException {
    return alone(
        name,
        () -> {
          throw error;
        });
  }

  @Test
  void gatherReturnsResultsInTheGivenOrder() throws Exception {
    var first = new CountDownLatch(1);
    var second = new CountDownLatch(1);
    Task<String> a = group.spawn(() -> { first.await(); return "a"; });
    Task<String> b = group.spawn(() -> { second.countDown(); return "b"; });
    Task<String> c = group.spawn(() -> { second.await(); first.countDown(); return "c"; });
    assertThat(Tasks.gather(List.of(a, b, c))).containsExactly("a", "b", "c");
    assertThat(Tasks.gather(List.<Task<String>>of())).isEmpty();
  }

  @Test
  void gatherFailsFastAndCancelsTheRest() throws Exception {
    var boom = new IllegalStateException("boom");
    Task<String> slow = blocked("slow");
    Task<String> bad = failing("bad", boom);
    assertThatThrownBy(() -> Tasks.gather(List.of(slow, bad))).isSameAs(boom);
    assertThat(slow.isDone()).isTrue();
    assertThat(slow.state()).isEqualTo(Task.State.CANCELLED);
  }

  @Test
  void gatherReportsACancelledTask() throws Exception {
    Task<String> slow = blocked("slow");
    slow.cancel();
    assertThatThrownBy(() -> Tasks.gather(List.of(slow)))
        .isInstanceOf(CancellationException.class)
        .hasMessage("task slow was cancelled");
  }

  @Test
  void gatherByDeadlineCancelsWhatIsLeft() throws Exception {
    var clock = new ManualClock();
    Task<String> done = group.spawn(() -> "done");
    Task<String> slow = blocked("slow");
    done.join();
    try (var waiter = TaskGroup.open("waiter")) {
      Task<List<String>> gathering =
          waiter.spawn(() -> Tasks.gather(List.of(done, slow), Deadline.after(Duration.ofSeconds(3), clock)));
      clock.awaitAlarms(1);
      clock.advance(Duration.ofSeconds(3));
      assertThat(gathering.await())
          .isInstanceOfSatisfying(
              Outcome.Failure.class,
              failure ->
                  assertThat(failure.error())
                      .isInstanceOf(DeadlineExceededException.class)
                      .hasMessage("gather deadline exceeded: 1 of 2 tasks unfinished"));
      waiter.cancel(); // the failure has been seen here
    } catch (DeadlineExceededException alsoFromClose) {
      // close reports the same failure
    }
    assertThat(slow.state()).isEqualTo(Task.State.CANCELLED);
  }

  @Test
  void gatherSettledReportsEveryOutcome() throws Exception {
    var boom = new IllegalStateException("boom");
    Task<String> ok = group.spawn(() -> "ok");
    Task<String> bad = failing("bad", boom);
    Task<String> stopped = blocked("stopped");
    stopped.cancel();
    assertThat(Tasks.gatherSettled(List.of(ok, bad, stopped)))
        .containsExactly(
            new Outcome.Success<>("ok"), new Outcome.Failure<>(boom), new Outcome.Cancelled<>());
  }

  @Test
  void gatherSettledByDeadlineReportsWhatIsLeftAsCancelled() throws Exception {
    var clock = new ManualClock();
    Task<String> ok = group.spawn(() -> "ok");
    Task<String> slow = blocked("slow");
    ok.join();
    try (var waiter = TaskGroup.open("waiter")) {
      Task<List<Outcome<String>>> settling =
          waiter.spawn(() -> Tasks.gatherSettled(List.of(ok, slow), Deadline.after(Duration.ofSeconds(3), clock)));
      clock.awaitAlarms(1);
      clock.advance(Duration.ofSeconds(3));
      assertThat(settling.join()).containsExactly(new Outcome.Success<>("ok"), new Outcome.Cancelled<>());
    }
  }

  @Test
  void asCompletedYieldsTasksInCompletionOrder() throws Exception {
    var gates = List.of(new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1));
    var tasks = List.of(gated("a", gates.get(0)), gated("b", gates.get(1)), gated("c", gates.get(2)));
    var completions = Tasks.asCompleted(tasks);
    assertThat(completions.poll()).isEmpty();
    var order = new ArrayList<String>();
    for (int next : new int[] {1, 2, 0}) {
      gates.get(next).countDown();
      order.add(completions.take().join());
    }
    assertThat(order).containsExactly("b", "c", "a");
    assertThat(completions.remaining()).isZero();
    assertThatThrownBy(completions::take)
        .isInstanceOf(java.util.NoSuchElementException.class)
        .hasMessage("every task has been taken: 3");
  }

  @Test
  void asCompletedIteratesWithForEach() throws Exception {
    var release = new CountDownLatch(1);
    Task<String> late = gated("late", release);
    Task<String> early = group.spawn(() -> "early");
    var order = new ArrayList<String>();
    for (Task<String> done : Tasks.asCompleted(List.of(late, early))) {
      order.add(done.join());
      release.countDown();
    }
    assertThat(order).containsExactly("early", "late");
  }

  @Test
  void asCompletedByDeadlineCancelsWhatIsLeft() throws Exception {
    var clock = new ManualClock();
    Task<String> quick = group.spawn(() -> "quick");
    Task<String> slow = blocked("slow");
    var completions = Tasks.asCompleted(List.of(quick, slow), Deadline.after(Duration.ofSeconds(2), clock));
    assertThat(completions.take().join()).isEqualTo("quick");
    try (var waiter = TaskGroup.open("waiter")) {
      Task<Task<String>> taking = waiter.spawn(completions::take);
      clock.awaitAlarms(1);
      clock.advance(Duration.ofSeconds(2));
      assertThat(taking.await())
          .isInstanceOfSatisfying(
              Outcome.Failure.class,
              failure ->
                  assertThat(failure.error())
                      .isInstanceOf(DeadlineExceededException.class)
                      .hasMessage("asCompleted deadline exceeded: 1 of 2 tasks unfinished"));
      waiter.cancel();
    } catch (DeadlineExceededException alsoFromClose) {
      // close reports the same failure
    }
    assertThat(slow.state()).isEqualTo(Task.State.CANCELLED);
    assertThat(completions.take()).isSameAs(slow);
  }

  @Test
  void anyReturnsTheFirstSuccessAndCancelsTheRest() throws Exception {
    Task<String> slow = blocked("slow");
    Task<String> bad = failing("bad", new IllegalStateException("boom"));
    bad.await();
    Task<String> fast = group.spawn(() -> "fast");
    assertThat(Tasks.any(List.of(slow, bad, fast))).isEqualTo("fast");
    assertThat(slow.state()).isEqualTo(Task.State.CANCELLED);
  }

  @Test
  void anyWhenAllFailThrowsEveryFailure() throws Exception {
    var first = new IllegalStateException("first");
    var second = new IllegalArgumentException("second");
    Task<String> a = failing("a", first);
    a.await();
    Task<String> b = failing("b", second);
    b.await();
    Task<String> c = blocked("c");
    c.cancel();
    assertThatThrownBy(() -> Tasks.any(List.of(a, b, c)))
        .isInstanceOf(Tasks.AllFailedException.class)
        .hasMessage("none of 3 tasks succeeded: 2 failed, 1 cancelled")
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(first, second));
  }

  @Test
  void anyNeedsATask() {
    assertThatThrownBy(() -> Tasks.any(List.<Task<String>>of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("any needs at least one task: []");
  }

  @Test
  void gatherInAGroupReportsTheFailureNotTheCancellationsItCaused() throws Exception {
    var boom = new IllegalStateException("boom");
    Task<String> slow = group.spawn("slow", () -> { never.await(); return "slow"; });
    Task<String> bad = group.spawn("bad", () -> { throw boom; });
    assertThatThrownBy(() -> Tasks.gather(List.of(slow, bad))).isSameAs(boom);
    assertThat(slow.state()).isEqualTo(Task.State.CANCELLED);
  }

  @Test
  void interruptedGatherCancelsItsTasks() throws Exception {
    Task<String> slow = blocked("slow");
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> Tasks.gather(List.of(slow))).isInstanceOf(InterruptedException.class);
    assertThat(slow.state()).isEqualTo(Task.State.CANCELLED);
    assertThat(Thread.interrupted()).isFalse();
  }
}
