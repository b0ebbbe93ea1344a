package dev.weft;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/**
 * A set of workers that runs submitted tasks and maps functions over inputs, with a concurrency
 * limit, a bounded look-ahead over the input, and {@link Progress} reporting.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="pool" :
 * try (var pool = Pool.virtual(64)) {                       // at most 64 downloads at a time
 *   List<Page> pages = pool.map(this::fetch, urls);         // in input order; fails fast
 *   try (PoolIterator<Page> crawl = pool.imapUnordered(this::fetch, endlessUrls())) {
 *     while (crawl.hasNext()) {
 *       index(crawl.next());                                // as they complete; bounded memory
 *     }
 *   }
 * } // close() waits for everything submitted
 * }
 *
 * <h2>Backends</h2>
 *
 * {@link #virtual()} starts a virtual thread per task; {@link #virtual(int)} does the same but
 * runs at most that many at once, the others waiting in a queue; {@link #threads(int)} runs tasks
 * on a fixed set of named platform threads (for CPU-bound work, or code that pins its carrier).
 * Other modules add backends with the same semantics through {@link #builder()}: an {@link
 * Interceptor} turns each submitted {@link Callable} into the one that actually runs on the pool's
 * virtual thread (for example "send it to a child JVM and wait for the answer"), and {@link
 * Builder#onClose} releases the backend's resources. Every map operation is written once, on top
 * of {@link #submit}, so every backend behaves the same.
 *
 * <h2>Maps</h2>
 *
 * {@link #map} and {@link #mapSettled} return lists in input order; {@link #imap} iterates in
 * input order and {@link #imapUnordered}/{@link #imapUnorderedSettled} in completion order;
 * {@link #mapAsync} returns a task. Each keeps at most {@link #lookAhead()} items in flight,
 * drawing the input lazily (the i-th item is drawn only after the (i - lookAhead)-th result was
 * consumed), so an endless input runs in bounded memory; a {@code map} holds its results only.
 * The first item that fails fails the operation — rethrown as {@link Task#join()} does: unchecked
 * as it is, checked wrapped once in {@link TaskFailedException} — and cancels (interrupts) the
 * items still in flight; the settled variants instead report every item's {@link Outcome}.
 * Every operation takes an optional {@link Progress}.
 *
 * <h2>Comparison with the JDK and Python</h2>
 *
 * Against {@link java.util.concurrent.ExecutorService}: {@link #submit} returns a {@link Task}
 * (join without {@code ExecutionException}, cancel that interrupts); {@link #map} is {@code
 * invokeAll} that fails fast, cancels the rest and does not hold every item's future at once;
 * {@link #imapUnordered} is an {@link java.util.concurrent.ExecutorCompletionService} that also
 * feeds itself from the input with backpressure; {@link #close()} and {@link #shutdownNow()} are
 * the executor's. Against Python: {@link #submit} and {@link #map} are {@code
 * concurrent.futures.Executor.submit/map} (whose {@code map} submits the whole input at once);
 * {@link #imap}, {@link #imapUnordered} and {@link #mapAsync} are {@code multiprocessing.Pool}'s
 * {@code imap}, {@code imap_unordered} and {@code map_async} (whose task feeder drains the whole
 * input ahead of the workers: here the look-ahead is bounded); {@link Progress} replaces wrapping
 * the results in {@code tqdm}. A failing item does not leave its siblings running, as it does in
 * both.
 *
 * <p>Thread contract: a pool is thread-safe; any thread may submit, map and close. A map's
 * iterator belongs to the thread that consumes it, which also draws the input (so the input need
 * not be thread-safe). Tasks run on the pool's threads; done callbacks run on the thread that ends
 * the task. Submitting never blocks: tasks beyond the concurrency limit wait in an unbounded
 * queue, and it is the maps' look-ahead that bounds memory. A task must not wait for a map or a
 * task of its own bounded pool (its permit would be held while what it waits for queues behind
 * it), nor close its own pool. Once the pool is closed, a map that still has input to draw fails
 * with the same {@link IllegalStateException} as {@link #submit}; only {@link #mapAsync}, accepted
 * before the close, goes on drawing.
 */
@SuppressWarnings("try") // close() waits, so it throws InterruptedException
public sealed interface Pool extends AutoCloseable permits PoolImpl {

  /** The look-ahead of a pool without a concurrency limit. */
  int UNLIMITED_LOOK_AHEAD = 256;

  /** A pool that starts a virtual thread for each task, without a limit. */
  static Pool virtual() {
    return builder().build();
  }

