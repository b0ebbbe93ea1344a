package dev.weft;

import java.util.ArrayDeque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
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
    Consumer<Task<T>> ended = this::ended; // one callback object for every task
    for (Task<T> task : tasks) {
      task.onDone(ended);
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
   * none) passes first.
   *
   * @throws NoSuchElementException if every task has been taken (checked under the same lock, so
   *     a take costs one lock acquisition when a task has ended)
   */
  Task<T> take(Deadline deadline) throws InterruptedException {
    lock.lock();
    try {
      if (taken == size) {
        throw new NoSuchElementException("every task has been taken: " + size);
      }
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
