package dev.weft.cli.fetch;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before a retry: exponential backoff with jitter, or the server's {@code
 * Retry-After} when that is longer.
 *
 * <p>The n-th retry waits a random time between half and all of {@code base × 2^(n-1)}, capped at
 * {@code max} ("equal jitter": retries of many downloads that failed together spread out instead
 * of hitting the server again in step, yet each still waits at least half its share). A {@code
 * Retry-After} in seconds or as an HTTP date raises the wait to what the server asked for, up to
 * {@code max} as well, so one header cannot park a download for an hour.
 *
 * <p>Thread contract: thread-safe if {@code random} is; the command passes {@link
 * java.util.concurrent.ThreadLocalRandom}, which draws from the calling thread's own state.
 *
 * @param base the wait before the first retry, before jitter
 * @param max the longest wait
 * @param random the jitter's source
 */
record Backoff(Duration base, Duration max, RandomGenerator random) {

  /** The wait before retry number {@code retry} (from 1), given the failed response's header. */
  Duration delay(int retry, Optional<String> retryAfter, Instant now) {
    Duration exponential = base.multipliedBy(1L << Math.min(retry - 1, 30));
    if (exponential.compareTo(max) > 0 || exponential.isNegative()) {
      exponential = max;
    }
    long half = exponential.toNanos() / 2;
    Duration jittered = Duration.ofNanos(half + (half > 0 ? random.nextLong(half + 1) : 0));
    Duration asked = retryAfter.flatMap(value -> parseRetryAfter(value, now)).orElse(Duration.ZERO);
    Duration wait = asked.compareTo(jittered) > 0 ? asked : jittered;
    return wait.compareTo(max) > 0 ? max : wait;
  }

  /** A {@code Retry-After} value as a wait from {@code now}: delta-seconds or an HTTP date. */
  static Optional<Duration> parseRetryAfter(String value, Instant now) {
    String trimmed = value.strip();
    if (trimmed.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
    }
    try {
      Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
