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

  private record Cached(long second, byte[] bytes) {}

  private final Clock clock;
  private volatile Cached cached = new Cached(Long.MIN_VALUE, new byte[0]);

  public HttpDates(Clock clock) {
    this.clock = clock;
  }

  /** The current date as ASCII bytes (shared: do not modify). */
  public byte[] now() {
    Instant now = clock.instant();
    Cached c = cached;
    if (c.second != now.getEpochSecond()) {
      c = new Cached(now.getEpochSecond(), format(now).getBytes(StandardCharsets.US_ASCII));
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
