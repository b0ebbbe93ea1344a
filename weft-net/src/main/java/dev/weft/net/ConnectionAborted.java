package dev.weft.net;

import java.io.IOException;
import java.io.Serial;
import java.util.Objects;

/**
 * The reason given to {@link Protocol#connectionLost} when weft itself cut a connection short,
 * with the {@link Cause} that made it do so. Data still waiting to be sent was discarded and the
 * peer saw a reset.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="connectionAborted" :
 * public void connectionLost(Throwable reason) {
 *   if (reason instanceof ConnectionAborted aborted && aborted.cause() == Cause.OUTBOUND_LIMIT) {
 *     log.log(INFO, "dropped slow subscriber: " + aborted.getMessage());
 *   }
 * }
 * }
 *
 * <p>Comparison: Twisted reports these as {@code ConnectionLost} with a string; here the cause is
 * an enum a program can switch on.
 */
public final class ConnectionAborted extends IOException {
  @Serial private static final long serialVersionUID = 1L;

  /** Why a connection was aborted. */
  public enum Cause {
    /** {@link Transport#abortConnection()} was called. */
    APPLICATION,
    /** Nothing was read or written for longer than the idle timeout. */
    IDLE_TIMEOUT,
    /** The data waiting to be sent passed {@link ConnectionOptions#outboundLimit()}. */
    OUTBOUND_LIMIT,
    /** The reactor was closed abruptly, or its graceful close ran out of time. */
    REACTOR_CLOSED,
    /** The protocol threw from one of its events. */
    PROTOCOL_ERROR
  }

  private final Cause cause;

  /** An abort for {@code cause}, described by {@code message}. */
  public ConnectionAborted(Cause cause, String message) {
    super(message);
    this.cause = Objects.requireNonNull(cause, "cause");
  }

  /** An abort for {@code cause} that an exception (from a protocol) provoked. */
  public ConnectionAborted(Cause cause, String message, Throwable error) {
    super(message, error);
    this.cause = Objects.requireNonNull(cause, "cause");
  }

  /** Why the connection was aborted. */
  public Cause cause() {
    return cause;
  }
}
