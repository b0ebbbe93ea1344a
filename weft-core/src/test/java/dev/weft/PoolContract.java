package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Pool} backend must have. A backend's test extends this class and
 * implements {@link #newPool(int)}; weft-core runs it against {@link Pool#virtual()}, {@link
 * Pool#virtual(int)}, {@link Pool#threads(int)} and a pool built with an {@link Pool.Interceptor};
 * other modules run it from weft-core's test jar against theirs.
 *
 * <p>No test sleeps: items wait on {@link Probe}s, and the test waits with a bounded {@code
 * await}. Every function and callable is {@link Serializable} ({@link Fn}, {@link Work}) and
 * shares state with the test only through probes, so the same tests run unchanged against a
 * backend that sends work to another JVM: it overrides {@link #probe()} with probes that work
 * across processes, and {@link #awaitStopped} if its cancellation stops work by other means than
 * an interrupt. Failures are compared by type and message, which survive being sent back.
 *
 * <p>A backend's subclass should carry {@code @Timeout}, so that a broken backend fails instead
 * of hanging the build.
 *
 * <p>This file is long because it is the whole contract in one place (one test per behaviour).
 */
public abstract class PoolContract {
  /** Long enough for any bounded wait in these tests; they end far sooner when all is well. */
  protected static final Duration PATIENCE = Duration.ofSeconds(10);

  private final List<Pool> pools = new ArrayList<>();

  protected PoolContract() {}

  /**
   * A new pool that runs at most {@code concurrency} tasks at once (or more, for a backend without
   * a limit, which then reports {@link Pool#maxConcurrent()} as {@link Integer#MAX_VALUE}).
   */
  protected abstract Pool newPool(int concurrency);

  /** A new probe at zero; work may capture it. */
  protected Probe probe() {
    return new InProcessProbe();
  }

  /**
   * Waits until {@code n} items of work that {@link #blockUntilInterrupted} started have been
   * stopped by cancellation. Here: until they have counted their interrupt on {@code
   * interrupted}. A backend that stops work otherwise (by ending the process that runs it)
   * overrides this to wait for that.
   */
  protected void awaitStopped(Pool pool, Probe interrupted, long n) {
    await().atMost(PATIENCE).until(() -> interrupted.value() >= n);
  }

  /** A function a pool can send elsewhere. */
  @FunctionalInterface
  protected interface Fn<T, R> extends TaskFunction<T, R>, Serializable {}

  /** Work a pool can send elsewhere. */
  @FunctionalInterface
  protected interface Work<T> extends Callable<T>, Serializable {}

  /** Types a lambda as a sendable function. */
  protected static <T, R> Fn<T, R> fn(Fn<T, R> function) {
    return function;
  }

  /** Types a lambda as sendable work. */
  protected static <T> Work<T> work(Work<T> work) {
    return work;
  }

  /** A pool that is shut down and closed after the test, whatever happened. */
  protected final Pool pool(int concurrency) {
    Pool pool = newPool(concurrency);
    pools.add(pool);
    return pool;
  }

  /** Shuts every pool down; a pool that does not close in time fails the test, not the build. */
  @AfterEach
  void shutDownPools() throws InterruptedException {
    for (Pool pool : pools) {
      pool.shutdownNow();
      Thread closer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      pool.close();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
      if (!closer.join(PATIENCE)) {
        closer.interrupt();
        throw new AssertionError(pool + " did not close within " + PATIENCE + " of shutdownNow()");
      }
    }
  }

  // ---- submit ----

  @Test
  void submitRunsTheWorkAndJoinReturnsItsResult() throws Exception {
    Task<String> task = pool(4).submit(work(() -> "done"));
    assertThat(task.join()).isEqualTo("done");
  }

  @Test
  void submitWithANameNamesTheTask() throws Exception {
    Task<Integer> task = pool(4).submit("answer", work(() -> 42));
    assertThat(task.name()).isEqualTo("answer");
    assertThat(task.join()).isEqualTo(42);
  }

  @Test
  void submittedFailureIsRethrownByJoinAsIs() {
    Task<Object> task =
        pool(4)
            .submit(
                work(
                    () -> {
                      throw new IllegalStateException("boom");
                    }));
    assertThatThrownBy(task::join).isExactlyInstanceOf(IllegalStateException.class).hasMessage("boom");
  }

  @Test
  void cancellingASubmittedTaskInterruptsIt() throws Exception {
    Pool pool = pool(4);
    Probe started = probe();
    Probe interrupted = probe();
    Task<Object> task = pool.submit(blockUntilInterrupted(started, interrupted));
    await().atMost(PATIENCE).until(() -> started.value() == 1);
    assertThat(task.cancel()).isTrue();
    awaitStopped(pool, interrupted, 1);
    assertThat(task.state()).isEqualTo(Future.State.CANCELLED);
  }

  // ---- map ----

  @Test
  void mapReturnsResultsInInputOrder() throws Exception {
    List<Integer> items = IntStream.range(0, 200).boxed().toList();
    List<Integer> results = pool(4).map(fn(i -> i * 2), items);
    assertThat(results).isEqualTo(items.stream().map(i -> i * 2).toList());
  }

  @Test
  void mapOfAnEmptyInputIsEmpty() throws Exception {
    assertThat(pool(4).map(fn(i -> i), List.<Integer>of())).isEmpty();
  }

  @Test
  void mapRethrowsTheFirstFailureAndInterruptsTheItemsStillRunning() {
    Pool pool = pool(4);
    Probe othersStarted = probe();
    Probe othersInterrupted = probe();
    Fn<Integer, Integer> function =
        i -> {
          if (i == 0) {
            othersStarted.awaitAtLeast(3);
            throw new IllegalStateException("boom");
          }
          blockUntilInterrupted(othersStarted, othersInterrupted).call();
          return i;
        };
    assertThatThrownBy(() -> pool.map(function, List.of(0, 1, 2, 3)))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("boom");
    awaitStopped(pool, othersInterrupted, 3);
  }

  @Test
  void mapWrapsACheckedFailureOnceInTaskFailedException() {
    Fn<Integer, Integer> function =
        i -> {
          throw new IOException("disk full");
        };
    assertThatThrownBy(() -> pool(4).map(function, List.of(1)))
        .isInstanceOf(TaskFailedException.class)
        .cause()
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("disk full");
  }

  @Test
  void mapSettledReportsEveryOutcomeInInputOrder() throws Exception {
    List<Outcome<Integer>> outcomes =
        pool(4)
            .mapSettled(
                fn(
                    i -> {
                      if (i % 2 == 1) {
                        throw new IllegalArgumentException("odd");
                      }
                      return i;
                    }),
                List.of(0, 1, 2, 3, 4));
    assertThat(outcomes.stream().map(PoolContract::describe))
        .containsExactly(
            "Success[0]",
            "Failure[IllegalArgumentException: odd]",
            "Success[2]",
            "Failure[IllegalArgumentException: odd]",
            "Success[4]");
  }

  @Test
  void mapAsyncCompletesWithTheResultsInInputOrder() throws Exception {
    List<Integer> items = IntStream.range(0, 100).boxed().toList();
    Task<List<Integer>> all = pool(4).mapAsync(fn(i -> i + 1), items);
    assertThat(all.join()).isEqualTo(items.stream().map(i -> i + 1).toList());
  }

  @Test
  void mapAsyncRunsOnAPoolOfOne() throws Exception {
    Task<List<Integer>> all = pool(1).mapAsync(fn(i -> -i), List.of(1, 2, 3));
    assertThat(all.join(PATIENCE)).containsExactly(-1, -2, -3);
  }

  @Test
  void mapAsyncFailsWithTheFirstFailure() {
    Task<List<Integer>> all =
        pool(4)
            .mapAsync(
                fn(
                    i -> {
                      if (i == 2) {
                        throw new IllegalStateException("boom");
                      }
                      return i;
                    }),
                List.of(1, 2, 3));
    assertThatThrownBy(all::join).isExactlyInstanceOf(IllegalStateException.class).hasMessage("boom");
  }

  @Test
  void cancellingMapAsyncInterruptsItsItems() throws Exception {
    Pool pool = pool(4);
    Probe started = probe();
    Probe interrupted = probe();
    Work<Object> block = blockUntilInterrupted(started, interrupted);
    Task<List<Object>> all = pool.mapAsync(fn(_ -> block.call()), List.of(1, 2));
    await().atMost(PATIENCE).until(() -> started.value() == 2);
    all.cancel();
    awaitStopped(pool, interrupted, 2);
    assertThatThrownBy(all::join).isInstanceOf(CancellationException.class);
  }

  // ---- imap ----

  @Test
  void imapYieldsInInputOrderWhenLaterItemsFinishFirst() {
    Probe release = probe();
    Probe latersDone = probe();
    Fn<Integer, Integer> function =
        i -> {
          if (i == 0) {
            release.awaitAtLeast(1);
          } else {
            latersDone.increment();
          }
          return i;
        };
    try (PoolIterator<Integer> results = pool(4).imap(function, List.of(0, 1, 2))) {
      await().atMost(PATIENCE).until(() -> latersDone.value() == 2);
      release.increment();
      assertThat(drain(results)).containsExactly(0, 1, 2);
    }
  }

  @Test
  void imapDrawsNoMoreThanTheLookAheadBeyondWhatWasConsumed() {
    Pool pool = pool(4);
    var input = new CountingIterator(1_000);
    try (PoolIterator<Integer> results = pool.imap(fn(i -> i), () -> input)) {
      assertThat(input.drawn()).isEqualTo(pool.lookAhead());
      int consumed = 0;
      while (results.hasNext()) {
        assertThat(results.next()).isEqualTo(consumed);
        consumed++;
        assertThat(input.drawn()).isLessThanOrEqualTo(consumed + pool.lookAhead());
      }
      assertThat(consumed).isEqualTo(1_000);
    }
  }

  @Test
  void imapOverAnEndlessInputRunsInBoundedMemory() {
    Pool pool = pool(4);
    var input = new CountingIterator(Long.MAX_VALUE);
    try (PoolIterator<Integer> results = pool.imap(fn(i -> i), () -> input)) {
      for (int consumed = 1; consumed <= endlessItems(); consumed++) {
        assertThat(results.next()).isEqualTo(consumed - 1);
        assertThat(input.drawn()).isLessThanOrEqualTo(consumed + pool.lookAhead());
      }
    }
    assertThat(input.drawn()).isLessThanOrEqualTo(endlessItems() + pool.lookAhead());
  }

  @Test
  void closingAnImapEarlyInterruptsTheItemsInFlight() throws Exception {
    Pool pool = pool(4);
    Probe started = probe();
    Probe interrupted = probe();
    Work<Object> block = blockUntilInterrupted(started, interrupted);
    Fn<Integer, Integer> function =
        i -> {
          if (i == 0) {
            return i;
          }
          block.call();
          return i;
        };
    PoolIterator<Integer> results = pool.imap(function, () -> new CountingIterator(100));
    assertThat(results.next()).isZero();
    await().atMost(PATIENCE).until(() -> started.value() >= Math.min(3, pool.lookAhead() - 1));
    results.close();
    assertThat(results.hasNext()).isFalse();
    pool.close();
    awaitStopped(pool, interrupted, started.value());
    assertThat(pool.stats().running()).isZero();
  }

  @Test
  void interruptWhileNextWaitsCancelsInFlightKeepsTheFlagAndThrowsCancellation()
      throws Exception {
    Pool pool = pool(4);
    Probe started = probe();
    Probe interrupted = probe();
    Work<Object> block = blockUntilInterrupted(started, interrupted);
    var thrown = new AtomicReference<Throwable>();
    var flagKept = new AtomicReference<Boolean>();
    Thread consumer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (PoolIterator<Object> results = pool.imap(fn(_ -> block.call()), List.of(1))) {
                    results.next();
                  } catch (RuntimeException e) {
                    thrown.set(e);
                    flagKept.set(Thread.currentThread().isInterrupted());
                  }
                });
    await().atMost(PATIENCE).until(() -> started.value() == 1);
    consumer.interrupt();
    assertThat(consumer.join(PATIENCE)).isTrue();
    assertThat(thrown.get()).isInstanceOf(CancellationException.class);
    assertThat(flagKept.get()).isTrue();
    awaitStopped(pool, interrupted, 1);
  }

  @Test
  void imapRethrowsAFailureWhenItsTurnComes() {
    try (PoolIterator<Integer> results =
        pool(4)
            .imap(
                fn(
                    i -> {
                      if (i == 1) {
                        throw new IllegalStateException("boom");
                      }
                      return i;
                    }),
                List.of(0, 1, 2))) {
      assertThat(results.next()).isZero();
      assertThatThrownBy(results::next)
          .isExactlyInstanceOf(IllegalStateException.class)
          .hasMessage("boom");
      assertThat(results.hasNext()).isFalse();
    }
  }

  // ---- imapUnordered ----

  @Test
  void imapUnorderedYieldsInCompletionOrder() {
    Probe releaseA = probe();
    Probe releaseB = probe();
    Fn<String, String> function =
        s -> {
          switch (s) {
            case "a" -> releaseA.awaitAtLeast(1);
            case "b" -> releaseB.awaitAtLeast(1);
            default -> {}
          }
          return s;
        };
    try (PoolIterator<String> results =
        pool(4).imapUnordered(function, List.of("a", "b", "c"))) {
      assertThat(results.next()).isEqualTo("c");
      releaseB.increment();
      assertThat(results.next()).isEqualTo("b");
      releaseA.increment();
      assertThat(results.next()).isEqualTo("a");
      assertThat(results.hasNext()).isFalse();
    }
  }

  @Test
  void imapUnorderedOverAnEndlessInputRunsInBoundedMemory() {
    Pool pool = pool(4);
    var input = new CountingIterator(Long.MAX_VALUE);
    var seen = new java.util.BitSet();
    try (PoolIterator<Integer> results = pool.imapUnordered(fn(i -> i), () -> input)) {
      for (int consumed = 1; consumed <= endlessItems(); consumed++) {
        seen.set(results.next());
        assertThat(input.drawn()).isLessThanOrEqualTo(consumed + pool.lookAhead());
      }
    }
    assertThat(seen.cardinality()).isEqualTo(endlessItems());
  }

  @Test
  void imapUnorderedRethrowsTheFirstFailureAndInterruptsTheRest() {
    Pool pool = pool(4);
    Probe othersStarted = probe();
    Probe othersInterrupted = probe();
    Fn<Integer, Integer> function =
        i -> {
          if (i == 0) {
            othersStarted.awaitAtLeast(2);
            throw new IllegalStateException("boom");
          }
          blockUntilInterrupted(othersStarted, othersInterrupted).call();
          return i;
        };
    try (PoolIterator<Integer> results = pool.imapUnordered(function, List.of(0, 1, 2))) {
      assertThatThrownBy(results::next)
          .isExactlyInstanceOf(IllegalStateException.class)
          .hasMessage("boom");
      assertThat(results.hasNext()).isFalse();
      awaitStopped(pool, othersInterrupted, 2); // before close()
    }
  }

  @Test
  void imapUnorderedSettledYieldsEveryItemWithItsOutcome() {
    var completed = new ArrayList<Pool.Completed<Integer, Integer>>();
    try (PoolIterator<Pool.Completed<Integer, Integer>> results =
        pool(4)
            .imapUnorderedSettled(
                fn(
                    i -> {
                      if (i % 2 == 1) {
                        throw new IllegalArgumentException("odd");
                      }
                      return i * 10;
                    }),
                List.of(0, 1, 2, 3))) {
      results.forEachRemaining(completed::add);
    }
    completed.sort((x, y) -> Long.compare(x.index(), y.index()));
    assertThat(completed.stream().map(c -> c.index() + " " + c.item() + " " + describe(c.outcome())))
        .containsExactly(
            "0 0 Success[0]",
            "1 1 Failure[IllegalArgumentException: odd]",
            "2 2 Success[20]",
            "3 3 Failure[IllegalArgumentException: odd]");
  }

  // ---- progress ----

  @Test
  void progressCountsDrawnDoneAndFailedItems() throws Exception {
    var progress = Progress.create();
    pool(4)
        .mapSettled(
            fn(
                i -> {
                  if (i < 3) {
                    throw new IllegalStateException("early");
                  }
                  return i;
                }),
            IntStream.range(0, 10).boxed().toList(),
            progress);
    assertThat(progress.snapshot())
        .extracting(Progress.Snapshot::total, Progress.Snapshot::done, Progress.Snapshot::failed)
        .containsExactly(10L, 7L, 3L);
  }

  @Test
  void progressWithAKnownTotalKeepsItsTotal() throws Exception {
    var progress = Progress.create(3);
    pool(4).map(fn(i -> i), List.of(1, 2, 3), progress);
    assertThat(progress.total()).isEqualTo(3);
    assertThat(progress.done()).isEqualTo(3);
  }

  @Test
  void progressOfAnImapCountsItemsAsTheyAreDrawnAndEnd() {
    var progress = Progress.create();
    try (PoolIterator<Integer> results =
        pool(4).imapUnordered(fn(i -> i), () -> new CountingIterator(50), progress)) {
      drain(results);
    }
    await().atMost(PATIENCE).until(() -> progress.done() == 50);
    assertThat(progress.total()).isEqualTo(50);
  }

  // ---- limits, close and shutdown ----

  @Test
  void noMoreThanMaxConcurrentTasksRunAtOnce() throws Exception {
    Pool pool = pool(3);
    assumeThat(pool.maxConcurrent()).isEqualTo(3);
    Probe current = probe();
    Probe max = probe();
    Probe arrived = probe();
    pool.map(
        fn(
            i -> {
              max.raiseTo(current.increment());
              arrived.increment();
              arrived.awaitAtLeast(3); // the first three meet here, so three do run at once
              current.decrement();
              return i;
            }),
        IntStream.range(0, 30).boxed().toList());
    assertThat(max.value()).isEqualTo(3);
  }

  @Test
  void closeWaitsForSubmittedWork() throws Exception {
    Pool pool = pool(4);
    Probe release = probe();
    Task<String> task =
        pool.submit(
            work(
                () -> {
                  release.awaitAtLeast(1);
                  return "finished";
                }));
    var closed = new CountDownLatch(1);
    Thread closer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    pool.close();
                    closed.countDown();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    await().atMost(PATIENCE).until(pool::isClosed);
    assertThat(closed.await(50, TimeUnit.MILLISECONDS)).isFalse();
    release.increment();
    assertThat(closer.join(PATIENCE)).isTrue();
    assertThat(closed.getCount()).isZero();
    assertThat(task.state()).isEqualTo(Future.State.SUCCESS);
  }

  @Test
  void shutdownNowCancelsRunningAndQueuedTasks() throws Exception {
    Pool pool = pool(1);
    Probe started = probe();
    Probe interrupted = probe();
    Task<Object> running = pool.submit(blockUntilInterrupted(started, interrupted));
    await().atMost(PATIENCE).until(() -> started.value() == 1);
    Task<Object> queuedOrRunning = pool.submit(blockUntilInterrupted(probe(), probe()));
    pool.shutdownNow();
    awaitStopped(pool, interrupted, 1);
    pool.close();
    assertThat(running.state()).isEqualTo(Future.State.CANCELLED);
    assertThat(queuedOrRunning.state()).isEqualTo(Future.State.CANCELLED);
    assertThat(pool.stats().cancelled()).isEqualTo(2);
  }

  @Test
  void submitAfterCloseIsRefusedWithThePoolsName() throws Exception {
    Pool pool = pool(4);
    pool.close();
    assertThatThrownBy(() -> pool.submit(work(() -> 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Pool[" + pool.name() + "] already closed");
  }

  @Test
  void mapAfterCloseIsRefused() throws Exception {
    Pool pool = pool(4);
    pool.close();
    assertThatThrownBy(() -> pool.map(fn(i -> i), List.of(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Pool[" + pool.name() + "] already closed");
  }

  @Test
  void closeWaitsForAMapAsyncThatStillDrawsItsInput() throws Exception {
    Pool pool = pool(2);
    Task<List<Integer>> all = pool.mapAsync(fn(i -> i), () -> new CountingIterator(500));
    pool.close();
    assertThat(all.state()).isEqualTo(Future.State.SUCCESS);
    assertThat(all.resultNow()).hasSize(500);
  }

  @Test
  void statsCountTasksByHowTheyEnded() throws Exception {
    Pool pool = pool(4);
    pool.mapSettled(
        fn(
            i -> {
              if (i == 0) {
                throw new IllegalStateException("zero");
              }
              return i;
            }),
        List.of(0, 1, 2));
    pool.close();
    assertThat(pool.stats()).isEqualTo(new Pool.Stats(3, 0, 0, 2, 1, 0));
  }

  // ---- helpers ----

  /**
   * How many items the endless-input tests consume: enough to show memory stays bounded (many
   * times the look-ahead). A backend whose every item costs a process round trip may lower it.
   */
  protected int endlessItems() {
    return 5_000;
  }

  /** Work that counts {@code started}, then waits to be interrupted and counts that. */
  protected static Work<Object> blockUntilInterrupted(Probe started, Probe interrupted) {
    return () -> {
      started.increment();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.increment();
        throw e;
      }
      return null;
    };
  }

  /** An outcome as {@code Success[value]} or {@code Failure[Type: message]}, to compare. */
  protected static String describe(Outcome<?> outcome) {
    return switch (outcome) {
      case Outcome.Success<?>(var value) -> "Success[" + value + "]";
      case Outcome.Failure<?>(var error) ->
          "Failure[" + error.getClass().getSimpleName() + ": " + error.getMessage() + "]";
      case Outcome.Cancelled<?>() -> "Cancelled";
    };
  }

  protected static <E> List<E> drain(Iterator<E> iterator) {
    var all = new ArrayList<E>();
    iterator.forEachRemaining(all::add);
    return all;
  }

  /** 0, 1, 2, ... up to {@code size} items, counting how many were drawn. Consumer-thread only. */
  protected static final class CountingIterator implements Iterator<Integer> {
    private final long size;
    private volatile int drawn;

    public CountingIterator(long size) {
      this.size = size;
    }

    public int drawn() {
      return drawn;
    }

    @Override
    public boolean hasNext() {
      return drawn < size;
    }

    @Override
    public Integer next() {
      return drawn++;
    }
  }
}
