package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// TaskGroup.close() throws InterruptedException, which javac's "try" lint reports at every use
@SuppressWarnings("try")
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TaskGroupTest {
  private final CountDownLatch never = new CountDownLatch(1);

  @Test
  void closeWaitsForEveryChild() throws Exception {
    var release = new CountDownLatch(1);
    var finished = new AtomicInteger();
    var group = new AtomicReference<TaskGroup>();
    var opened = new CountDownLatch(1);
    Thread owner =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (var g = TaskGroup.open("waits")) {
                    group.set(g);
                    for (int i = 0; i < 10; i++) {
                      g.spawn(
                          () -> {
                            release.await();
                            finished.incrementAndGet();
                          });
                    }
                    opened.countDown();
                  } catch (InterruptedException e) {
                    throw new AssertionError(e);
                  }
                });
    opened.await();
    await().atMost(Duration.ofSeconds(10)).until(() -> owner.getState() == Thread.State.WAITING);
    assertThat(owner.isAlive()).isTrue();
    assertThat(group.get().stats().running()).isEqualTo(10);
    release.countDown();
    owner.join();
    assertThat(finished).hasValue(10);
    assertThat(group.get().stats()).isEqualTo(new TaskGroup.Stats(0, 10, 0, 0));
  }

  @Test
  void closeCancelsSiblingsOnFirstFailure() throws Exception {
    var boom = new IllegalStateException("boom");
    var started = new CountDownLatch(3);
    var siblings = new ArrayList<Task<Void>>();
    var group = TaskGroup.open("siblings");
    for (int i = 0; i < 3; i++) {
      siblings.add(
          group.spawn(
              () -> {
                started.countDown();
                never.await();
              }));
    }
    group.spawn(
        () -> {
          started.await();
          throw boom;
        });
    assertThatThrownBy(group::close).isSameAs(boom);
    assertThat(siblings).allSatisfy(task -> assertThat(task.state()).isEqualTo(Task.State.CANCELLED));
    assertThat(group.stats()).isEqualTo(new TaskGroup.Stats(0, 0, 1, 3));
  }

  @Test
  void failuresAfterTheFirstAreSuppressed() throws Exception {
    var goSecond = new CountDownLatch(1);
    var secondEnded = new CountDownLatch(1);
    var group = TaskGroup.open("two-failures");
    // the first failure cancels "blocked" first; its callback, which runs on the failing thread
    // before "second" is reached, lets "second" fail, so both failures are real
    Task<Void> blocked = group.spawn("blocked", () -> never.await());
    blocked.onDone(_ -> awaitAfter(goSecond, secondEnded));
    group
        .spawn(
            "second",
            () -> {
              goSecond.await();
              throw new IllegalArgumentException("second");
            })
        .onDone(_ -> secondEnded.countDown());
    group.spawn(
        "first",
        () -> {
          throw new IllegalStateException("first");
        });
    assertThatThrownBy(group::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("first")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasFieldOrPropertyWithValue("message", "second"));
    assertThat(blocked.state()).isEqualTo(Task.State.CANCELLED);
  }

  private static void awaitAfter(CountDownLatch open, CountDownLatch ended) {
    open.countDown();
    boolean done = false;
    while (!done) {
      try {
        done = ended.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        // this runs on the failing task's thread, which nobody interrupts; keep waiting
      }
    }
  }

  @Test
  void checkedFailureIsWrappedOnce() throws Exception {
    var cause = new IOException("disk full");
    var group = TaskGroup.open("checked");
    group.spawn(
        "writer",
        () -> {
          throw cause;
        });
    assertThatThrownBy(group::close)
        .isInstanceOf(TaskFailedException.class)
        .hasMessage("task writer failed: java.io.IOException: disk full")
        .cause()
        .isSameAs(cause);
  }

  @Test
  void failureAlreadyThrownByJoinIsWrappedSoTryWithResourcesKeepsIt() {
    var boom = new IllegalStateException("boom");
    assertThatThrownBy(
            () -> {
              try (var group = TaskGroup.open("joined")) {
                group
                    .spawn(
                        "failing",
                        () -> {
                          throw boom;
                        })
                    .join();
              }
            })
        .isSameAs(boom)
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement()
                    .isInstanceOf(TaskFailedException.class)
                    .extracting(Throwable::getCause)
                    .isSameAs(boom));
  }

  @Test
  void groupClosesWhileChildrenBlockInIo() throws Exception {
    try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      var connected = new CountDownLatch(3);
      var readers = new ArrayList<Task<Integer>>();
      var group = TaskGroup.open("io");
      for (int i = 0; i < 3; i++) {
        readers.add(
            group.spawn(
                () -> {
                  try (var socket = new Socket(server.getInetAddress(), server.getLocalPort())) {
                    InputStream in = socket.getInputStream();
                    connected.countDown();
                    return in.read(); // the server never writes
                  }
                }));
      }
      group.spawn(
          "failing",
          () -> {
            connected.await();
            throw new IllegalStateException("stop reading");
          });
      assertThatThrownBy(group::close).hasMessage("stop reading");
      assertThat(readers).allSatisfy(task -> assertThat(task.state()).isEqualTo(Task.State.CANCELLED));
    }
  }

  @Test
  void runsAHundredThousandTasksInOneGroup() throws Exception {
    var ran = new LongAdder();
    var group = TaskGroup.open("many");
    for (int i = 0; i < 100_000; i++) {
      group.spawn(ran::increment);
    }
    group.close();
    assertThat(ran.sum()).isEqualTo(100_000);
    assertThat(group.stats()).isEqualTo(new TaskGroup.Stats(0, 100_000, 0, 0));
    assertThat(group.tasks()).isEmpty();
  }

  @Test
  void deadlineCancelsAndCloseThrowsDeadlineExceeded() throws Exception {
    var clock = new ManualClock();
    var started = new CountDownLatch(1);
    var group = TaskGroup.open("slow", Deadline.after(Duration.ofSeconds(5), clock));
    Task<Void> slow =
        group.spawn(
            () -> {
              started.countDown();
              never.await();
            });
    started.await();
    clock.advance(Duration.ofSeconds(4));
    assertThat(slow.isDone()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(group::close)
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessage("TaskGroup[slow] deadline exceeded: PT5S after open");
    assertThat(slow.state()).isEqualTo(Task.State.CANCELLED);
  }

  @Test
  void spawnAfterCloseIsRejected() throws Exception {
    var group = TaskGroup.open("downloads");
    group.close();
    assertThatThrownBy(() -> group.spawn(() -> 42))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("TaskGroup[downloads] already closed");
  }

  @Test
  void tasksAreNamedAfterTheGroup() throws Exception {
    try (var group = TaskGroup.open("downloads")) {
      assertThat(group.spawn(() -> Thread.currentThread().getName()).join()).isEqualTo("downloads-1");
      Task<String> named = group.spawn("index", () -> Thread.currentThread().getName());
      assertThat(named.join()).isEqualTo("index");
      assertThat(named.name()).isEqualTo("index");
      assertThat(group.spawn(() -> Thread.currentThread().isVirtual()).join()).isTrue();
    }
  }

  @Test
  void cancelIsNotAFailure() throws Exception {
    var started = new CountDownLatch(2);
    var group = TaskGroup.open("cancelled");
    for (int i = 0; i < 2; i++) {
      group.spawn(
          () -> {
            started.countDown();
            never.await();
          });
    }
    started.await();
    group.cancel();
    assertThat(group.isCancelled()).isTrue();
    Task<Integer> late = group.spawn(() -> 1);
    assertThat(late.state()).isEqualTo(Task.State.CANCELLED);
    group.close();
    assertThat(group.stats()).isEqualTo(new TaskGroup.Stats(0, 0, 0, 3));
  }

  @Test
  void ownerInterruptedDuringCloseCancelsWaitsAndRethrows() throws Exception {
    var started = new CountDownLatch(1);
    var unwound = new AtomicInteger();
    var thrown = new AtomicReference<Throwable>();
    var task = new AtomicReference<Task<Void>>();
    Thread owner =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (var group = TaskGroup.open("interrupted")) {
                    task.set(
                        group.spawn(
                            () -> {
                              try {
                                started.countDown();
                                never.await();
                              } finally {
                                unwound.incrementAndGet();
                              }
                            }));
                  } catch (Throwable e) {
                    thrown.set(e);
                    thrown.set(unwound.get() == 1 ? e : new AssertionError("child still running", e));
                  }
                });
    started.await();
    await().atMost(Duration.ofSeconds(10)).until(() -> owner.getState() == Thread.State.WAITING);
    owner.interrupt();
    owner.join();
    assertThat(thrown.get())
        .isInstanceOf(InterruptedException.class)
        .hasMessage("TaskGroup[interrupted] close was interrupted");
    assertThat(task.get().state()).isEqualTo(Task.State.CANCELLED);
  }

  @Test
  void nestedGroupIsCancelledByItsParent() throws Exception {
    var inner = new AtomicReference<TaskGroup>();
    var innerTask = new AtomicReference<Task<Void>>();
    var started = new CountDownLatch(1);
    var outer = TaskGroup.open("outer");
    outer.spawn(
        "host",
        () -> {
          try (var group = TaskGroup.open("inner")) {
            inner.set(group);
            innerTask.set(group.spawn(() -> never.await()));
            started.countDown();
          }
        });
    started.await();
    assertThat(inner.get().parent()).containsSame(outer);
    assertThat(outer.children()).containsExactly(inner.get());
    outer.cancel();
    outer.close();
    assertThat(innerTask.get().state()).isEqualTo(Task.State.CANCELLED);
    assertThat(inner.get().isCancelled()).isTrue();
    assertThat(outer.children()).isEmpty();
  }

  @Test
  void nestedGroupInheritsTheTighterDeadline() throws Exception {
    var clock = new ManualClock();
    Deadline outerDeadline = Deadline.after(Duration.ofSeconds(5), clock);
    var inner = new AtomicReference<TaskGroup>();
    var innerTask = new AtomicReference<Task<Void>>();
    var started = new CountDownLatch(1);
    var outer = TaskGroup.open("outer", outerDeadline);
    outer.spawn(
        () -> {
          try (var group = TaskGroup.open("inner", Deadline.after(Duration.ofHours(1), clock))) {
            inner.set(group);
            innerTask.set(group.spawn(() -> never.await()));
            started.countDown();
          }
        });
    started.await();
    assertThat(inner.get().deadline()).contains(outerDeadline);
    clock.advance(Duration.ofSeconds(5));
    assertThatThrownBy(outer::close)
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessage("TaskGroup[outer] deadline exceeded: PT5S after open");
    assertThat(innerTask.get().state()).isEqualTo(Task.State.CANCELLED);
  }

  @Test
  void groupOpenedInTheOwnersBodyIsAChild() throws Exception {
    try (var outer = TaskGroup.open("outer")) {
      assertThat(TaskGroup.current()).containsSame(outer);
      try (var inner = TaskGroup.open("inner")) {
        assertThat(inner.parent()).containsSame(outer);
        assertThat(TaskGroup.current()).containsSame(inner);
        assertThat(inner.spawn(() -> TaskGroup.current().orElseThrow()).join()).isSameAs(inner);
      }
      assertThat(TaskGroup.current()).containsSame(outer);
    }
    assertThat(TaskGroup.current()).isEmpty();
  }

  @Test
  void tasksShowsTheTasksStillRunning() throws Exception {
    var release = new CountDownLatch(1);
    try (var group = TaskGroup.open("tree")) {
      Task<Void> waiting = group.spawn("waiting", () -> release.await());
      Task<Integer> quick = group.spawn("quick", () -> 1);
      quick.join();
      assertThat(group.tasks()).containsExactly(waiting);
      release.countDown();
    }
  }

  @Test
  void closeFromOwnTaskIsRejected() throws Exception {
    var group = TaskGroup.open("self");
    Task<Void> task = group.spawn("closer", group::close);
    assertThat(task.await())
        .isInstanceOfSatisfying(
            Outcome.Failure.class,
            failure ->
                assertThat(failure.error())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("TaskGroup[self] cannot be closed by its own task closer"));
    assertThatThrownBy(group::close).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void blankGroupNameIsRejected() {
    assertThatThrownBy(() -> TaskGroup.open(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("group name must not be blank:  ");
  }

  @Test
  void jobsReturnNothing() throws Exception {
    var ran = new AtomicInteger();
    try (var group = TaskGroup.open()) {
      Task<Integer> value = group.spawn(ran::incrementAndGet);
      Task<Void> job = group.spawn(() -> { ran.incrementAndGet(); });
      Task<Void> named = group.spawn("job", () -> { ran.incrementAndGet(); });
      assertThat(value.join()).isPositive();
      assertThat(job.join()).isNull();
      assertThat(named.join()).isNull();
      assertThat(group.name()).startsWith("group-");
    }
    assertThat(ran).hasValue(3);
  }

  @Test
  void groupsInManyTasksEachCloseCleanly() throws Exception {
    List<Task<Integer>> sums = new ArrayList<>();
    try (var outer = TaskGroup.open("fan-out")) {
      for (int i = 0; i < 100; i++) {
        sums.add(
            outer.spawn(
                () -> {
                  try (var inner = TaskGroup.open()) {
                    var parts = new ArrayList<Task<Integer>>();
                    for (int j = 0; j < 10; j++) {
                      int part = j;
                      parts.add(inner.spawn(() -> part));
                    }
                    return Tasks.gather(parts).stream().mapToInt(Integer::intValue).sum();
                  }
                }));
      }
    }
    assertThat(sums).allSatisfy(task -> assertThat(task.resultNow()).isEqualTo(45));
  }
}
