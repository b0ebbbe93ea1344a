package dev.weft;

import dev.weft.internal.SystemClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * The source of time for everything in weft that waits: deadlines, timed joins, queue timeouts,
 * the {@link Scheduler} and rate {@link Throttle}s.
 *
 * <p>Production code uses {@link #system()}. Tests pass a virtual clock ({@code
 * dev.weft.testing.VirtualClock}) and move time forward by hand, so that nothing in a test ever
 * sleeps on the wall clock.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="clock" :
 * Clock clock = Clock.system();
 * long start = clock.nanoTime();
 * clock.sleep(Duration.ofMillis(5));
 * Duration slept = Duration.ofNanos(clock.nanoTime() - start);
 * }
 *
 * <h2>Comparison with {@code java.time.Clock} and Python's {@code time}</h2>
 *
 * {@code java.time.Clock} only reads time; this clock also waits on it, which is what makes a
 * virtual clock possible (Twisted's {@code task.Clock}, trio's {@code MockClock}). {@link
 * #nanoTime()} is Python's {@code time.monotonic_ns()}; {@link #instant()} is {@code
 * time.time()}.
 *
 * <p>Implementations are thread-safe.
 */
public interface Clock {

  /** The clock of the machine: {@link System#nanoTime()} and the JVM's timers. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }

  /** A monotonic reading in nanoseconds, meaningful only as a difference between two readings. */
  long nanoTime();

  /** The wall-clock time now. */
  Instant instant();

  /**
   * Runs {@code action} once, after {@code delay} has passed on this clock. The action runs on a
   * timer thread (the system clock) or on the thread that advances time (a virtual clock): it must
   * be short and must not block, typically a signal or a cancellation.
   */
  Alarm schedule(Duration delay, Runnable action);

  /** Parks the calling thread for {@code duration} of this clock's time. */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * {@link Condition#awaitNanos(long)} on this clock's time: waits, with {@code lock} held, until
   * {@code condition} is signalled or {@code nanos} have passed on this clock, and returns an
   * estimate of the nanoseconds left (zero or less once the time is up). Spurious wake-ups are
   * possible, as with {@code Condition}, so callers wait in a loop.
   */
  long awaitNanos(Lock lock, Condition condition, long nanos) throws InterruptedException;

  /** A pending {@link #schedule scheduled} action. */
  interface Alarm {
    /** Stops the action from running; returns false if it already ran or was cancelled. */
    boolean cancel();
  }
}
