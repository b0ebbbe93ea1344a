package dev.weft;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a {@link PoolImpl} starts the jobs it accepted: a virtual thread each, a virtual thread each
 * with at most {@code limit} at once, or a fixed set of platform threads.
 *
 * <p>Thread contract: {@link #execute} is called from any thread and never blocks; every job
 * given to it runs exactly once (the pool relies on it to see each task's thread end). {@link
 * #shutdown} is called once, after every job ended.
 */
abstract sealed class PoolRunner {

  /** Runs {@code job} on a thread named {@code threadName} where the backend names threads. */
  abstract void execute(String threadName, Runnable job);

  /** Releases the threads; called once, after every job ended. */
  void shutdown() {}

  static PoolRunner virtual(int limit) {
    return limit == Integer.MAX_VALUE ? new Unlimited() : new Limited(limit);
  }

  static PoolRunner platform(String poolName, int threads) {
    return new Platform(poolName, threads);
  }

  /** A virtual thread per job, named after its task. */
  static final class Unlimited extends PoolRunner {
    @Override
    void execute(String threadName, Runnable job) {
      VirtualThreads.start(threadName, job);
    }
  }

  /**
   * A virtual thread per job, at most {@code limit} at once. {@code pending} holds jobs not yet
   * started; {@code inUse} counts started jobs that have not finished. Lock-free: whoever queues a
   * job or finishes one drains the queue while permits are free, and the re-check after a permit
   * is released makes sure no queued job is stranded.
   */
  static final class Limited extends PoolRunner {
    private final int limit;
    private final AtomicInteger inUse = new AtomicInteger();
    private final ConcurrentLinkedQueue<Job> pending = new ConcurrentLinkedQueue<>();

    Limited(int limit) {
      this.limit = limit;
    }

    @Override
    void execute(String threadName, Runnable job) {
      if (pending.isEmpty() && tryAcquire()) {
        start(threadName, job); // the fast path allocates no Job
        return;
      }
      pending.offer(new Job(threadName, job));
      drain();
    }

    private void drain() {
      while (!pending.isEmpty() && tryAcquire()) {
        Job job = pending.poll();
        if (job == null) {
          inUse.decrementAndGet();
        } else {
          start(job.threadName, job.work);
        }
      }
    }

    private boolean tryAcquire() {
      for (int used = inUse.get(); used < limit; used = inUse.get()) {
        if (inUse.compareAndSet(used, used + 1)) {
          return true;
        }
      }
      return false;
    }

    private void start(String threadName, Runnable work) {
      VirtualThreads.start(threadName, () -> runThenRelease(work));
    }

    private void runThenRelease(Runnable work) {
      try {
        work.run();
      } finally {
        inUse.decrementAndGet();
        drain();
      }
    }

    private record Job(String threadName, Runnable work) {}
  }

  /** A fixed set of daemon platform threads named {@code <pool>-thread-<i>}. */
  static final class Platform extends PoolRunner {
    private final ExecutorService executor;

    Platform(String poolName, int threads) {
      var number = new AtomicInteger();
      this.executor =
          new ThreadPoolExecutor(
              threads,
              threads,
              0,
              TimeUnit.NANOSECONDS,
              new LinkedBlockingQueue<>(),
              job ->
                  Thread.ofPlatform()
                      .name(poolName + "-thread-" + number.incrementAndGet())
                      .daemon()
                      .unstarted(job));
    }

    @Override
    void execute(String threadName, Runnable job) {
      executor.execute(job);
    }

    @Override
    void shutdown() {
      executor.shutdown();
    }
  }
}
