package dev.weft.net;

import java.io.IOException;
import java.io.Serial;

/**
 * Thrown by {@link Connection#readLine} when a line is longer than the limit asked for; the bytes
 * read so far are discarded and the connection should be closed.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="lineTooLongException" :
 * try {
 *   String line = connection.readLine(1024);
 * } catch (LineTooLongException e) {
 *   connection.write(ByteBuffer.wrap("line too long\n".getBytes(UTF_8)));
 * }
 * }
 *
 * <p>Comparison: Python's {@code readline(limit)} returns a truncated line silently; here the
 * outcome is explicit. The event-driven counterpart is {@link LineReceiver#lineLengthExceeded}.
 */
public final class LineTooLongException extends IOException {
  @Serial private static final long serialVersionUID = 1L;

  private final int limit;

  /** A line passed {@code limit} bytes. */
  public LineTooLongException(int limit) {
    super("line must be at most " + limit + " bytes: longer line received");
    this.limit = limit;
  }

  /** The limit the line passed. */
  public int limit() {
    return limit;
  }
}