  /** A pool that runs each task on its own virtual thread, at most {@code maxConcurrent} at once. */
  static Pool virtual(int maxConcurrent) {
    return builder().maxConcurrent(maxConcurrent).build();
  }

  /** A pool of {@code n} platform threads named {@code <pool name>-thread-<i>}. */
  static Pool threads(int n) {
    return builder().platformThreads(n).build();
  }

  /** A builder for a pool with a name, a clock, a look-ahead or a backend of its own. */
  static Builder builder() {
    return new Builder();
  }

  /** The pool's name, used in its tasks' names and its error messages. */
  String name();

  /** The most tasks that run at once, {@link Integer#MAX_VALUE} without a limit. */
  int maxConcurrent();

  /** The most items a map operation keeps in flight ahead of its consumer. */
  int lookAhead();

  /**
   * Starts {@code work} as a task named {@code <pool name>-<n>}. Never blocks.
   *
   * @throws IllegalStateException if the pool is closed: {@code Pool[<name>] already closed}
   */
  <T> Task<T> submit(Callable<T> work);

  /** Starts {@code work} as a task called {@code name}, as {@link #submit(Callable)} does. */
  <T> Task<T> submit(String name, Callable<T> work);

  /**
   * Applies {@code function} to every item and returns the results in input order; on the first
   * failure cancels the items in flight and rethrows it.
   *
   * @throws InterruptedException if the caller is interrupted; the items in flight are cancelled
   */
  <T, R> List<R> map(TaskFunction<? super T, ? extends R> function, Iterable<? extends T> items)
      throws InterruptedException;

  /** {@link #map(TaskFunction, Iterable)}, reporting to {@code progress}. */
  <T, R> List<R> map(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress)
      throws InterruptedException;

  /** Applies {@code function} to every item and returns every outcome in input order. */
  <T, R> List<Outcome<R>> mapSettled(
      TaskFunction<? super T, ? extends R> function, Iterable<? extends T> items)
      throws InterruptedException;

  /** {@link #mapSettled(TaskFunction, Iterable)}, reporting to {@code progress}. */
  <T, R> List<Outcome<R>> mapSettled(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress)
      throws InterruptedException;

  /**
   * A lazy iterator over the results in input order, keeping at most {@link #lookAhead()} items in
   * flight. It starts that many at once; each {@code next()} draws one more. {@code next()}
   * rethrows the first failure (after cancelling the rest); if the consuming thread is interrupted
   * while {@code next()} waits, it cancels the items in flight, keeps the interrupt flag set and
   * throws {@link CancellationException}. Close it to cancel what is still in flight.
   */
  <T, R> PoolIterator<R> imap(
      TaskFunction<? super T, ? extends R> function, Iterable<? extends T> items);

  /** {@link #imap(TaskFunction, Iterable)}, reporting to {@code progress}. */
  <T, R> PoolIterator<R> imap(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress);

  /** As {@link #imap(TaskFunction, Iterable)}, but yielding results in completion order. */
  <T, R> PoolIterator<R> imapUnordered(
      TaskFunction<? super T, ? extends R> function, Iterable<? extends T> items);

  /** {@link #imapUnordered(TaskFunction, Iterable)}, reporting to {@code progress}. */
  <T, R> PoolIterator<R> imapUnordered(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress);

  /**
   * As {@link #imapUnordered(TaskFunction, Iterable)}, but yielding every item with its outcome
   * instead of failing fast: the iterator ends only when the input does.
   */
  <T, R> PoolIterator<Completed<T, R>> imapUnorderedSettled(
      TaskFunction<? super T, ? extends R> function, Iterable<? extends T> items);

  /** {@link #imapUnorderedSettled(TaskFunction, Iterable)}, reporting to {@code progress}. */
  <T, R> PoolIterator<Completed<T, R>> imapUnorderedSettled(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress);

  /**
   * {@link #map(TaskFunction, Iterable)} run by a task of this pool, named {@code <pool
   * name>-mapAsync-<n>}, which draws the input on its own virtual thread (outside the concurrency
   * limit). Cancelling it cancels the items in flight; {@link #close()} waits for it.
   */
  <T, R> Task<List<R>> mapAsync(
      TaskFunction<? super T, ? extends R> function, Iterable<? extends T> items);

  /** {@link #mapAsync(TaskFunction, Iterable)}, reporting to {@code progress}. */
  <T, R> Task<List<R>> mapAsync(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress);

  /**
   * Stops accepting tasks and waits until every task submitted has ended (a {@link #mapAsync}
   * still draws its input and runs it), then releases the backend. If interrupted while waiting,
   * it calls {@link #shutdownNow()} and rethrows. Calling it again waits again.
   */
  @Override
  void close() throws InterruptedException;

