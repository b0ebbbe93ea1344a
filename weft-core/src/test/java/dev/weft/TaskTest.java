package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// TaskGroup.close() throws InterruptedException, which javac's "try" lint reports at every use
@SuppressWarnings("try")
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TaskTest {
  private final CountDownLatch never = new CountDownLatch(1);
  private final ManualClock clock = new ManualClock();
  private final TaskGroup group = TaskGroup.open("task-test", Deadline.after(Duration.ofDays(1), clock));

  @AfterEach
  void closeGroup() throws InterruptedException {
    group.cancel();
    try {
      group.close();
    } catch (RuntimeException expected) {
      // tests that make tasks fail check the failure themselves
    }
  }

  @Test
  void joinRethrowsUncheckedExceptionsAsTheyAre() throws Exception {
    var boom = new IllegalStateException("boom");
    Task<String> task = group.spawn(() -> { throw boom; });
    assertThatThrownBy(task::join).isSameAs(boom);
  }

  @Test
  void joinWrapsACheckedExceptionOnce() throws Exception {
    var cause = new IOException("gone");
    Task<String> task = group.spawn("reader", () -> { throw cause; });
    assertThatThrownBy(task::join)
        .isInstanceOf(TaskFailedException.class)
        .hasMessage("task reader failed: java.io.IOException: gone")
        .cause()
        .isSameAs(cause);
  }

  @Test
  void joinOfACancelledTaskThrowsCancellation() throws Exception {
    Task<Void> task = group.spawn(() -> never.await());
    task.cancel();
    assertThatThrownBy(task::join).isInstanceOf(CancellationException.class);
    assertThat(task.outcome()).isEqualTo(new Outcome.Cancelled<>());
  }

  @Test
  void onDoneRunsOnceAlsoWhenAddedAfterCompletion() throws Exception {
    var calls = new CopyOnWriteArrayList<String>();
    var release = new CountDownLatch(1);
    Task<String> task = group.spawn(() -> { release.await(); return "v"; });
    var ran = new CountDownLatch(1);
    task.onDone(
        t -> {
          calls.add("before:" + t.resultNow());
          ran.countDown();
        });
    release.countDown();
    ran.await(); // join() may return before the ending thread has run the callbacks
    var after = new AtomicInteger();
    task.onDone(t -> after.incrementAndGet());
    assertThat(after).hasValue(1);
    assertThat(calls).containsExactly("before:v");
  }

  @Test
  void joinWithATimeoutGivesUpOnTheGroupsClock() throws Exception {
    Task<Void> slow = group.spawn(() -> never.await());
    try (var waiter = TaskGroup.open("waiter")) {
      int deadlines = clock.pendingAlarms();
      Task<Void> joining = waiter.spawn(() -> slow.join(Duration.ofSeconds(2)));
      clock.awaitAlarms(deadlines + 1);
      clock.advance(Duration.ofSeconds(2));
      assertThat(joining.await())
          .isInstanceOfSatisfying(
              Outcome.Failure.class,
              failure ->
                  assertThat(failure.error())
                      .isInstanceOf(TimeoutException.class)
                      .hasMessage("task task-test-1 did not end within PT2S"));
      waiter.cancel();
    } catch (TaskFailedException alsoFromClose) {
      // close reports the same failure
    }
    assertThat(slow.isDone()).isFalse();
  }

  @Test
  void toCompletableFutureCompletesWithTheOutcome() throws Exception {
    Task<String> ok = group.spawn(() -> "ok");
    assertThat(ok.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("ok");
    var boom = new IllegalStateException("boom");
    Task<String> bad = group.spawn(() -> { throw boom; });
    assertThatThrownBy(() -> bad.toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(boom);
    Task<Void> slow = group.spawn(() -> never.await());
    slow.toCompletableFuture().cancel(true);
    assertThat(slow.await()).isEqualTo(new Outcome.Cancelled<>());
    assertThat(List.of(ok.state(), slow.state())).containsExactly(Task.State.SUCCESS, Task.State.CANCELLED);
  }
}
