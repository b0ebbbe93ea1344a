package dev.weft.http.client;

import dev.weft.Clock;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The keep-alive connections of one host and port, bounded: at most {@code max} connections exist
 * at once, in use or idle. A caller takes a slot with {@link #acquire()} (an idle connection, or
 * the right to open one) and gives it back with {@link #release} or {@link #discard}.
 *
 * <p>Threads: any. {@code lock} guards {@code idle} and {@code slots}; it is never held across I/O
 * (closing an expired connection happens after unlocking).
 */
final class HostPool {
  private final int max;
  private final long idleNanos;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private int slots;
  private boolean closed;

  HostPool(int max, long idleNanos, Clock clock) {
    this.max = max;
    this.idleNanos = idleNanos;
    this.clock = clock;
  }

  /**
   * Waits for a slot; returns an idle connection (most recently used first), or null when the
   * caller is to open a new one in the slot it now holds.
   */
  Connection acquire() throws InterruptedException {
    Connection expired = null;
    lock.lockInterruptibly();
    try {
      while (true) {
        if (closed) {
          throw new IllegalStateException("HttpFetcher already closed");
        }
        Connection connection = idle.pollLast();
        if (connection != null) {
          if (clock.nanoTime() - connection.lastUsed() < idleNanos) {
            return connection;
          }
          expired = connection; // too old to trust: this slot opens a new one instead
          return null;
        }
        if (slots < max) {
          slots++;
          return null;
        }
        freed.await();
      }
    } finally {
      lock.unlock();
      if (expired != null) {
        expired.close();
      }
    }
  }

  /** Gives back a slot with its connection, kept for reuse when {@code reusable}. */
  void release(Connection connection, boolean reusable) {
    if (!reusable) {
      connection.close();
      discard();
      return;
    }
    connection.used(clock.nanoTime());
    lock.lock();
    try {
      if (!closed) {
        idle.addLast(connection);
        freed.signal();
        return;
      }
    } finally {
      lock.unlock();
    }
    connection.close();
    discard();
  }

  /** Gives back a slot whose connection is closed or was never opened. */
  void discard() {
    lock.lock();
    try {
      slots--;
      freed.signal();
    } finally {
      lock.unlock();
    }
  }

  int idle() {
    lock.lock();
    try {
      return idle.size();
    } finally {
      lock.unlock();
    }
  }

  /** Closes the idle connections; later acquires fail, later releases close. */
  void close() {
    Connection[] toClose;
    lock.lock();
    try {
      closed = true;
      toClose = idle.toArray(Connection[]::new);
      slots -= idle.size();
      idle.clear();
      freed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Connection connection : toClose) {
      connection.close();
    }
  }
}
