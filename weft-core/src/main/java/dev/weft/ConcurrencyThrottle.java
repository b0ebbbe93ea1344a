package dev.weft;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Throttle#concurrency}: a fair semaphore whose released permits are handed straight to
 * the longest waiter, so newcomers cannot barge past it.
 *
 * <p>{@code lock} guards {@code available}, {@code waiters} and {@code granted}. Invariant: while
 * anyone waits, {@code available} is zero.
 */
final class ConcurrencyThrottle implements Throttle {
  private final int permits;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(); // guarded by lock
  private int available; // guarded by lock
  private long granted; // guarded by lock

  ConcurrencyThrottle(int permits, Clock clock) {
    this.permits = permits;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.available = permits;
  }

  @Override
  public Permit acquire() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      if (waiters.isEmpty() && available > 0) {
        return take();
      }
      var waiter = enqueue();
      try {
        while (!waiter.granted) {
          waiter.wake.await();
        }
      } catch (InterruptedException e) {
        abandon(waiter);
        throw e;
      }
      return new Permit(this::release);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Permit acquire(Duration timeout) throws InterruptedException, TimeoutException {
    long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
    lock.lockInterruptibly();
    try {
      if (waiters.isEmpty() && available > 0) {
        return take();
      }
      var waiter = enqueue();
      try {
        while (!waiter.granted) {
          if (nanos <= 0) {
            abandon(waiter);
            throw new TimeoutException(this + ": no permit within " + timeout);
          }
          nanos = clock.awaitNanos(lock, waiter.wake, nanos);
        }
      } catch (InterruptedException e) {
        abandon(waiter);
        throw e;
      }
      return new Permit(this::release);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Permit> tryAcquire() {
    lock.lock();
    try {
      return waiters.isEmpty() && available > 0 ? Optional.of(take()) : Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Stats stats() {
    lock.lock();
    try {
      return new Stats(permits, permits - available, available, waiters.size(), granted);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "Throttle.concurrency(" + permits + ")";
  }

  private Permit take() {
    available--;
    granted++;
    return new Permit(this::release);
  }

  private Waiter enqueue() {
    var waiter = new Waiter(lock.newCondition());
    waiters.addLast(waiter);
    return waiter;
  }

  /** A waiter gives up: out of the queue, or, if a permit reached it meanwhile, passes it on. */
  private void abandon(Waiter waiter) {
    if (waiter.granted) {
      granted--;
      releaseLocked();
    } else {
      waiters.remove(waiter);
    }
  }

  private void release() {
    lock.lock();
    try {
      releaseLocked();
    } finally {
      lock.unlock();
    }
  }

  private void releaseLocked() {
    Waiter next = waiters.pollFirst();
    if (next == null) {
      available++;
      return;
    }
    next.granted = true;
    granted++;
    next.wake.signal();
  }

  private static long saturatedNanos(Duration duration) {
    return duration.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0
        ? Long.MAX_VALUE
        : duration.toNanos();
  }

  /** A thread waiting for a permit; {@code granted} is guarded by the throttle's lock. */
  private static final class Waiter {
    final Condition wake;
    boolean granted;

    Waiter(Condition wake) {
      this.wake = wake;
    }
  }
}
