package dev.weft.http.internal;

import dev.weft.http.HttpVersion;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * An incremental HTTP/1.1 response parser (RFC 9112), the client's twin of {@link RequestParser}:
 * fed bytes in any pieces, from one byte up, it reports the head of a response, then slices of its
 * body, then its end. Interim {@code 1xx} responses are skipped. A body is framed by {@code
 * Content-Length}, by chunked transfer coding, or by the server closing the connection; the
 * response to {@code HEAD}, and {@code 204} and {@code 304}, have none whatever their fields say.
 *
 * {@snippet :
 * var parser = new ResponseParser(limits);
 * parser.expect("GET");
 * while (true) {
 *   switch (parser.parse(input)) {
 *     case HEAD -> handle(parser.head());
 *     case BODY -> consume(parser.body()); // a view of input: no copy
 *     case END -> { return; }              // parser.expect(...) before the next response
 *     case NEED_MORE -> {
 *       if (read(input) < 0) {
 *         parser.endOfInput();             // ends a close-delimited body, or throws
 *       }
 *     }
 *   }
 * }
 * }
 *
 * <h2>What is refused</h2>
 *
 * Every refusal is a {@link ProtocolException} naming the rule and the value; the parser then stays
 * failed. A status line that is not {@code HTTP/1.x SP 3DIGIT [SP reason]}, a bare LF, obsolete
 * line folding, whitespace before a colon, control characters, a Content-Length that is not digits
 * or comes twice with different values, Content-Length beside Transfer-Encoding (a server that
 * could be framed two ways), a transfer coding other than {@code chunked} last, a malformed chunk
 * size, and a head beyond the {@link Limits} (status line: {@code maxRequestLine}; fields: {@code
 * maxHeaderCount}, {@code maxHeaderSize}).
 *
 * <h2>Threads and memory</h2>
 *
 * Not thread-safe: the thread of one exchange owns it. Lines are read by the {@link LineReader}
 * shared with {@link RequestParser}; body bytes are never copied.
 */
public final class ResponseParser {
  private static final int MAX_INTERIM = 16;

  /** What {@link #parse} found. */
  public enum Event {
    /** The input is used up before anything complete: feed more, or call {@link #endOfInput()}. */
    NEED_MORE,
    /** The head is complete: see {@link #head()}. */
    HEAD,
    /** Body bytes are available: see {@link #body()}. */
    BODY,
    /** The response is complete. */
    END
  }

  private enum State {
    STATUS_LINE, HEADERS, FIXED_BODY, CLOSE_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, END, FAILED
  }

  private final Limits limits;
  private final LineReader<ProtocolException> lines;
  private final byte[] line; // the array of lines, where the status line is parsed
  private State state = State.END;
  private boolean bodyless;
  private boolean started;
  private int interim;
  private HttpVersion version;
  private int status;
  private String reason;
  private ResponseHead head;
  private long remaining;
  private long bodyBytes;
  private ByteBuffer body;

  public ResponseParser(Limits limits) {
    this.limits = limits;
    this.lines = new LineReader<>(limits, (status, message) -> new ProtocolException(message), LineReader.Sender.SERVER);
    this.line = lines.line();
  }

  /**
   * Makes the parser ready for the response to a request with {@code method}, which decides
   * whether a body may follow ({@code HEAD}: never).
   *
   * @throws IllegalStateException if the previous response has not ended
   */
  public void expect(String method) {
    if (state != State.END) {
      throw new IllegalStateException("ResponseParser expects a new response before the last ended: " + state);
    }
    state = State.STATUS_LINE;
    bodyless = method.equals("HEAD");
    started = false;
    interim = 0;
    lines.clear();
    head = null;
    body = null;
    bodyBytes = 0;
  }

  /**
   * Consumes bytes from {@code in} (moving its position) until something complete is found.
   *
   * @throws ProtocolException for a response that cannot be framed or passes a limit
   */
  public Event parse(ByteBuffer in) throws ProtocolException {
    try {
      return step(in);
    } catch (ProtocolException e) {
      state = State.FAILED;
      throw e;
    }
  }

  /**
   * Tells the parser the connection reached end of stream; returns {@link Event#END} when that ends
   * a close-delimited body.
   *
   * @throws java.io.EOFException if the response is cut short: no head, or a body with bytes missing
   */
  public Event endOfInput() throws java.io.EOFException {
    State was = state;
    if (was == State.CLOSE_BODY || was == State.END) {
      state = State.END;
      return Event.END;
    }
    state = State.FAILED;
    throw new java.io.EOFException(switch (was) {
      case STATUS_LINE, HEADERS -> started
          ? "connection closed in the middle of the response head"
          : "connection closed before the response head";
      case FIXED_BODY -> "connection closed after " + bodyBytes + " of " + head.contentLength() + " body bytes";
      case CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS -> "connection closed in the middle of a chunked body after " + bodyBytes + " bytes";
      default -> "connection closed while the parser was " + was;
    });
  }

  /** The head of the current response, after {@link Event#HEAD}. */
  public ResponseHead head() {
    return head;
  }

  /** The body bytes of the last {@link Event#BODY}: a view of the input, valid until it is reused. */
  public ByteBuffer body() {
    return body;
  }

  /** Whether any byte of the current response (interim ones included) has been consumed. */
  public boolean started() {
    return started;
  }

  /** Whether the current response has ended. */
  public boolean ended() {
    return state == State.END;
  }

