package dev.weft;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A limit on how much work runs at once ({@link #concurrency(int)}) or how often it starts
 * ({@link #rate(int, Duration)}); work asks for a {@link Permit} before it starts and, for a
 * concurrency limit, gives it back by closing it.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="throttle" :
 * var throttle = Throttle.concurrency(10); // at most 10 downloads at once
 * try (var group = TaskGroup.open()) {
 *   for (String url : urls) {
 *     group.spawn(() -> {
 *       try (var permit = throttle.acquire()) {
 *         return download(url);
 *       }
 *     });
 *   }
 * }
 * }
 *
 * <p>Both kinds are fair: permits go to waiters in the order they asked, so a steady stream of
 * newcomers cannot starve a waiting thread, and {@link #tryAcquire()} never jumps the queue.
 *
 * <h2>Comparison with Python and the JDK</h2>
 *
 * A concurrency throttle is asyncio's {@code Semaphore} throttling idiom ({@code async with
 * sem:}) and {@link java.util.concurrent.Semaphore} in fair mode, with permits that are objects:
 * closing one twice releases once, so a permit cannot be over-released, and timed acquires wait
 * on an injected {@link Clock}. A rate throttle is a token bucket like Guava's {@code
 * RateLimiter}, but expressed as "{@code permits} per {@code per}" with a burst of {@code
 * permits}, on a {@link Clock} so that tests drive it with virtual time; {@link
 * #acquire(Duration)} fails at once, without waiting, when the next permit comes too late.
 *
 * <h2>Thread contract</h2>
 *
 * Any thread may acquire; a permit may be closed by any thread, for example by the task it was
 * handed to. Each implementation guards its state with one lock, never held while the caller
 * works.
 */
public sealed interface Throttle permits ConcurrencyThrottle, RateThrottle {

  /** At most {@code permits} holders at once, timed waits on the system clock. */
  static Throttle concurrency(int permits) {
    return concurrency(permits, Clock.system());
  }

  /** At most {@code permits} holders at once, timed waits on {@code clock}. */
  static Throttle concurrency(int permits, Clock clock) {
    return new ConcurrencyThrottle(requirePositive(permits), clock);
  }

  /**
   * At most {@code permits} acquisitions per {@code per} on the system clock, as a token bucket
   * that holds {@code permits} tokens and gains one every {@code per / permits}; it starts full.
   */
  static Throttle rate(int permits, Duration per) {
    return rate(permits, per, Clock.system());
  }

  /** {@link #rate(int, Duration)} on {@code clock}. */
  static Throttle rate(int permits, Duration per, Clock clock) {
    if (!per.isPositive()) {
      throw new IllegalArgumentException("per must be > 0: " + per);
    }
    return new RateThrottle(requirePositive(permits), per, clock);
  }

  /** Waits for a permit, in the order of arrival. */
  Permit acquire() throws InterruptedException;

  /**
   * Waits at most {@code timeout} (on the throttle's clock) for a permit.
   *
   * @throws TimeoutException if no permit came in time; a rate throttle throws at once when it
   *     knows the next permit is further away than {@code timeout}
   */
  Permit acquire(Duration timeout) throws InterruptedException, TimeoutException;

  /** A permit if one is free now and nobody is waiting for one, else empty; never waits. */
  Optional<Permit> tryAcquire();

  /** A snapshot of the throttle's counts. */
  Stats stats();

  /**
   * Permission to go ahead, given by {@link Throttle#acquire()}. Closing a concurrency permit
   * gives it back, exactly once however often it is closed; closing a rate permit does nothing,
   * since time gives rate permits back.
   */
  final class Permit implements AutoCloseable {
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    Permit(Runnable release) {
      this.release = release;
    }

    /** Gives the permit back (the first time; later calls do nothing). */
    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release.run();
      }
    }
  }

  /**
   * Counts of a {@link Throttle} at one moment.
   *
   * @param permits the limit: holders at once, or acquisitions per period
   * @param inUse permits held and not yet closed (always 0 for a rate throttle)
   * @param available permits that could be had now without waiting
   * @param waiting threads waiting for a permit
   * @param granted permits given out since the throttle was made
   */
  record Stats(int permits, int inUse, int available, int waiting, long granted) {}

  private static int requirePositive(int permits) {
    if (permits <= 0) {
      throw new IllegalArgumentException("permits must be > 0: " + permits);
    }
    return permits;
  }
}
