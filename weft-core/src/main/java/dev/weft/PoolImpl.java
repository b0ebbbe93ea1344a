package dev.weft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The one implementation of {@link Pool}: accepts tasks, hands them to a {@link PoolRunner}, keeps
 * the set of tasks whose thread has not finished (for {@link #shutdownNow()} and {@link #close()})
 * and builds every map operation on {@link PoolMapping}.
 *
 * <p>Thread contract: every method may be called from any thread. {@code live} is a concurrent
 * set: a task is added before it is handed to the runner and removed when its job's thread is done
 * with it. {@code closed} and {@code stopping} are volatile flags, set once; {@code terminated}
 * opens when the pool is closed and {@code live} is empty — the submit path adds to {@code live}
 * before it reads {@code closed}, the close path writes {@code closed} before it reads {@code
 * live}, so one of them always sees the other. The counters are {@link LongAdder}s written by the
 * tasks' threads. No lock is taken on the path of a task.
 */
@SuppressWarnings("try") // close() throws InterruptedException: it waits, as Pool says
final class PoolImpl implements Pool {
  private static final AtomicLong POOLS = new AtomicLong();

  /** Whether a submission is refused once the pool is closed. */
  enum Admission {
    /** A user's submission: refused after close. */
    CHECKED,
    /** An item drawn by a mapAsync task the pool accepted before it closed. */
    ACCEPTED_OWNER
  }

  private final String name;
  private final Clock clock;
  private final int maxConcurrent;
  private final int lookAhead;
  private final Interceptor interceptor;
  private final AutoCloseable closeHook;
  private final PoolRunner runner;
  private final Set<TaskImpl<?>> live = ConcurrentHashMap.newKeySet();
  private final LongAdder submitted = new LongAdder();
  private final AtomicLong taskNumbers = new AtomicLong();
  private final LongAdder running = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder cancelled = new LongAdder();
  private final Consumer<TaskImpl<?>> endedHook = this::taskEnded; // one per pool, not per task
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile boolean closed;
  private volatile boolean stopping;

  PoolImpl(Pool.Builder options) {
    this.name = options.name != null ? options.name : "pool-" + POOLS.incrementAndGet();
    this.clock = options.clock;
    this.maxConcurrent = options.maxConcurrent;
    this.interceptor = options.interceptor;
    this.closeHook = options.closeHook;
    this.lookAhead = options.lookAhead > 0 ? options.lookAhead : defaultLookAhead(maxConcurrent);
    this.runner =
        options.platformThreads > 0
            ? PoolRunner.platform(name, options.platformThreads)
            : PoolRunner.virtual(maxConcurrent);
  }

  private static int defaultLookAhead(int maxConcurrent) {
    return maxConcurrent >= UNLIMITED_LOOK_AHEAD / 2 ? UNLIMITED_LOOK_AHEAD : 2 * maxConcurrent;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int maxConcurrent() {
    return maxConcurrent;
  }

  @Override
  public int lookAhead() {
    return lookAhead;
  }

  @Override
  public <T> Task<T> submit(Callable<T> work) {
    return submit(name + "-" + taskNumbers.incrementAndGet(), work);
  }

  @Override
  public <T> Task<T> submit(String taskName, Callable<T> work) {
    return submit(taskName, work, Admission.CHECKED);
  }

  /** Accepts {@code work} as a task and hands it to the runner; the path of every task. */
  <T> TaskImpl<T> submit(String taskName, Callable<T> work, Admission admission) {
    Objects.requireNonNull(work, "work");
    var task = new TaskImpl<>(taskName, intercepted(taskName, work), clock, endedHook);
    admit(task, admission);
    runner.execute(taskName, () -> runJob(task));
    return task;
  }

  private <T> Callable<T> intercepted(String taskName, Callable<T> work) {
    if (interceptor == null) {
      return work;
    }
    @SuppressWarnings("unchecked") // the interceptor runs work and returns what it returned
    Callable<T> around = (Callable<T>) interceptor.around(taskName, work);
    return Objects.requireNonNull(around, () -> "interceptor returned null for task " + taskName);
  }

  private void admit(TaskImpl<?> task, Admission admission) {
    live.add(task);
    if (admission == Admission.CHECKED && closed) {
      live.remove(task);
      tryTerminate();
      throw new IllegalStateException("Pool[" + name + "] already closed");
    }
    submitted.increment();
    if (stopping) {
      task.cancel();
    }
  }

  private void runJob(TaskImpl<?> task) {
    running.increment();
    try {
      task.run();
    } finally {
      running.decrement();
      live.remove(task);
      if (closed) {
        tryTerminate();
      }
    }
  }

  /** The owner hook of every task: counts how it ended. Runs on the thread that ended it. */
  private void taskEnded(TaskImpl<?> task) {
    switch (task.state()) {
      case SUCCESS -> succeeded.increment();
      case FAILED -> failed.increment();
      default -> cancelled.increment();
    }
  }

  private void tryTerminate() {
    if (closed && live.isEmpty()) {
      terminated.countDown();
    }
  }

  @Override
  public <T, R> List<R> map(
      TaskFunction<? super T, ? extends R> function, Iterable<? extends T> items)
      throws InterruptedException {
    return map(function, items, null);
  }

  @Override
  public <T, R> List<R> map(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress)
      throws InterruptedException {
    return collect(function, items, progress, Admission.CHECKED, PoolMapping::value);
  }

  @Override
  public <T, R> List<Outcome<R>> mapSettled(
      TaskFunction<? super T, ? extends R> function, Iterable<? extends T> items)
      throws InterruptedException {
    return mapSettled(function, items, null);
  }

  @Override
  public <T, R> List<Outcome<R>> mapSettled(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress)
      throws InterruptedException {
    return this.<T, R, Outcome<R>>collect(
        function, items, progress, Admission.CHECKED, PoolMapping::outcome);
  }

  /** Drives an input-ordered mapping on the calling thread and collects what it yields. */
  private <T, R, E> List<E> collect(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress,
      Admission admission,
      BiFunction<PoolMapping<T, R>, PoolMapping.Pending<T, R>, E> result)
      throws InterruptedException {
    PoolMapping<T, R> mapping =
        this.<T, R>mapping(function, items, progress, PoolMapping.Order.INPUT, admission);
    try {
      var results = new ArrayList<E>();
      while (mapping.hasNext()) {
        results.add(result.apply(mapping, mapping.next()));
      }
      return results;
    } finally {
      mapping.cancel();
    }
  }

  @Override
  public <T, R> PoolIterator<R> imap(
      TaskFunction<? super T, ? extends R> function, Iterable<? extends T> items) {
    return imap(function, items, null);
  }

  @Override
  public <T, R> PoolIterator<R> imap(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress) {
    PoolMapping<T, R> mapping =
        this.<T, R>mapping(function, items, progress, PoolMapping.Order.INPUT, Admission.CHECKED);
    return new PoolMapIterator<>(mapping, PoolMapping::value);
  }

  @Override
  public <T, R> PoolIterator<R> imapUnordered(
      TaskFunction<? super T, ? extends R> function, Iterable<? extends T> items) {
    return imapUnordered(function, items, null);
  }

  @Override
  public <T, R> PoolIterator<R> imapUnordered(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress) {
    PoolMapping<T, R> mapping =
        this.<T, R>mapping(
            function, items, progress, PoolMapping.Order.COMPLETION, Admission.CHECKED);
    return new PoolMapIterator<>(mapping, PoolMapping::value);
  }

  @Override
  public <T, R> PoolIterator<Completed<T, R>> imapUnorderedSettled(
      TaskFunction<? super T, ? extends R> function, Iterable<? extends T> items) {
    return imapUnorderedSettled(function, items, null);
  }

  @Override
  public <T, R> PoolIterator<Completed<T, R>> imapUnorderedSettled(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress) {
    PoolMapping<T, R> mapping =
        this.<T, R>mapping(
            function, items, progress, PoolMapping.Order.COMPLETION, Admission.CHECKED);
    return new PoolMapIterator<>(mapping, PoolMapping::completed);
  }

  @Override
  public <T, R> Task<List<R>> mapAsync(
      TaskFunction<? super T, ? extends R> function, Iterable<? extends T> items) {
    return mapAsync(function, items, null);
  }

  /**
   * The driver is a task of this pool (so close waits for it and shutdownNow cancels it) that runs
   * on a virtual thread of its own, outside the concurrency limit: inside the limit, a pool of one
   * would wait forever for items queued behind their own driver.
   */
  @Override
  public <T, R> Task<List<R>> mapAsync(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress) {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(items, "items");
    String driverName = name + "-mapAsync-" + taskNumbers.incrementAndGet();
    Callable<List<R>> drive =
        () -> collect(function, items, progress, Admission.ACCEPTED_OWNER, PoolMapping::value);
    var driver = new TaskImpl<>(driverName, drive, clock, this::taskEnded);
    admit(driver, Admission.CHECKED);
    VirtualThreads.start(driverName, () -> runJob(driver));
    return driver;
  }

  private <T, R> PoolMapping<T, R> mapping(
      TaskFunction<? super T, ? extends R> function,
      Iterable<? extends T> items,
      Progress progress,
      PoolMapping.Order order,
      Admission admission) {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(items, "items");
    return new PoolMapping<>(this, function, items.iterator(), progress, order, admission);
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    tryTerminate();
    try {
      terminated.await();
    } catch (InterruptedException e) {
      shutdownNow();
      throw e;
    }
    release();
  }

  private void release() {
    if (!released.compareAndSet(false, true)) {
      return;
    }
    runner.shutdown();
    if (closeHook == null) {
      return;
    }
    try {
      closeHook.close();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("Pool[" + name + "] close hook failed: " + e, e);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Pool[" + name + "] close hook failed: " + e, e);
    }
  }

  @Override
  public void shutdownNow() {
    closed = true;
    stopping = true;
    for (TaskImpl<?> task : live) {
      task.cancel();
    }
    tryTerminate();
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public Stats stats() {
    long runningNow = Math.max(0, running.sum());
    long queuedNow = Math.max(0, live.size() - runningNow);
    return new Stats(
        submitted.sum(),
        runningNow,
        queuedNow,
        succeeded.sum(),
        failed.sum(),
        cancelled.sum());
  }

  @Override
  public String toString() {
    return "Pool[" + name + "]";
  }
}
