package dev.weft.net;

import dev.weft.net.internal.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A {@link Protocol} that splits what it receives into lines and hands them to {@link
 * #lineReceived} one by one, with a mandatory maximum line length.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="lineReceiver" :
 * final class Shout extends LineReceiver {
 *   Shout() {
 *     super(1024);
 *   }
 *
 *   @Override
 *   protected void lineReceived(ByteBuffer line) {
 *     sendLine(LineReceiver.text(line).toUpperCase());
 *   }
 * }
 * }
 *
 * <h2>Lines</h2>
 *
 * A line ends at LF ({@code \n}); a CR just before the LF is removed, so CRLF and LF input both
 * work; a CR anywhere else is part of the line. {@code lineReceived} gets the line's bytes without
 * the ending, as a view of the received data that is valid only during the call (copy what you
 * keep; {@link #text(ByteBuffer)} decodes UTF-8). Bytes after the last LF wait for the next read;
 * a connection that closes with such a partial line does not deliver it. {@link #sendLine} writes
 * the line and the {@link LineEnding} given to the constructor (LF by default).
 *
 * <h2>Too long</h2>
 *
 * A line longer than {@code maxLineLength} bytes (not counting its ending) is never buffered past
 * the limit: as soon as the limit is passed, with or without an ending in sight, {@link
 * #lineLengthExceeded} is called once with what was seen of the line, and all further input on
 * the connection is discarded. The default loses the connection after what was already written
 * has been sent (Twisted's default).
 *
 * <h2>Why an abstract class</h2>
 *
 * weft's public types are otherwise interfaces, records and final classes; a line receiver holds
 * per-connection state (the partial line) that the subclass should not have to manage, and it is
 * the shape every Twisted user knows. Override the {@code protected} hooks; the {@link Protocol}
 * events that do the splitting are {@code final}.
 *
 * <h2>Threads</h2>
 *
 * Like any protocol: its events run on the connection's thread, one at a time; fields need no
 * lock. {@link #sendLine} may be called from any thread (it writes through the transport).
 *
 * <p>Comparison: Twisted's {@code LineReceiver} ({@code MAX_LENGTH}, {@code lineLengthExceeded}),
 * with the line as bytes, not copied; Netty's {@code LineBasedFrameDecoder} with {@code
 * failFast}.
 */
public abstract class LineReceiver implements Protocol {
  /** The limit of Twisted's {@code LineReceiver.MAX_LENGTH}. */
  public static final int DEFAULT_MAX_LINE_LENGTH = 16384;

  private final int maxLineLength;
  private final ByteBuffer ending;
  private Transport transport;
  /** Loop-confined: the start of a line that has no ending yet (write mode), or null. */
  private ByteBuffer partial;
  private boolean discarding;

  /** A receiver of lines of at most {@code maxLineLength} bytes, sending LF-ended lines. */
  protected LineReceiver(int maxLineLength) {
    this(maxLineLength, LineEnding.LF);
  }

  /** A receiver of lines of at most {@code maxLineLength} bytes, sending lines ended by {@code ending}. */
  protected LineReceiver(int maxLineLength, LineEnding ending) {
    if (maxLineLength <= 0) {
      throw new IllegalArgumentException("maxLineLength must be > 0: " + maxLineLength);
    }
    this.maxLineLength = maxLineLength;
    this.ending = ByteBuffer.wrap(ending.text().getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
  }

  /** Keeps the transport, then calls {@link #connectionMade()}. */
  @Override
  public final void connectionMade(Transport newTransport) {
    this.transport = newTransport;
    connectionMade();
  }

  /** The connection is open; {@link #transport()} is set. */
  protected void connectionMade() {}

  /** One line, without its ending; a view valid only during the call. */
  protected abstract void lineReceived(ByteBuffer line);

  /**
   * A line passed the maximum length; {@code start} holds what was seen of it (at most the limit
   * and the bytes of one read). The default loses the connection. No more lines are delivered.
   */
  protected void lineLengthExceeded(ByteBuffer start) {
    transport.loseConnection();
  }

  /** The transport this receiver writes to (null before the connection is made). */
  protected final Transport transport() {
    return transport;
  }

  /** The maximum line length, in bytes. */
  public final int maxLineLength() {
    return maxLineLength;
  }

  /** Writes {@code line}'s remaining bytes and the line ending. */
  public final void sendLine(ByteBuffer line) {
    transport.write(line);
    transport.write(ending.duplicate());
  }

  /** Writes {@code line} in UTF-8 and the line ending. */
  public final void sendLine(String line) {
    sendLine(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
  }

  /** Decodes a line's remaining bytes as UTF-8, without moving its position. */
  public static String text(ByteBuffer line) {
    byte[] bytes = new byte[line.remaining()];
    line.get(line.position(), bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public final void dataReceived(ByteBuffer data) {
    int end = data.limit();
    int pos = data.position();
    while (pos < end && !discarding) {
      int lf = Bytes.indexOf(data, pos, end, (byte) '\n');
      if (lf < 0) {
        keepPartial(data, pos, end);
        break;
      }
      if (partial != null && partial.position() > 0) {
        completePartial(data, pos, lf);
      } else {
        deliver(data, pos, lf, end);
      }
      pos = lf + 1;
    }
    data.limit(end).position(end);
  }

  /** A whole line inside {@code data}: handed over as a view of it. */
  private void deliver(ByteBuffer data, int from, int lf, int end) {
    int to = lf > from && data.get(lf - 1) == '\r' ? lf - 1 : lf;
    data.limit(to).position(from);
    if (to - from > maxLineLength) {
      exceeded(data);
    } else {
      lineReceived(data);
    }
    data.limit(end);
  }

  private void keepPartial(ByteBuffer data, int from, int to) {
    int held = partial == null ? 0 : partial.position();
    if (held + (to - from) > maxLineLength + 1) {
      exceededWithPartial(data, from, to);
      return;
    }
    append(data, from, to);
  }

  private void completePartial(ByteBuffer data, int from, int lf) {
    if (partial.position() + (lf - from) > maxLineLength + 1) {
      exceededWithPartial(data, from, lf);
      return;
    }
    append(data, from, lf);
    ByteBuffer line = partial.flip();
    if (line.limit() > 0 && line.get(line.limit() - 1) == '\r') {
      line.limit(line.limit() - 1);
    }
    if (line.remaining() > maxLineLength) {
      exceeded(line);
    } else {
      lineReceived(line);
    }
    if (partial != null) {
      partial.clear();
    }
  }

  private void append(ByteBuffer data, int from, int to) {
    int n = to - from;
    if (partial == null) {
      partial = ByteBuffer.allocate(Math.min(maxLineLength + 1, Math.max(256, n)));
    } else if (partial.remaining() < n) {
      int size = Math.min(maxLineLength + 1, Math.max(partial.capacity() * 2, partial.position() + n));
      partial = ByteBuffer.allocate(size).put(partial.flip());
    }
    partial.put(partial.position(), data, from, n);
    partial.position(partial.position() + n);
  }

  private void exceededWithPartial(ByteBuffer data, int from, int to) {
    ByteBuffer start = ByteBuffer.allocate((partial == null ? 0 : partial.position()) + (to - from));
    if (partial != null) {
      start.put(partial.flip());
    }
    start.put(start.position(), data, from, to - from).position(start.capacity()).flip();
    exceeded(start);
  }

  private void exceeded(ByteBuffer start) {
    discarding = true;
    partial = null;
    lineLengthExceeded(start);
  }
}
