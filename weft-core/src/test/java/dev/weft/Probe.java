package dev.weft;

import java.io.Serializable;

/**
 * A counter that work run by a pool shares with the test that checks it, in place of the
 * latches and atomics a test would use in one JVM: a backend that runs work elsewhere (another
 * process) supplies probes that work there too, by overriding {@link PoolContract#probe()}.
 * Probes are {@link Serializable} so that work capturing them can be sent.
 */
public interface Probe extends Serializable {
  /** Adds one and returns the new value. */
  long increment();

  /** Subtracts one and returns the new value. */
  long decrement();

  /** Raises the value to {@code candidate} if it is larger. */
  void raiseTo(long candidate);

  /** The current value. */
  long value();

  /** Blocks until the value is at least {@code n}; used inside work, so it is unbounded. */
  void awaitAtLeast(long n) throws InterruptedException;
}
