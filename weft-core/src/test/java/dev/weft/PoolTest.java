package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What is particular to weft-core's pools and the builder, beside the {@link PoolContract}. */
@SuppressWarnings("try") // Pool.close() throws InterruptedException, which javac flags in try
@Timeout(value = 20, unit = java.util.concurrent.TimeUnit.SECONDS)
class PoolTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Test
  void sizesMustBePositive() {
    assertThatThrownBy(() -> Pool.virtual(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrent must be > 0: 0");
    assertThatThrownBy(() -> Pool.threads(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threads must be > 0: -1");
    assertThatThrownBy(() -> Pool.builder().lookAhead(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lookAhead must be > 0: 0");
  }

  @Test
  void aPoolNameMustNotBeBlank() {
    assertThatThrownBy(() -> Pool.builder().name(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pool name must not be blank: ' '");
  }

  @Test
  void lookAheadIsTwiceTheConcurrencyUnlessSet() throws Exception {
    try (var limited = Pool.virtual(4);
        var unlimited = Pool.virtual();
        var threads = Pool.threads(2);
        var set = Pool.builder().maxConcurrent(4).lookAhead(3).build()) {
      assertThat(limited.lookAhead()).isEqualTo(8);
      assertThat(unlimited.lookAhead()).isEqualTo(Pool.UNLIMITED_LOOK_AHEAD);
      assertThat(threads.lookAhead()).isEqualTo(4);
      assertThat(set.lookAhead()).isEqualTo(3);
      assertThat(unlimited.maxConcurrent()).isEqualTo(Integer.MAX_VALUE);
    }
  }

  @Test
  void unnamedTasksAreNamedAfterThePool() throws Exception {
    try (var pool = Pool.builder().name("jobs").build()) {
      assertThat(pool.submit(() -> 1).name()).isEqualTo("jobs-1");
      assertThat(pool.submit(() -> 2).name()).isEqualTo("jobs-2");
    }
  }

  @Test
  void virtualTasksRunOnVirtualThreadsNamedAfterTheTask() throws Exception {
    try (var pool = Pool.virtual(2)) {
      Thread thread = pool.submit("fetch", Thread::currentThread).join();
      assertThat(thread.isVirtual()).isTrue();
      assertThat(thread.getName()).isEqualTo("fetch");
    }
  }

  @Test
  void platformThreadsAreNamedAfterThePool() throws Exception {
    try (var pool = Pool.builder().name("cpu").platformThreads(2).build()) {
      Thread thread = pool.submit(Thread::currentThread).join();
      assertThat(thread.isVirtual()).isFalse();
      assertThat(thread.getName()).matches("cpu-thread-[12]");
    }
  }

  @Test
  void theInterceptorRunsEveryTaskAndMapItemWithItsName() throws Exception {
    var names = new CopyOnWriteArrayList<String>();
    try (var pool =
        Pool.builder()
            .name("remote")
            .maxConcurrent(2)
            .around(
                (name, work) -> {
                  names.add(name);
                  return work;
                })
            .build()) {
      pool.submit("one", () -> 1).join();
      assertThat(pool.map(i -> i, List.of(10, 20))).containsExactly(10, 20);
    }
    assertThat(names).containsExactlyInAnyOrder("one", "remote[0]", "remote[1]");
  }

  @Test
  void mapItemsReachTheInterceptorAsSerializableWork() throws Exception {
    var serializable = new AtomicInteger();
    try (var pool =
        Pool.builder()
            .around(
                (_, work) -> {
                  if (work instanceof Serializable) {
                    serializable.incrementAndGet();
                  }
                  return work;
                })
            .build()) {
      pool.map(i -> i, List.of(1, 2, 3));
    }
    assertThat(serializable).hasValue(3);
  }

  @Test
  void theCloseHookRunsOnceAfterEveryTaskEnded() throws Exception {
    var release = new CountDownLatch(1);
    var taskRef = new AtomicReference<Task<String>>();
    var stateAtClose = new CopyOnWriteArrayList<Future.State>();
    Pool pool = Pool.builder().onClose(() -> stateAtClose.add(taskRef.get().state())).build();
    taskRef.set(
        pool.submit(
            () -> {
              release.await();
              return "done";
            }));
    release.countDown();
    pool.close();
    pool.close();
    assertThat(stateAtClose).containsExactly(Future.State.SUCCESS);
  }

  @Test
  void aFailingCloseHookIsReportedWithThePoolsName() {
    Pool pool =
        Pool.builder()
            .name("workers")
            .onClose(
                () -> {
                  throw new IOException("gone");
                })
            .build();
    assertThatThrownBy(pool::close)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("Pool[workers] close hook failed: java.io.IOException: gone");
  }

  @Test
  void anInterruptedCloseCancelsTheRemainingWork() throws Exception {
    Pool pool = Pool.virtual();
    Probe started = new InProcessProbe();
    Probe interrupted = new InProcessProbe();
    Task<Object> task = pool.submit(PoolContract.blockUntilInterrupted(started, interrupted));
    started.awaitAtLeast(1);
    var thrown = new AtomicReference<Throwable>();
    Thread closer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    pool.close();
                  } catch (InterruptedException e) {
                    thrown.set(e);
                  }
                });
    await().atMost(PATIENCE).until(pool::isClosed);
    closer.interrupt();
    assertThat(closer.join(PATIENCE)).isTrue();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    await().atMost(PATIENCE).until(() -> interrupted.value() == 1);
    assertThat(task.state()).isEqualTo(Future.State.CANCELLED);
    pool.close();
  }

  @Test
  void statsShowTasksQueuedBehindTheLimit() throws Exception {
    var release = new CountDownLatch(1);
    try (var pool = Pool.virtual(1)) {
      for (int i = 0; i < 3; i++) {
        pool.submit(
            () -> {
              release.await();
              return null;
            });
      }
      try {
        await()
            .atMost(PATIENCE)
            .until(() -> pool.stats().equals(new Pool.Stats(3, 1, 2, 0, 0, 0)));
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void aPoolNamesItselfInToString() throws Exception {
    try (var pool = Pool.builder().name("downloads").build()) {
      assertThat(pool).hasToString("Pool[downloads]");
    }
  }
}
