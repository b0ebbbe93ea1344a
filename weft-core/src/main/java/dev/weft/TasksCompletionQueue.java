package dev.weft;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tasks of a {@link Tasks} operation in the order they end: an {@link Task#onDone} callback
 * on each appends it here, and the waiting thread takes them out.
 *
 * <p>Thread contract: callbacks run on the threads that end the tasks (or on the constructing
 * thread for tasks already done); {@link #take} and {@link #poll} are called by one consumer at a
 * time. {@code lock} guards {@code ended} and {@code taken}; it is held only to move a reference
 * and never across a callback or user code.
 */
final class TasksCompletionQueue<T> {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Task<T>> ended = new ArrayDeque<>();
  private final int size;
  private int taken;

  TasksCompletionQueue(List<Task<T>> tasks) {
    this.size = tasks.size();
    for (Task<T> task : tasks) {
      task.onDone(this::ended);
    }
  }

  private void ended(Task<T> task) {
    lock.lock();
    try {
      ended.add(task);
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** How many tasks have not been taken yet. */
  int remaining() {
    lock.lock();
    try {
      return size - taken;
    } finally {
      lock.unlock();
    }
  }

  /** The next task to have ended, or null at once if none has ended that was not taken. */
  Task<T> poll() {
    lock.lock();
    try {
      return next();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next task to have ended, waiting for one; null if {@code deadline} (which may be null for
   * none) passes first. The caller checks {@link #remaining()} first: with nothing left it would
   * wait forever.
   */
  Task<T> take(Deadline deadline) throws InterruptedException {
    lock.lock();
    try {
      while (ended.isEmpty()) {
        if (deadline == null) {
          changed.await();
        } else {
          long left = deadline.nanoTime() - deadline.clock().nanoTime();
          if (left <= 0) {
            return null;
          }
          deadline.clock().awaitNanos(lock, changed, left);
        }
      }
      return next();
    } finally {
      lock.unlock();
    }
  }

  private Task<T> next() {
    Task<T> task = ended.poll();
    if (task != null) {
      taken++;
    }
    return task;
  }
}