  private Event step(ByteBuffer in) throws ProtocolException {
    while (true) {
      switch (state) {
        case STATUS_LINE -> {
          if (in.hasRemaining()) {
            started = true;
          }
          int length = lines.readStartLine(in, 400, "status line");
          if (length < 0) {
            return Event.NEED_MORE;
          }
          statusLine(length);
          state = State.HEADERS;
        }
        case HEADERS -> {
          if (!lines.readFields(in, "header section")) {
            return Event.NEED_MORE;
          }
          if (status < 200) {
            if (++interim > MAX_INTERIM) {
              throw new ProtocolException("more than " + MAX_INTERIM + " interim responses");
            }
            lines.clear();
            state = State.STATUS_LINE;
          } else {
            head = frame();
            lines.clear();
            remaining = head.contentLength();
            state = remaining == ResponseHead.CHUNKED ? State.CHUNK_SIZE
                : remaining == ResponseHead.UNTIL_CLOSE ? State.CLOSE_BODY
                : remaining > 0 ? State.FIXED_BODY : State.END;
            return Event.HEAD;
          }
        }
        case FIXED_BODY, CHUNK_DATA, CLOSE_BODY -> {
          if (!in.hasRemaining()) {
            return Event.NEED_MORE;
          }
          int n = state == State.CLOSE_BODY ? in.remaining() : (int) Math.min(remaining, in.remaining());
          body = in.slice(in.position(), n);
          in.position(in.position() + n);
          bodyBytes += n;
          if (state != State.CLOSE_BODY) {
            remaining -= n;
            if (remaining == 0) {
              state = state == State.FIXED_BODY ? State.END : State.CHUNK_END;
            }
          }
          return Event.BODY;
        }
        case CHUNK_SIZE -> {
          remaining = lines.readChunkSize(in);
          if (remaining < 0) {
            return Event.NEED_MORE;
          }
          state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
        }
        case CHUNK_END -> {
          if (!lines.readChunkEnd(in)) {
            return Event.NEED_MORE;
          }
          state = State.CHUNK_SIZE;
        }
        case TRAILERS -> {
          if (!lines.readFields(in, "trailer section")) {
            return Event.NEED_MORE;
          }
          state = State.END;
        }
        case END -> {
          return Event.END;
        }
        case FAILED -> throw new IllegalStateException("ResponseParser used after a failure");
      }
    }
  }

  private void statusLine(int length) throws ProtocolException {
    if (length < 12 || !lines.startsWith("HTTP/1.") || (line[7] != '1' && line[7] != '0')
        || line[8] != ' ' || !Syntax.isDigit(line[9]) || !Syntax.isDigit(line[10]) || !Syntax.isDigit(line[11])
        || (length > 12 && line[12] != ' ')) {
      throw new ProtocolException("malformed status line: " + lines.text(0, Math.min(length, 100)));
    }
    version = line[7] == '1' ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
    status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (status < 100) {
      throw new ProtocolException("status code out of range: " + lines.text(9, 12));
    }
    if (!lines.isText(13, length)) {
      throw new ProtocolException("reason phrase has a control character");
    }
    reason = length > 13 ? lines.text(13, length) : "";
  }

  /** The response framing of RFC 9112 section 6.3, for a final (non-1xx) status. */
  private ResponseHead frame() throws ProtocolException {
    String contentLength = null;
    boolean chunked = false;
    String transferEncoding = null;
    boolean close = false;
    boolean keepAliveToken = false;
    List<String> fields = lines.fields();
    for (int i = 0; i < fields.size(); i += 2) {
      String name = fields.get(i);
      String value = fields.get(i + 1);
      if (name.equalsIgnoreCase("content-length")) {
        if (contentLength != null && !contentLength.equals(value)) {
          throw new ProtocolException("Content-Length fields disagree: " + contentLength + ", " + value);
        }
        contentLength = value;
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
      } else if (name.equalsIgnoreCase("connection")) {
        for (String token : value.split(",")) {
          close |= token.strip().equalsIgnoreCase("close");
          keepAliveToken |= token.strip().equalsIgnoreCase("keep-alive");
        }
      }
    }
    boolean keepAlive = !close && (version == HttpVersion.HTTP_1_1 || keepAliveToken);
    String[] array = lines.fields().toArray(String[]::new);
    if (bodyless || status == 204 || status == 304) {
      return new ResponseHead(version, status, reason, array, 0, keepAlive);
    }
    if (transferEncoding != null) {
      if (contentLength != null) {
        throw new ProtocolException("response has both Content-Length and Transfer-Encoding");
      }
      String[] codings = transferEncoding.split(",");
      chunked = codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
      if (!chunked) {
        throw new ProtocolException("last transfer coding must be chunked: " + transferEncoding);
      }
      if (codings.length > 1) {
        throw new ProtocolException("transfer coding not supported: " + transferEncoding);
      }
      return new ResponseHead(version, status, reason, array, ResponseHead.CHUNKED, keepAlive);
    }
    if (contentLength != null) {
      return new ResponseHead(version, status, reason, array, contentLength(contentLength), keepAlive);
    }
    return new ResponseHead(version, status, reason, array, ResponseHead.UNTIL_CLOSE, false);
  }

  private static long contentLength(String value) throws ProtocolException {
    if (value.isEmpty() || value.length() > 18) {
      throw new ProtocolException("Content-Length is not a decimal number below 10^18: " + value);
    }
    long length = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new ProtocolException("Content-Length is not a decimal number: " + value);
      }
      length = length * 10 + (c - '0');
    }
    return length;
  }
}
