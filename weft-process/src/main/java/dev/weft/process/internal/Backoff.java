package dev.weft.process.internal;

import dev.weft.Clock;
import java.time.Duration;

/**
 * How a thread waits for a change made by another process, where no condition variable can reach
 * it: spin briefly, then yield, then sleep on the clock for doubling times up to a millisecond.
 *
 * <p>Thread contract: one instance per waiting call; not shared.
 */
public final class Backoff {
  private static final int SPINS = 64;
  private static final int YIELDS = 64;
  private static final long MAX_SLEEP_NANOS = 1_000_000;

  private final Clock clock;
  private int rounds;
  private long sleepNanos = 20_000;

  public Backoff(Clock clock) {
    this.clock = clock;
  }

  /** Waits a little, longer on each call; throws if the thread is interrupted. */
  public void pause() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    rounds++;
    if (rounds <= SPINS) {
      Thread.onSpinWait();
    } else if (rounds <= SPINS + YIELDS) {
      Thread.yield();
    } else {
      clock.sleep(Duration.ofNanos(sleepNanos));
      sleepNanos = Math.min(MAX_SLEEP_NANOS, sleepNanos * 2);
    }
  }

  /** How many times {@link #pause()} was called. */
  public int rounds() {
    return rounds;
  }
}
