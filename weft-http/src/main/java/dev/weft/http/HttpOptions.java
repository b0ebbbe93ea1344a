package dev.weft.http;

import dev.weft.Clock;
import dev.weft.http.internal.Limits;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits and switches of an {@link HttpServer}. Start from {@link #defaults()} and change what
 * you need.
 *
 * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="httpOptions" :
 * var options = HttpOptions.defaults()
 *     .withMaxBodySize(100L << 20)                 // 100 MiB uploads
 *     .withHeaderReadTimeout(Duration.ofSeconds(5))
 *     .withAccessLog(AccessLog.ON);
 * }
 *
 * <p>Comparison: nginx's {@code large_client_header_buffers}, {@code client_max_body_size}, {@code
 * client_header_timeout}, {@code keepalive_timeout} and {@code worker_connections}; Twisted's
 * {@code Site} has only a {@code timeout}. Every limit has a status a client sees when it is passed.
 *
 * @param maxConnections connections open at once; more are answered 503 and closed
 * @param maxRequestLine bytes of the request line (414 beyond)
 * @param maxHeaderCount header fields of a request (431 beyond)
 * @param maxHeaderSize bytes of a request's header section (431 beyond)
 * @param maxBodySize bytes of a request body (413 beyond)
 * @param headerReadTimeout time from a request's first byte to the end of its head (408 beyond):
 *     the defence against a client that sends a byte at a time for ever
 * @param idleTimeout time a connection may wait for the next request, for the next piece of a
 *     body, or for the client to take the next piece of a response (nginx's {@code
 *     send_timeout}: a client that stops reading is not waited for), before it is closed
 * @param accessLog whether each request is logged
 * @param clock the clock the timeouts and the {@code Date} header read
 */
public record HttpOptions(
    int maxConnections,
    int maxRequestLine,
    int maxHeaderCount,
    int maxHeaderSize,
    long maxBodySize,
    Duration headerReadTimeout,
    Duration idleTimeout,
    AccessLog accessLog,
    Clock clock) {

  public HttpOptions {
    Objects.requireNonNull(headerReadTimeout, "headerReadTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(accessLog, "accessLog");
    Objects.requireNonNull(clock, "clock");
    if (maxConnections <= 0) {
      throw new IllegalArgumentException("maxConnections must be > 0: " + maxConnections);
    }
    if (!headerReadTimeout.isPositive()) {
      throw new IllegalArgumentException("headerReadTimeout must be > 0: " + headerReadTimeout);
    }
    if (!idleTimeout.isPositive()) {
      throw new IllegalArgumentException("idleTimeout must be > 0: " + idleTimeout);
    }
    limits(maxRequestLine, maxHeaderCount, maxHeaderSize, maxBodySize);
  }

  /**
   * 10,000 connections, request line 8 KiB, 100 header fields in 32 KiB, bodies up to 16 MiB,
   * header read timeout 10 s, idle timeout 60 s, no access log, the system clock.
   */
  public static HttpOptions defaults() {
    return new HttpOptions(
        10_000, 8192, 100, 32 * 1024, 16L << 20, Duration.ofSeconds(10), Duration.ofSeconds(60),
        AccessLog.OFF, Clock.system());
  }

  /** These options with another connection limit. */
  public HttpOptions withMaxConnections(int limit) {
    return new HttpOptions(limit, maxRequestLine, maxHeaderCount, maxHeaderSize, maxBodySize, headerReadTimeout, idleTimeout, accessLog, clock);
  }

  /** These options with another request line limit. */
  public HttpOptions withMaxRequestLine(int bytes) {
    return new HttpOptions(maxConnections, bytes, maxHeaderCount, maxHeaderSize, maxBodySize, headerReadTimeout, idleTimeout, accessLog, clock);
  }

  /** These options with other header limits. */
  public HttpOptions withMaxHeaders(int count, int bytes) {
    return new HttpOptions(maxConnections, maxRequestLine, count, bytes, maxBodySize, headerReadTimeout, idleTimeout, accessLog, clock);
  }

  /** These options with another body limit. */
  public HttpOptions withMaxBodySize(long bytes) {
    return new HttpOptions(maxConnections, maxRequestLine, maxHeaderCount, maxHeaderSize, bytes, headerReadTimeout, idleTimeout, accessLog, clock);
  }

  /** These options with another header read timeout. */
  public HttpOptions withHeaderReadTimeout(Duration timeout) {
    return new HttpOptions(maxConnections, maxRequestLine, maxHeaderCount, maxHeaderSize, maxBodySize, timeout, idleTimeout, accessLog, clock);
  }

  /** These options with another idle timeout. */
  public HttpOptions withIdleTimeout(Duration timeout) {
    return new HttpOptions(maxConnections, maxRequestLine, maxHeaderCount, maxHeaderSize, maxBodySize, headerReadTimeout, timeout, accessLog, clock);
  }

  /** These options with the access log on or off. */
  public HttpOptions withAccessLog(AccessLog log) {
    return new HttpOptions(maxConnections, maxRequestLine, maxHeaderCount, maxHeaderSize, maxBodySize, headerReadTimeout, idleTimeout, log, clock);
  }

  /** These options on another clock (a virtual one in tests). */
  public HttpOptions withClock(Clock newClock) {
    return new HttpOptions(maxConnections, maxRequestLine, maxHeaderCount, maxHeaderSize, maxBodySize, headerReadTimeout, idleTimeout, accessLog, newClock);
  }

  Limits limits() {
    return limits(maxRequestLine, maxHeaderCount, maxHeaderSize, maxBodySize);
  }

  private static Limits limits(int requestLine, int headerCount, int headerSize, long bodySize) {
    return new Limits(requestLine, headerCount, headerSize, bodySize);
  }
}
