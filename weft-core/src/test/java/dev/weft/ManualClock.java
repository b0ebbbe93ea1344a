package dev.weft;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A test-only {@link Clock} moved by hand, for weft-core's own tests (weft-testing's VirtualClock
 * depends on weft-core, so it cannot be used here). Alarms run on the thread that calls {@link
 * #advance}. {@code lock} guards {@code now} and {@code alarms}; actions run without it.
 */
final class ManualClock implements Clock {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Pending> alarms = new ArrayList<>();
  private long now;

  @Override
  public long nanoTime() {
    lock.lock();
    try {
      return now;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Instant instant() {
    return Instant.EPOCH.plusNanos(nanoTime());
  }

  @Override
  public Alarm schedule(Duration delay, Runnable action) {
    lock.lock();
    try {
      var alarm = new Pending(now + Math.max(0, delay.toNanos()), action);
      alarms.add(alarm);
      changed.signalAll();
      return alarm;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    var woken = new CountDownLatch(1);
    Alarm alarm = schedule(duration, woken::countDown);
    try {
      woken.await();
    } finally {
      alarm.cancel();
    }
  }

  @Override
  public long awaitNanos(Lock waitLock, Condition condition, long nanos) throws InterruptedException {
    long end = nanoTime() + nanos;
    Alarm alarm =
        schedule(
            Duration.ofNanos(nanos),
            () -> {
              waitLock.lock();
              try {
                condition.signalAll();
              } finally {
                waitLock.unlock();
              }
            });
    try {
      condition.await();
    } finally {
      alarm.cancel();
    }
    return end - nanoTime();
  }

  /** Moves time forward, running each alarm that falls due, earliest first. */
  void advance(Duration duration) {
    long target = nanoTime() + duration.toNanos();
    for (Pending due = nextDue(target); due != null; due = nextDue(target)) {
      due.action.run();
    }
    lock.lock();
    try {
      now = Math.max(now, target);
    } finally {
      lock.unlock();
    }
  }

  private Pending nextDue(long target) {
    lock.lock();
    try {
      Pending first = null;
      for (Pending alarm : alarms) {
        if (alarm.at <= target && (first == null || alarm.at < first.at)) {
          first = alarm;
        }
      }
      if (first != null) {
        alarms.remove(first);
        now = Math.max(now, first.at);
      }
      return first;
    } finally {
      lock.unlock();
    }
  }

  int pendingAlarms() {
    lock.lock();
    try {
      return alarms.size();
    } finally {
      lock.unlock();
    }
  }

  /** Waits (at most ten real seconds) until {@code count} alarms are pending. */
  void awaitAlarms(int count) throws InterruptedException, TimeoutException {
    lock.lock();
    try {
      long left = Duration.ofSeconds(10).toNanos();
      while (alarms.size() < count) {
        if (left <= 0) {
          throw new TimeoutException("expected " + count + " alarms, have " + alarms.size());
        }
        left = changed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  private final class Pending implements Alarm {
    final long at;
    final Runnable action;

    Pending(long at, Runnable action) {
      this.at = at;
      this.action = action;
    }

    @Override
    public boolean cancel() {
      lock.lock();
      try {
        return alarms.remove(this);
      } finally {
        lock.unlock();
      }
    }
  }
}
