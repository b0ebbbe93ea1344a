package dev.weft.process.internal;

import dev.weft.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The live workers of one pool: lends an idle worker to a caller, starts one when fewer than the
 * limit are alive, retires a worker after {@code maxTasksPerWorker} tasks, and forgets dead ones
 * (eager sets start a replacement at once, lazy ones when next needed).
 *
 * <p>Thread contract: any thread may call any method. {@code lock} guards every mutable field;
 * processes are started, stopped and killed outside it.
 */
public final class WorkerSet {
  /** The settings of a set. */
  public record Settings(String name, int limit, boolean eager, int maxTasksPerWorker, List<String> jvmOptions, Clock clock) {}

  /** Counters since the set was made. */
  public record Counts(int live, int busy, long started, long died, long killed, long recycled) {}

  private final Settings settings;
  private final Clock clock;
  private final java.util.concurrent.locks.Lock lock = new java.util.concurrent.locks.ReentrantLock();
  private final java.util.concurrent.locks.Condition changed = lock.newCondition();
  private final ArrayDeque<WorkerProcess> idle = new ArrayDeque<>();
  private final Set<WorkerProcess> live = new LinkedHashSet<>();
  private int starting;
  private int busy;
  private int nextId;
  private boolean closed;
  private long started;
  private long died;
  private long killed;
  private long recycled;

  public WorkerSet(Settings settings) {
    this.settings = settings;
    this.clock = settings.clock();
  }

  /** Starts workers up to the limit (eager sets). */
  public void fill() {
    while (true) {
      int id;
      lock.lock();
      try {
        if (closed || live.size() + starting >= settings.limit()) {
          return;
        }
        id = reserve();
      } finally {
        lock.unlock();
      }
      WorkerProcess worker = spawn(id);
      lock.lock();
      try {
        idle.addLast(worker);
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Lends a worker to the caller, starting one or waiting for one as needed. */
  public WorkerProcess acquire() throws InterruptedException {
    int id;
    lock.lock();
    try {
      while (true) {
        if (closed) {
          throw new IllegalStateException("ProcessPool[" + settings.name() + "] closed");
        }
        WorkerProcess worker;
        while ((worker = idle.pollFirst()) != null) {
          if (worker.isUsable()) {
            busy++;
            return worker;
          }
        }
        if (live.size() + starting < settings.limit()) {
          id = reserve();
          busy++;
          break;
        }
        clock.awaitNanos(lock, changed, Long.MAX_VALUE);
      }
    } finally {
      lock.unlock();
    }
    try {
      return spawn(id);
    } catch (RuntimeException e) {
      lock.lock();
      try {
        busy--;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      throw e;
    }
  }

  /** Takes back a lent worker: idle again, retired after its last task, or forgotten if dead. */
  public void release(WorkerProcess worker) {
    boolean retire;
    lock.lock();
    try {
      busy--;
      int max = settings.maxTasksPerWorker();
      // a closed set's workers stay live until close() stops them and waits for their exit
      retire = worker.isUsable() && !closed && max > 0 && worker.tasksRun() >= max;
      if (retire) {
        live.remove(worker);
        recycled++;
      } else if (worker.isUsable() && !closed) {
        idle.addFirst(worker);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (retire) {
      worker.stop();
      replenish();
    }
  }

  /** Kills a lent worker, which the caller then releases. */
  public void kill(WorkerProcess worker, String reason) {
    lock.lock();
    try {
      killed++;
    } finally {
      lock.unlock();
    }
    worker.kill(reason);
  }

  /** Refuses new work, waits for lent workers to come back, then stops every worker. */
  public void close() throws InterruptedException {
    List<WorkerProcess> all;
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
      while (busy > 0 || starting > 0) {
        clock.awaitNanos(lock, changed, Long.MAX_VALUE);
      }
      all = new ArrayList<>(live);
      idle.clear();
    } finally {
      lock.unlock();
    }
    all.forEach(WorkerProcess::stop);
    for (WorkerProcess worker : all) {
      worker.awaitExit();
    }
    lock.lock();
    try {
      all.forEach(live::remove); // their reader threads may not have reported the exit yet
    } finally {
      lock.unlock();
    }
  }

  /** Refuses new work and kills every worker, lent or idle. */
  public void shutdownNow(String reason) {
    List<WorkerProcess> all;
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
      all = new ArrayList<>(live);
      idle.clear();
    } finally {
      lock.unlock();
    }
    all.forEach(worker -> worker.kill(reason));
  }

  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** The live workers, oldest first. */
  public List<WorkerProcess> live() {
    lock.lock();
    try {
      return List.copyOf(live);
    } finally {
      lock.unlock();
    }
  }

  /** Which workers are idle now. */
  public Set<WorkerProcess> idle() {
    lock.lock();
    try {
      return Set.copyOf(idle);
    } finally {
      lock.unlock();
    }
  }

  public Counts counts() {
    lock.lock();
    try {
      return new Counts(live.size(), busy, started, died, killed, recycled);
    } finally {
      lock.unlock();
    }
  }

  /** Called by a worker's reader thread when its process has ended. */
  private void died(WorkerProcess worker) {
    lock.lock();
    try {
      if (live.remove(worker)) {
        died++;
      }
      idle.remove(worker);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    replenish();
  }

  private void replenish() {
    if (settings.eager() && !isClosed()) {
      Thread.ofVirtual().name("weft-worker-replacement").start(this::fill);
    }
  }

  /** Caller holds the lock. */
  private int reserve() {
    starting++;
    return ++nextId;
  }

  private WorkerProcess spawn(int id) {
    WorkerProcess worker;
    try {
      worker = WorkerProcess.start(id, settings.jvmOptions(), clock, this::died);
    } catch (IOException e) {
      lock.lock();
      try {
        starting--;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      throw new UncheckedIOException("worker " + id + " could not be started: " + e.getMessage(), e);
    }
    lock.lock();
    try {
      starting--;
      started++;
      if (worker.isUsable()) {
        live.add(worker);
      } else {
        died++; // it died before it was counted as live: died() found nothing to remove
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return worker;
  }
}