  /**
   * Stops accepting tasks and cancels every task queued or running (running ones are
   * interrupted). Does not wait: {@link #close()} does.
   */
  void shutdownNow();

  /** Whether {@link #close()} or {@link #shutdownNow()} was called. */
  boolean isClosed();

  /** Counts of the tasks this pool ran and runs. */
  Stats stats();

  /**
   * Counts of a pool's tasks at one moment (not atomic across fields while tasks run); a {@link
   * #mapAsync} counts as a task beside its items.
   *
   * {@snippet :
   * Pool.Stats stats = pool.stats();
   * System.out.printf("%d running, %d queued, %d failed%n", stats.running(), stats.queued(),
   *     stats.failed());
   * }
   *
   * @param submitted tasks accepted since the pool was made
   * @param running tasks running now
   * @param queued tasks accepted and waiting to start
   * @param succeeded tasks that returned a value
   * @param failed tasks that threw
   * @param cancelled tasks that were cancelled
   */
  record Stats(
      long submitted, long running, long queued, long succeeded, long failed, long cancelled) {}

  /**
   * One item of an {@link #imapUnorderedSettled} and how its function ended.
   *
   * {@snippet :
   * try (var results = pool.imapUnorderedSettled(this::fetch, urls)) {
   *   results.forEachRemaining(done -> {
   *     if (done.outcome() instanceof Outcome.Failure<Page>(var error)) {
   *       System.err.println(done.item() + " failed: " + error);
   *     }
   *   });
   * }
   * }
   *
   * @param index the item's position in the input, from 0
   * @param item the item
   * @param outcome the function's result, failure or cancellation
   */
  record Completed<T, R>(long index, T item, Outcome<R> outcome) {}

  /**
   * Turns each submitted {@link Callable} into the one a pool actually runs on its virtual thread:
   * the extension point of backends in other modules (a child-JVM pool returns "send {@code work}
   * to a worker and wait for its answer"). The returned callable must respond to interruption,
   * which is how the task is cancelled, and should rethrow the work's own exception so that
   * callers see it as if it had run in place.
   *
   * {@snippet :
   * Pool remote = Pool.builder()
   *     .name("workers")
   *     .maxConcurrent(workers.size())
   *     .around((taskName, work) -> () -> workers.runOnAny(taskName, work))
   *     .onClose(workers)
   *     .build();
   * }
   */
  @FunctionalInterface
  interface Interceptor {

    /** The callable to run for the task {@code taskName} in place of {@code work}. */
    Callable<?> around(String taskName, Callable<?> work);
  }

  /**
   * Options for a {@link Pool}; {@link #build()} makes it. Not thread-safe: use it on one thread.
   *
   * {@snippet :
   * Pool pool = Pool.builder().name("thumbnails").platformThreads(4).lookAhead(16).build();
   * }
   */
  final class Builder {
    String name;
    int maxConcurrent = Integer.MAX_VALUE;
    int platformThreads;
    int lookAhead;
    Clock clock = Clock.system();
    Interceptor interceptor;
    AutoCloseable closeHook;

    private Builder() {}

    /** The pool's name (default {@code pool-<n>}). */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("pool name must not be blank: '" + name + "'");
      }
      this.name = name;
      return this;
    }

    /** Runs tasks on virtual threads, at most {@code n} at once (default: no limit). */
    public Builder maxConcurrent(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("maxConcurrent must be > 0: " + n);
      }
      this.maxConcurrent = n;
      this.platformThreads = 0;
      return this;
    }

    /** Runs tasks on {@code n} platform threads instead of virtual ones. */
    public Builder platformThreads(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("threads must be > 0: " + n);
      }
      this.platformThreads = n;
      this.maxConcurrent = n;
      return this;
    }

    /** The most items a map operation keeps in flight (default: twice the concurrency, or 256). */
    public Builder lookAhead(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("lookAhead must be > 0: " + n);
      }
      this.lookAhead = n;
      return this;
    }

    /** The clock of the tasks' timed joins (default {@link Clock#system()}). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs every task through {@code interceptor}: see {@link Interceptor}. */
    public Builder around(Interceptor interceptor) {
      this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
      return this;
    }

    /**
     * Closes {@code resource} once, when {@link Pool#close()} has seen every task end, to release
     * what a backend holds (worker processes, a cluster client).
     */
    public Builder onClose(AutoCloseable resource) {
      this.closeHook = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /** A new pool with these options. */
    public Pool build() {
      return new PoolImpl(this);
    }
  }
}
