package dev.weft.http.internal;

import dev.weft.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP dates in the IMF-fixdate form ({@code Sun, 06 Nov 1994 08:49:37 GMT}), and the current one
 * cached per second so that a busy server formats it once a second, not once a response.
 * Thread-safe: the cache is one immutable value behind a volatile field.
 */
public final class HttpDates {
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  /** The date of one second, valid until {@code until} on the clock's {@code nanoTime}. */
  private record Cached(long second, byte[] bytes, long until) {}

  private final Clock clock;
  private volatile Cached cached;

  public HttpDates(Clock clock) {
    this.clock = clock;
  }

  /** The current date as ASCII bytes (shared: do not modify). */
  public byte[] now() {
    // reading nanoTime is cheaper than making an Instant: read the wall clock once a second
    long nanos = clock.nanoTime();
    Cached c = cached;
    if (c == null || nanos - c.until >= 0) {
      Instant now = clock.instant();
      long left = 1_000_000_000L - now.getNano();
      c = new Cached(now.getEpochSecond(), format(now).getBytes(StandardCharsets.US_ASCII), nanos + left);
      cached = c;
    }
    return c.bytes;
  }

  /** {@code instant} as an IMF-fixdate. */
  public static String format(Instant instant) {
    return IMF_FIXDATE.format(instant);
  }

  /** The instant of an HTTP date (IMF-fixdate or RFC 1123 with a one-digit day), if it parses. */
  public static Optional<Instant> parse(String text) {
    try {
      return Optional.of(ZonedDateTime.parse(text.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
