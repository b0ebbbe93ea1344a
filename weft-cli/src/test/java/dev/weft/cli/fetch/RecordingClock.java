package dev.weft.cli.fetch;

import dev.weft.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/** The system clock, except that {@link #sleep} records the wait and returns at once. */
final class RecordingClock implements Clock {
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final Clock system = Clock.system();

  @Override
  public long nanoTime() {
    return system.nanoTime();
  }

  @Override
  public Instant instant() {
    return system.instant();
  }

  @Override
  public Alarm schedule(Duration delay, Runnable action) {
    return system.schedule(delay, action);
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    sleeps.add(duration);
  }

  @Override
  public long awaitNanos(Lock lock, Condition condition, long nanos) throws InterruptedException {
    return system.awaitNanos(lock, condition, nanos);
  }
}
