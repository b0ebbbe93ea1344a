package dev.weft;

import java.time.Duration;
import java.util.Objects;

/**
 * A point in time on a {@link Clock} by which work must end: a {@link TaskGroup} opened with a
 * deadline cancels whatever is still running when it passes.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="deadline" :
 * try (var group = TaskGroup.open(Deadline.after(Duration.ofSeconds(5)))) {
 *   group.spawn(() -> slowCall());
 * } // throws DeadlineExceededException if slowCall() ran past five seconds
 * }
 *
 * <p>Comparison with Python: {@code asyncio.timeout(5)} and trio's {@code move_on_after}; unlike
 * a {@code timeout} argument, a deadline does not stretch when passed down through several calls.
 *
 * @param clock the clock this deadline is read on
 * @param nanoTime the {@link Clock#nanoTime()} reading at which it passes
 */
public record Deadline(Clock clock, long nanoTime) {

  public Deadline {
    Objects.requireNonNull(clock, "clock");
  }

  /** The deadline {@code duration} from now on the system clock. */
  public static Deadline after(Duration duration) {
    return after(duration, Clock.system());
  }

  /** The deadline {@code duration} from now on {@code clock}. */
  public static Deadline after(Duration duration, Clock clock) {
    long nanos = duration.toNanos();
    if (nanos < 0) {
      throw new IllegalArgumentException("deadline duration must be >= 0: " + duration);
    }
    return new Deadline(clock, saturatedAdd(clock.nanoTime(), nanos));
  }

  /** The time left before this deadline, zero once it has passed. */
  public Duration remaining() {
    long left = nanoTime - clock.nanoTime();
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }

  /** Whether the deadline has passed. */
  public boolean isExpired() {
    return nanoTime - clock.nanoTime() <= 0;
  }

  /** The earlier of this deadline and {@code other} (both must be on the same clock). */
  public Deadline min(Deadline other) {
    if (other.clock != clock) {
      throw new IllegalArgumentException("deadlines on different clocks: " + clock + ", " + other.clock);
    }
    return other.nanoTime - nanoTime < 0 ? other : this;
  }

  private static long saturatedAdd(long now, long nanos) {
    long sum = now + nanos;
    return ((now ^ sum) & (nanos ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
