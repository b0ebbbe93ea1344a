package dev.weft.internal;

import dev.weft.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * The machine's clock. Alarms run on one daemon platform thread, {@code weft-timer}, created on
 * first use; they only signal or cancel, so one thread is enough.
 */
public final class SystemClock implements Clock {
  public static final SystemClock INSTANCE = new SystemClock();

  private SystemClock() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant instant() {
    return Instant.now();
  }

  @Override
  public Alarm schedule(Duration delay, Runnable action) {
    ScheduledFuture<?> future =
        Timer.EXECUTOR.schedule(action, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (duration.isPositive()) {
      Thread.sleep(duration);
    }
  }

  @Override
  public long awaitNanos(Lock lock, Condition condition, long nanos) throws InterruptedException {
    return condition.awaitNanos(nanos);
  }

  @Override
  public String toString() {
    return "Clock.system()";
  }

  /** Holder: the timer thread starts only when the first alarm is set. */
  private static final class Timer {
    static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private static ScheduledThreadPoolExecutor create() {
      var executor =
          new ScheduledThreadPoolExecutor(
              1, runnable -> Thread.ofPlatform().name("weft-timer").daemon().unstarted(runnable));
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }
}
