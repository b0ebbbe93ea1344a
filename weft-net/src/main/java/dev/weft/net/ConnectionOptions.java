package dev.weft.net;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits a server or client applies to its connections. Start from {@link #defaults()} and
 * change what you need.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="connectionOptions" :
 * var options = ConnectionOptions.defaults()
 *     .withMaxConnections(1_000)
 *     .withIdleTimeout(Duration.ofMinutes(5))
 *     .withOutboundLimit(1 << 20); // drop a subscriber that falls 1 MiB behind
 * reactor.listen(Endpoint.parse("tcp:7002"), factory, options);
 * }
 *
 * <p>Comparison: Twisted sets these piecemeal ({@code TimeoutMixin}, producer water marks in
 * each transport, {@code backlog} on {@code listenTCP}); Netty's {@code WriteBufferWaterMark},
 * {@code IdleStateHandler} and a hand-written connection counter. Here they are one value, shared
 * by the event-driven and the blocking styles.
 *
 * @param maxConnections connections a listening port keeps open at once; more are accepted, closed
 *     at once and counted as {@link NetStats#rejected()}
 * @param idleTimeout how long a connection may go without reading or writing anything before it is
 *     aborted; {@link Duration#ZERO} for never
 * @param highWaterMark pending outbound bytes above which the transport turns unwritable
 * @param lowWaterMark pending outbound bytes at or below which it turns writable again
 * @param outboundLimit pending outbound bytes above which the connection is aborted ({@link
 *     ConnectionAborted.Cause#OUTBOUND_LIMIT}): the bound on memory a slow reader can hold
 */
public record ConnectionOptions(
    int maxConnections, Duration idleTimeout, int highWaterMark, int lowWaterMark, long outboundLimit) {

  public ConnectionOptions {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (maxConnections <= 0) {
      throw new IllegalArgumentException("maxConnections must be > 0: " + maxConnections);
    }
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idleTimeout must be >= 0: " + idleTimeout);
    }
    if (lowWaterMark < 0 || lowWaterMark > highWaterMark) {
      throw new IllegalArgumentException(
          "water marks must be 0 <= low <= high: low=" + lowWaterMark + " high=" + highWaterMark);
    }
    if (outboundLimit < highWaterMark) {
      throw new IllegalArgumentException(
          "outboundLimit must be >= highWaterMark: " + outboundLimit + " < " + highWaterMark);
    }
  }

  /**
   * 65,536 connections, no idle timeout, water marks 64 KiB / 32 KiB, outbound limit 64 MiB.
   */
  public static ConnectionOptions defaults() {
    return new ConnectionOptions(65_536, Duration.ZERO, 64 * 1024, 32 * 1024, 64L * 1024 * 1024);
  }

  /** These options with another connection limit. */
  public ConnectionOptions withMaxConnections(int limit) {
    return new ConnectionOptions(limit, idleTimeout, highWaterMark, lowWaterMark, outboundLimit);
  }

  /** These options with another idle timeout ({@link Duration#ZERO}: none). */
  public ConnectionOptions withIdleTimeout(Duration timeout) {
    return new ConnectionOptions(maxConnections, timeout, highWaterMark, lowWaterMark, outboundLimit);
  }

  /** These options with other water marks. */
  public ConnectionOptions withWaterMarks(int low, int high) {
    return new ConnectionOptions(maxConnections, idleTimeout, high, low, Math.max(outboundLimit, high));
  }

  /** These options with another outbound limit (water marks are lowered to fit under it). */
  public ConnectionOptions withOutboundLimit(long limit) {
    int high = (int) Math.min(highWaterMark, limit);
    return new ConnectionOptions(maxConnections, idleTimeout, high, Math.min(lowWaterMark, high), limit);
  }
}
