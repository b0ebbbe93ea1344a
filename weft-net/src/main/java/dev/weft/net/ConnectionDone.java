package dev.weft.net;

import java.io.IOException;
import java.io.Serial;

/**
 * The reason given to {@link Protocol#connectionLost} when a connection closed cleanly: one side
 * closed after everything written had been sent. Twisted's {@code ConnectionDone}.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="connectionDone" :
 * public void connectionLost(Throwable reason) {
 *   if (!(reason instanceof ConnectionDone)) {
 *     log.log(WARNING, "lost " + peer, reason);
 *   }
 * }
 * }
 *
 * <p>Comparison: Python's {@code ConnectionDone}; in Java code a clean end of stream is usually
 * a {@code -1} from {@code read}, this is the same fact delivered as an event.
 */
public final class ConnectionDone extends IOException {
  @Serial private static final long serialVersionUID = 1L;

  /** A clean close, described by {@code message} (who closed). */
  public ConnectionDone(String message) {
    super(message);
  }
}
