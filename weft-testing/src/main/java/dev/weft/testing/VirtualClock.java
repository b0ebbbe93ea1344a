package dev.weft.testing;

import dev.weft.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Clock} whose time moves only when a test calls {@link #advance(Duration)}: every alarm,
 * sleep and timed wait that falls due runs then, in time order, on the advancing thread. Tests
 * that use it never sleep on the wall clock and run the same way every time.
 *
 * {@snippet class="dev.weft.testing.snippets.TestingSnippets" region="virtualClock" :
 * var clock = VirtualClock.create();
 * var scheduler = Scheduler.create(clock);
 * var ran = new ArrayList<String>();
 * scheduler.enter(Duration.ofSeconds(10), 0, () -> ran.add("late"));
 * scheduler.enter(Duration.ofSeconds(1), 0, () -> ran.add("early"));
 * clock.advance(Duration.ofSeconds(5));
 * scheduler.runPending(); // ran: [early]
 * }
 *
 * <p>Comparison: Twisted's {@code task.Clock} and trio's {@code MockClock}. Because weft's tasks
 * run on real threads, a test that advances time while another thread is about to wait first
 * calls {@link #awaitAlarms(int, Duration)}, which waits (a bounded real-time wait) until that
 * many alarms are pending, so the advance cannot slip in before the wait begins.
 *
 * <p>Thread-safe: {@code lock} guards {@code now} and {@code alarms}. Alarm actions run without
 * the lock held.
 */
public final class VirtualClock implements Clock {
  private static final Instant DEFAULT_START = Instant.parse("2000-01-01T00:00:00Z");

  private final Instant start;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition alarmsChanged = lock.newCondition();
  private final PriorityQueue<VirtualAlarm> alarms = new PriorityQueue<>();
  private long now;
  private long sequence;

  private VirtualClock(Instant start) {
    this.start = start;
  }

  /** A clock at virtual time zero, whose {@link #instant()} starts at 2000-01-01T00:00:00Z. */
  public static VirtualClock create() {
    return new VirtualClock(DEFAULT_START);
  }

  /** A clock at virtual time zero whose {@link #instant()} starts at {@code start}. */
  public static VirtualClock create(Instant start) {
    return new VirtualClock(start);
  }

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
    return start.plusNanos(nanoTime());
  }

  /** The virtual time that has passed since the clock was created. */
  public Duration elapsed() {
    return Duration.ofNanos(nanoTime());
  }

  @Override
  public Alarm schedule(Duration delay, Runnable action) {
    lock.lock();
    try {
      var alarm = new VirtualAlarm(now + Math.max(0, delay.toNanos()), sequence++, action);
      alarms.add(alarm);
      alarmsChanged.signalAll();
      return alarm;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (!duration.isPositive()) {
      return;
    }
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
    if (nanos <= 0) {
      return nanos;
    }
    long deadline = nanoTime() + nanos;
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
    return deadline - nanoTime();
  }

  /**
   * Moves time forward by {@code duration}, running every alarm that falls due on the way, each at
   * its own time, in time order (then in the order set). Alarms set by those actions run too if
   * they fall due before the end.
   */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a clock cannot go back: " + duration);
    }
    long target;
    lock.lock();
    try {
      target = now + duration.toNanos();
    } finally {
      lock.unlock();
    }
    for (VirtualAlarm due = nextDue(target); due != null; due = nextDue(target)) {
      due.fire();
    }
    lock.lock();
    try {
      now = Math.max(now, target);
    } finally {
      lock.unlock();
    }
  }

  /** Moves time to the next pending alarm and runs it (and any set for the same time). */
  public void advanceToNextAlarm() {
    VirtualAlarm next;
    lock.lock();
    try {
      next = alarms.peek();
    } finally {
      lock.unlock();
    }
    if (next != null) {
      advance(Duration.ofNanos(Math.max(0, next.at - nanoTime())));
    }
  }

  private VirtualAlarm nextDue(long target) {
    lock.lock();
    try {
      VirtualAlarm head = alarms.peek();
      if (head == null || head.at > target) {
        return null;
      }
      alarms.poll();
      now = Math.max(now, head.at);
      alarmsChanged.signalAll();
      return head;
    } finally {
      lock.unlock();
    }
  }

  /** How many alarms (sleeps, timed waits, scheduled actions) are pending. */
  public int pendingAlarms() {
    lock.lock();
    try {
      return alarms.size();
    } finally {
      lock.unlock();
    }
  }

  /** The times, from now, at which pending alarms fall due, earliest first. */
  public List<Duration> pendingDelays() {
    lock.lock();
    try {
      var delays = new ArrayList<Duration>();
      alarms.stream().sorted().forEach(a -> delays.add(Duration.ofNanos(a.at - now)));
      return delays;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until at least {@code count} alarms are pending: the way a test knows that other threads
   * have begun to wait before it advances time. The wait is bounded by {@code realTimeout} of
   * wall-clock time so a broken test fails rather than hangs.
   */
  public void awaitAlarms(int count, Duration realTimeout)
      throws InterruptedException, TimeoutException {
    lock.lock();
    try {
      long left = realTimeout.toNanos();
      while (alarms.size() < count) {
        if (left <= 0) {
          throw new TimeoutException(
              "expected " + count + " pending alarms within " + realTimeout + ", have " + alarms.size());
        }
        left = alarmsChanged.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "VirtualClock[" + elapsed() + "]";
  }

  private final class VirtualAlarm implements Alarm, Comparable<VirtualAlarm> {
    final long at;
    final long order;
    final Runnable action;

    VirtualAlarm(long at, long order, Runnable action) {
      this.at = at;
      this.order = order;
      this.action = action;
    }

    void fire() {
      action.run();
    }

    @Override
    public boolean cancel() {
      lock.lock();
      try {
        boolean removed = alarms.remove(this);
        if (removed) {
          alarmsChanged.signalAll();
        }
        return removed;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public int compareTo(VirtualAlarm other) {
      int byTime = Long.compare(at, other.at);
      return byTime != 0 ? byTime : Long.compare(order, other.order);
    }
  }
}
