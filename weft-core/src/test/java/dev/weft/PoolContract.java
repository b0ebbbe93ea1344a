package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>No test sleeps: items wait on latches, and the test waits with a bounded {@code await}. The
 * functions are lambdas over values captured from the test; a backend that runs work in another
 * JVM must run them as an in-process test double would (or skip the tests that share state).
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

  /** A pool that is shut down and closed after the test, whatever happened. */
  protected final Pool pool(int concurrency) {
    Pool pool = newPool(concurrency);
    pools.add(pool);
    return pool;
  }

  @AfterEach
  void shutDownPools() throws InterruptedException {
    for (Pool pool : pools) {
      pool.shutdownNow();
      pool.close();
    }
  }

  // ---- submit ----

  @Test
  void submitRunsTheWorkAndJoinReturnsItsResult() throws Exception {
    Task<String> task = pool(4).submit(() -> "done");
    assertThat(task.join()).isEqualTo("done");
  }

  @Test
  void submitWithANameNamesTheTask() throws Exception {
    Task<Integer> task = pool(4).submit("answer", () -> 42);
    assertThat(task.name()).isEqualTo("answer");
    assertThat(task.join()).isEqualTo(42);
  }

  @Test
  void submittedFailureIsRethrownByJoinAsIs() {
    var boom = new IllegalStateException("boom");
    Task<Object> task =
        pool(4)
            .submit(
                () -> {
                  throw boom;
                });
    assertThatThrownBy(task::join).isSameAs(boom);
  }

  @Test
  void cancellingASubmittedTaskInterruptsIt() throws Exception {
    var started = new CountDownLatch(1);
    var interrupted = new CountDownLatch(1);
    Task<Object> task = pool(4).submit(blockUntilInterrupted(started, interrupted));
    assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(task.cancel()).isTrue();
    assertThat(interrupted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(task.state()).isEqualTo(Future.State.CANCELLED);
  }

  // ---- map ----

  @Test
  void mapReturnsResultsInInputOrder() throws Exception {
    List<Integer> items = IntStream.range(0, 200).boxed().toList();
    List<Integer> results = pool(4).map(i -> i * 2, items);
    assertThat(results).isEqualTo(items.stream().map(i -> i * 2).toList());
  }

  @Test
  void mapOfAnEmptyInputIsEmpty() throws Exception {
    assertThat(pool(4).map(i -> i, List.<Integer>of())).isEmpty();
  }

  @Test
  void mapRethrowsTheFirstFailureAndInterruptsTheItemsStillRunning() {
    Pool pool = pool(4);
    var boom = new IllegalStateException("boom");
    var othersStarted = new CountDownLatch(3);
    var othersInterrupted = new CountDownLatch(3);
    TaskFunction<Integer, Integer> function =
        i -> {
          if (i == 0) {
            othersStarted.await();
            throw boom;
          }
          blockUntilInterrupted(othersStarted, othersInterrupted).call();
          return i;
        };
    assertThatThrownBy(() -> pool.map(function, List.of(0, 1, 2, 3))).isSameAs(boom);
    await().atMost(PATIENCE).until(() -> othersInterrupted.getCount() == 0);
  }

  @Test
  void mapWrapsACheckedFailureOnceInTaskFailedException() {
    var io = new IOException("disk full");
    TaskFunction<Integer, Integer> function =
        i -> {
          throw io;
        };
    assertThatThrownBy(() -> pool(4).map(function, List.of(1)))
        .isInstanceOf(TaskFailedException.class)
        .hasCause(io);
  }

  @Test
  void mapSettledReportsEveryOutcomeInInputOrder() throws Exception {
    var odd = new IllegalArgumentException("odd");
    List<Outcome<Integer>> outcomes =
        pool(4)
            .mapSettled(
                i -> {
                  if (i % 2 == 1) {
                    throw odd;
                  }
                  return i;
                },
                List.of(0, 1, 2, 3, 4));
    assertThat(outcomes)
        .containsExactly(
            new Outcome.Success<>(0),
            new Outcome.Failure<>(odd),
            new Outcome.Success<>(2),
            new Outcome.Failure<>(odd),
            new Outcome.Success<>(4));
  }

  @Test
  void mapAsyncCompletesWithTheResultsInInputOrder() throws Exception {
    List<Integer> items = IntStream.range(0, 100).boxed().toList();
    Task<List<Integer>> all = pool(4).mapAsync(i -> i + 1, items);
    assertThat(all.join()).isEqualTo(items.stream().map(i -> i + 1).toList());
  }

  @Test
  void mapAsyncRunsOnAPoolOfOne() throws Exception {
    Task<List<Integer>> all = pool(1).mapAsync(i -> -i, List.of(1, 2, 3));
    assertThat(all.join(PATIENCE)).containsExactly(-1, -2, -3);
  }

  @Test
  void mapAsyncFailsWithTheFirstFailure() {
    var boom = new IllegalStateException("boom");
    Task<List<Integer>> all =
        pool(4)
            .mapAsync(
                i -> {
                  if (i == 2) {
                    throw boom;
                  }
                  return i;
                },
                List.of(1, 2, 3));
    assertThatThrownBy(all::join).isSameAs(boom);
  }

  @Test
  void cancellingMapAsyncInterruptsItsItems() throws Exception {
    var started = new CountDownLatch(2);
    var interrupted = new CountDownLatch(2);
    Task<List<Object>> all =
        pool(4).mapAsync(_ -> blockUntilInterrupted(started, interrupted).call(), List.of(1, 2));
    assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    all.cancel();
    assertThat(interrupted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(all::join).isInstanceOf(CancellationException.class);
  }

  // ---- imap ----

  @Test
  void imapYieldsInInputOrderWhenLaterItemsFinishFirst() {
    var release = new CountDownLatch(1);
    var latersDone = new CountDownLatch(2);
    TaskFunction<Integer, Integer> function =
        i -> {
          if (i == 0) {
            release.await();
          } else {
            latersDone.countDown();
          }
          return i;
        };
    try (PoolIterator<Integer> results = pool(4).imap(function, List.of(0, 1, 2))) {
      await().atMost(PATIENCE).until(() -> latersDone.getCount() == 0);
      release.countDown();
      assertThat(drain(results)).containsExactly(0, 1, 2);
    }
  }

  @Test
  void imapDrawsNoMoreThanTheLookAheadBeyondWhatWasConsumed() {
    Pool pool = pool(4);
    var input = new CountingIterator(1_000);
    try (PoolIterator<Integer> results = pool.imap(i -> i, () -> input)) {
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
    try (PoolIterator<Integer> results = pool.imap(i -> i, () -> input)) {
      for (int consumed = 1; consumed <= 5_000; consumed++) {
        assertThat(results.next()).isEqualTo(consumed - 1);
        assertThat(input.drawn()).isLessThanOrEqualTo(consumed + pool.lookAhead());
      }
    }
    assertThat(input.drawn()).isLessThanOrEqualTo(5_000 + pool.lookAhead());
  }

  @Test
  void closingAnImapEarlyInterruptsTheItemsInFlight() throws Exception {
    Pool pool = pool(4);
    var started = new AtomicInteger();
    var interrupted = new AtomicInteger();
    TaskFunction<Integer, Integer> function =
        i -> {
          if (i == 0) {
            return i;
          }
          started.incrementAndGet();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            throw e;
          }
          return i;
        };
    PoolIterator<Integer> results = pool.imap(function, () -> new CountingIterator(100));
    assertThat(results.next()).isZero();
    await().atMost(PATIENCE).until(() -> started.get() >= Math.min(3, pool.lookAhead() - 1));
    results.close();
    assertThat(results.hasNext()).isFalse();
    pool.close();
    assertThat(interrupted.get()).isEqualTo(started.get());
    assertThat(pool.stats().running()).isZero();
  }

  @Test
  void interruptWhileNextWaitsCancelsInFlightKeepsTheFlagAndThrowsCancellation()
      throws Exception {
    Pool pool = pool(4);
    var started = new CountDownLatch(1);
    var interrupted = new CountDownLatch(1);
    var thrown = new AtomicReference<Throwable>();
    var flagKept = new AtomicReference<Boolean>();
    Thread consumer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (PoolIterator<Object> results =
                      pool.imap(_ -> blockUntilInterrupted(started, interrupted).call(), List.of(1))) {
                    results.next();
                  } catch (RuntimeException e) {
                    thrown.set(e);
                    flagKept.set(Thread.currentThread().isInterrupted());
                  }
                });
    assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    consumer.interrupt();
    assertThat(consumer.join(PATIENCE)).isTrue();
    assertThat(thrown.get()).isInstanceOf(CancellationException.class);
    assertThat(flagKept.get()).isTrue();
    assertThat(interrupted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void imapRethrowsAFailureWhenItsTurnComes() {
    var boom = new IllegalStateException("boom");
    try (PoolIterator<Integer> results =
        pool(4)
            .imap(
                i -> {
                  if (i == 1) {
                    throw boom;
                  }
                  return i;
                },
                List.of(0, 1, 2))) {
      assertThat(results.next()).isZero();
      assertThatThrownBy(results::next).isSameAs(boom);
      assertThat(results.hasNext()).isFalse();
    }
  }

  // ---- imapUnordered ----

  @Test
  void imapUnorderedYieldsInCompletionOrder() {
    var releaseA = new CountDownLatch(1);
    var releaseB = new CountDownLatch(1);
    TaskFunction<String, String> function =
        s -> {
          switch (s) {
            case "a" -> releaseA.await();
            case "b" -> releaseB.await();
            default -> {}
          }
          return s;
        };
    try (PoolIterator<String> results =
        pool(4).imapUnordered(function, List.of("a", "b", "c"))) {
      assertThat(results.next()).isEqualTo("c");
      releaseB.countDown();
      assertThat(results.next()).isEqualTo("b");
      releaseA.countDown();
      assertThat(results.next()).isEqualTo("a");
      assertThat(results.hasNext()).isFalse();
    }
  }

  @Test
  void imapUnorderedOverAnEndlessInputRunsInBoundedMemory() {
    Pool pool = pool(4);
    var input = new CountingIterator(Long.MAX_VALUE);
    var seen = new java.util.BitSet();
    try (PoolIterator<Integer> results = pool.imapUnordered(i -> i, () -> input)) {
      for (int consumed = 1; consumed <= 5_000; consumed++) {
        seen.set(results.next());
        assertThat(input.drawn()).isLessThanOrEqualTo(consumed + pool.lookAhead());
      }
    }
    assertThat(seen.cardinality()).isEqualTo(5_000);
  }

  @Test
  void imapUnorderedRethrowsTheFirstFailureAndInterruptsTheRest() {
    var boom = new IllegalStateException("boom");
    var othersStarted = new CountDownLatch(2);
    var othersInterrupted = new CountDownLatch(2);
    TaskFunction<Integer, Integer> function =
        i -> {
          if (i == 0) {
            othersStarted.await();
            throw boom;
          }
          blockUntilInterrupted(othersStarted, othersInterrupted).call();
          return i;
        };
    try (PoolIterator<Integer> results = pool(4).imapUnordered(function, List.of(0, 1, 2))) {
      assertThatThrownBy(results::next).isSameAs(boom);
      assertThat(results.hasNext()).isFalse();
    }
    await().atMost(PATIENCE).until(() -> othersInterrupted.getCount() == 0);
  }

  @Test
  void imapUnorderedSettledYieldsEveryItemWithItsOutcome() {
    var odd = new IllegalArgumentException("odd");
    var completed = new ArrayList<Pool.Completed<Integer, Integer>>();
    try (PoolIterator<Pool.Completed<Integer, Integer>> results =
        pool(4)
            .imapUnorderedSettled(
                i -> {
                  if (i % 2 == 1) {
                    throw odd;
                  }
                  return i * 10;
                },
                List.of(0, 1, 2, 3))) {
      results.forEachRemaining(completed::add);
    }
    completed.sort((x, y) -> Long.compare(x.index(), y.index()));
    assertThat(completed)
        .containsExactly(
            new Pool.Completed<>(0, 0, new Outcome.Success<>(0)),
            new Pool.Completed<>(1, 1, new Outcome.Failure<>(odd)),
            new Pool.Completed<>(2, 2, new Outcome.Success<>(20)),
            new Pool.Completed<>(3, 3, new Outcome.Failure<>(odd)));
  }

  // ---- progress ----

  @Test
  void progressCountsDrawnDoneAndFailedItems() throws Exception {
    var progress = Progress.create();
    pool(4)
        .mapSettled(
            i -> {
              if (i < 3) {
                throw new IllegalStateException("early");
              }
              return i;
            },
            IntStream.range(0, 10).boxed().toList(),
            progress);
    assertThat(progress.snapshot())
        .extracting(Progress.Snapshot::total, Progress.Snapshot::done, Progress.Snapshot::failed)
        .containsExactly(10L, 7L, 3L);
  }

  @Test
  void progressWithAKnownTotalKeepsItsTotal() throws Exception {
    var progress = Progress.create(3);
    pool(4).map(i -> i, List.of(1, 2, 3), progress);
    assertThat(progress.total()).isEqualTo(3);
    assertThat(progress.done()).isEqualTo(3);
  }

  @Test
  void progressOfAnImapCountsItemsAsTheyAreDrawnAndEnd() {
    var progress = Progress.create();
    try (PoolIterator<Integer> results =
        pool(4).imapUnordered(i -> i, () -> new CountingIterator(50), progress)) {
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
    var current = new AtomicInteger();
    var max = new AtomicInteger();
    var full = new CountDownLatch(3);
    pool.map(
        i -> {
          max.accumulateAndGet(current.incrementAndGet(), Math::max);
          full.countDown();
          full.await();
          current.decrementAndGet();
          return i;
        },
        IntStream.range(0, 30).boxed().toList());
    assertThat(max.get()).isEqualTo(3);
  }

  @Test
  void closeWaitsForSubmittedWork() throws Exception {
    Pool pool = pool(4);
    var release = new CountDownLatch(1);
    Task<String> task =
        pool.submit(
            () -> {
              release.await();
              return "finished";
            });
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
    release.countDown();
    assertThat(closer.join(PATIENCE)).isTrue();
    assertThat(closed.getCount()).isZero();
    assertThat(task.state()).isEqualTo(Future.State.SUCCESS);
  }

  @Test
  void shutdownNowCancelsRunningAndQueuedTasks() throws Exception {
    Pool pool = pool(1);
    var started = new CountDownLatch(1);
    var interrupted = new CountDownLatch(1);
    Task<Object> running = pool.submit(blockUntilInterrupted(started, interrupted));
    assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    Task<Object> queuedOrRunning = pool.submit(blockUntilInterrupted(new CountDownLatch(1), new CountDownLatch(1)));
    pool.shutdownNow();
    assertThat(interrupted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    pool.close();
    assertThat(running.state()).isEqualTo(Future.State.CANCELLED);
    assertThat(queuedOrRunning.state()).isEqualTo(Future.State.CANCELLED);
    assertThat(pool.stats().cancelled()).isEqualTo(2);
  }

  @Test
  void submitAfterCloseIsRefusedWithThePoolsName() throws Exception {
    Pool pool = pool(4);
    pool.close();
    assertThatThrownBy(() -> pool.submit(() -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Pool[" + pool.name() + "] already closed");
  }

  @Test
  void mapAfterCloseIsRefused() throws Exception {
    Pool pool = pool(4);
    pool.close();
    assertThatThrownBy(() -> pool.map(i -> i, List.of(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Pool[" + pool.name() + "] already closed");
  }

  @Test
  void closeWaitsForAMapAsyncThatStillDrawsItsInput() throws Exception {
    Pool pool = pool(2);
    Task<List<Integer>> all = pool.mapAsync(i -> i, () -> new CountingIterator(500));
    pool.close();
    assertThat(all.state()).isEqualTo(Future.State.SUCCESS);
    assertThat(all.resultNow()).hasSize(500);
  }

  @Test
  void statsCountTasksByHowTheyEnded() throws Exception {
    Pool pool = pool(4);
    pool.mapSettled(
        i -> {
          if (i == 0) {
            throw new IllegalStateException("zero");
          }
          return i;
        },
        List.of(0, 1, 2));
    pool.close();
    assertThat(pool.stats()).isEqualTo(new Pool.Stats(3, 0, 0, 2, 1, 0));
  }

  // ---- helpers ----

  /** Work that counts {@code started} down, then waits to be interrupted and counts that down. */
  protected static Callable<Object> blockUntilInterrupted(
      CountDownLatch started, CountDownLatch interrupted) {
    return () -> {
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return null;
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
