package dev.weft;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Throttle#rate}: a token bucket kept as a GCRA "theoretical arrival time" ({@code tat}).
 * The bucket holds {@code permits} tokens and gains one every {@code T = per / permits}; a caller
 * may go at {@code max(now, tat + T - per)}, and taking a token moves {@code tat} to {@code
 * max(tat, now) + T}. {@code T} is kept exactly, as whole nanoseconds plus a fraction in units of
 * {@code 1 / permits} ns, so long runs do not drift.
 *
 * <p>Fair by reservation: each caller books its slot under the lock, in arrival order, then sleeps
 * on the clock until it. A waiter that is interrupted gives its slot back only if no one booked
 * after it; otherwise the slot is lost (the rate is then briefly lower, never higher).
 *
 * <p>{@code lock} guards {@code tatWhole}, {@code tatFraction}, {@code booked}, {@code waiting}
 * and {@code granted}. Nobody holds it while sleeping.
 */
final class RateThrottle implements Throttle {
  private static final Permit PERMIT = new Permit(() -> {});

  private final int permits;
  private final Duration per;
  private final long perNanos;
  private final long intervalWhole;
  private final long intervalFraction;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private long tatWhole; // guarded by lock
  private long tatFraction; // guarded by lock; in [0, permits)
  private long booked; // guarded by lock: slots booked, minus those given back
  private int waiting; // guarded by lock
  private long granted; // guarded by lock

  RateThrottle(int permits, Duration per, Clock clock) {
    this.permits = permits;
    this.per = per;
    this.perNanos = per.toNanos();
    this.intervalWhole = perNanos / permits;
    this.intervalFraction = perNanos % permits;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tatWhole = clock.nanoTime();
  }

  @Override
  public Permit acquire() throws InterruptedException {
    return acquireWithin(Long.MAX_VALUE);
  }

  @Override
  public Permit acquire(Duration timeout) throws InterruptedException, TimeoutException {
    long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
    Permit permit = acquireWithin(nanos);
    if (permit == null) {
      throw new TimeoutException(this + ": no permit within " + timeout);
    }
    return permit;
  }

  @Override
  public Optional<Permit> tryAcquire() {
    lock.lock();
    try {
      long now = clock.nanoTime();
      if (slot(now) - now > 0) {
        return Optional.empty();
      }
      book(now);
      return Optional.of(PERMIT);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Stats stats() {
    lock.lock();
    try {
      return new Stats(permits, 0, available(clock.nanoTime()), waiting, granted);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "Throttle.rate(" + permits + ", " + per + ")";
  }

  /** Books the next slot if it comes within {@code nanos} and sleeps until it; null if too late. */
  private Permit acquireWithin(long nanos) throws InterruptedException {
    long wait;
    long ticket;
    lock.lockInterruptibly();
    try {
      long now = clock.nanoTime();
      wait = slot(now) - now;
      if (wait > nanos) {
        return null;
      }
      ticket = book(now);
      if (wait <= 0) {
        return PERMIT;
      }
      waiting++;
    } finally {
      lock.unlock();
    }
    try {
      clock.sleep(Duration.ofNanos(wait));
      return PERMIT;
    } catch (InterruptedException e) {
      giveBack(ticket);
      throw e;
    } finally {
      lock.lock();
      try {
        waiting--;
      } finally {
        lock.unlock();
      }
    }
  }

  /** The earliest time the next token may go: max(now, tat + T - per), rounded up. */
  private long slot(long now) {
    long whole = tatWhole + intervalWhole;
    long fraction = tatFraction + intervalFraction;
    if (fraction >= permits) {
      whole++;
      fraction -= permits;
    }
    long earliest = whole - perNanos + (fraction > 0 ? 1 : 0);
    return earliest - now > 0 ? earliest : now;
  }

  /** Takes the next token: tat = max(tat, now) + T. Returns the booking's ticket. */
  private long book(long now) {
    if (now - tatWhole > 0) {
      tatWhole = now;
      tatFraction = 0;
    }
    tatWhole += intervalWhole;
    tatFraction += intervalFraction;
    if (tatFraction >= permits) {
      tatWhole++;
      tatFraction -= permits;
    }
    granted++;
    return ++booked;
  }

  /** Undoes the booking {@code ticket} if it is the latest one; otherwise its slot is lost. */
  private void giveBack(long ticket) {
    lock.lock();
    try {
      if (ticket != booked) {
        return;
      }
      booked--;
      granted--;
      tatWhole -= intervalWhole;
      tatFraction -= intervalFraction;
      if (tatFraction < 0) {
        tatWhole--;
        tatFraction += permits;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Tokens in the bucket now: floor((now + per - tat) / T), between 0 and permits. */
  private int available(long now) {
    if (now - tatWhole > 0) {
      return permits;
    }
    long headroom = now + perNanos - tatWhole;
    if (headroom <= 0) {
      return 0;
    }
    BigInteger scaled =
        BigInteger.valueOf(headroom)
            .multiply(BigInteger.valueOf(permits))
            .subtract(BigInteger.valueOf(tatFraction));
    long tokens = scaled.divide(BigInteger.valueOf(perNanos)).longValue();
    return (int) Math.max(0, Math.min(permits, tokens));
  }

  private static long saturatedNanos(Duration duration) {
    return duration.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0
        ? Long.MAX_VALUE
        : duration.toNanos();
  }
}
