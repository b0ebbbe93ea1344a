package dev.weft.http.internal;

import dev.weft.http.HttpVersion;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An incremental HTTP/1.1 response parser (RFC 9112), the client's twin of {@link RequestParser}:
 * fed bytes in any pieces, from one byte up, it reports the head of a response, then slices of its
 * body, then its end. Interim {@code 1xx} responses are skipped. A body is framed by {@code
 * Content-Length}, by chunked transfer coding, or by the server closing the connection; the
 * response to {@code HEAD}, and {@code 204} and {@code 304}, have none whatever their fields say.
 * Over 300 lines for the same reason as the request parser: one state machine reads best whole.
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
 * Not thread-safe: the thread of one exchange owns it. Body bytes are never copied.
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
  private final byte[] line;
  private int lineLength;
  private State state = State.END;
  private boolean bodyless;
  private boolean started;
  private int interim;
  private HttpVersion version;
  private int status;
  private String reason;
  private final List<String> fields = new ArrayList<>();
  private int fieldBytes;
  private ResponseHead head;
  private long remaining;
  private long bodyBytes;
  private ByteBuffer body;

  public ResponseParser(Limits limits) {
    this.limits = limits;
    int longest = Math.max(Math.max(limits.maxRequestLine(), limits.maxHeaderSize()), Limits.MAX_CHUNK_LINE);
    this.line = new byte[longest + 1];
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
    fields.clear();
    fieldBytes = 0;
    lineLength = 0;
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
          int length = readLine(in, limits.maxRequestLine(), "status line");
          if (length < 0) {
            return Event.NEED_MORE;
          }
          statusLine(length);
          state = State.HEADERS;
        }
        case HEADERS -> {
          int length = readLine(in, limits.maxHeaderSize() - fieldBytes, "header section");
          if (length < 0) {
            return Event.NEED_MORE;
          }
          if (length > 0) {
            field(length);
          } else if (status < 200) {
            if (++interim > MAX_INTERIM) {
              throw new ProtocolException("more than " + MAX_INTERIM + " interim responses");
            }
            fields.clear();
            fieldBytes = 0;
            state = State.STATUS_LINE;
          } else {
            head = frame();
            fields.clear();
            fieldBytes = 0;
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
          int length = readLine(in, Limits.MAX_CHUNK_LINE, "chunk size line");
          if (length < 0) {
            return Event.NEED_MORE;
          }
          remaining = chunkSize(length);
          state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
        }
        case CHUNK_END -> {
          int length = readLine(in, 0, "chunk data");
          if (length < 0) {
            return Event.NEED_MORE;
          }
          state = State.CHUNK_SIZE;
        }
        case TRAILERS -> {
          int length = readLine(in, limits.maxHeaderSize() - fieldBytes, "trailer section");
          if (length < 0) {
            return Event.NEED_MORE;
          }
          if (length > 0) {
            field(length);
          } else {
            state = State.END;
          }
        }
        case END -> {
          return Event.END;
        }
        case FAILED -> throw new IllegalStateException("ResponseParser used after a failure");
      }
    }
  }

  /** As {@code RequestParser.readLine}: the next line into {@link #line}, or -1 until it ends. */
  private int readLine(ByteBuffer in, int max, String what) throws ProtocolException {
    int start = in.position();
    int limit = in.limit();
    int i = start;
    while (i < limit && in.get(i) != '\n') {
      i++;
    }
    int total = lineLength + (i - start);
    if (total > max + 1) {
      throw new ProtocolException(what + " longer than " + Math.max(max, 0) + " bytes");
    }
    in.get(start, line, lineLength, i - start);
    lineLength = total;
    if (i == limit) {
      in.position(limit);
      return -1;
    }
    in.position(i + 1);
    if (lineLength == 0 || line[lineLength - 1] != '\r') {
      throw new ProtocolException(what + " ended by a bare LF");
    }
    int length = lineLength - 1;
    lineLength = 0;
    return length;
  }

  private void statusLine(int length) throws ProtocolException {
    if (length < 12 || !text(0, 7).equals("HTTP/1.") || (line[7] != '1' && line[7] != '0')
        || line[8] != ' ' || !Syntax.isDigit(line[9]) || !Syntax.isDigit(line[10]) || !Syntax.isDigit(line[11])
        || (length > 12 && line[12] != ' ')) {
      throw new ProtocolException("malformed status line: " + text(0, Math.min(length, 100)));
    }
    version = line[7] == '1' ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
    status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (status < 100) {
      throw new ProtocolException("status code out of range: " + text(9, 12));
    }
    for (int i = 13; i < length; i++) {
      if ((line[i] < ' ' && line[i] != '\t') || line[i] == 0x7f) {
        throw new ProtocolException("reason phrase has a control character");
      }
    }
    reason = length > 13 ? text(13, length) : "";
  }

  private void field(int length) throws ProtocolException {
    if (fields.size() / 2 >= limits.maxHeaderCount()) {
      throw new ProtocolException("more than " + limits.maxHeaderCount() + " header fields");
    }
    fieldBytes += length + 2;
    if (fieldBytes > limits.maxHeaderSize()) {
      throw new ProtocolException("header section longer than " + limits.maxHeaderSize() + " bytes");
    }
    if (line[0] == ' ' || line[0] == '\t') {
      throw new ProtocolException("obsolete line folding in a header field");
    }
    int colon = -1;
    for (int i = 0; i < length && colon < 0; i++) {
      if (line[i] == ':') {
        colon = i;
      }
    }
    if (colon <= 0) {
      throw new ProtocolException("header field has no name: " + text(0, Math.min(length, 100)));
    }
    for (int i = 0; i < colon; i++) {
      if (!Syntax.isToken(line[i])) {
        throw new ProtocolException("header field name has a space or invalid character: " + text(0, colon));
      }
    }
    int from = colon + 1;
    int to = length;
    while (from < to && (line[from] == ' ' || line[from] == '\t')) {
      from++;
    }
    while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
      to--;
    }
    for (int i = from; i < to; i++) {
      int b = line[i] & 0xff;
      if ((b < ' ' && b != '\t') || b == 0x7f) {
        throw new ProtocolException("header field " + text(0, colon) + " has a control character (" + b + ")");
      }
    }
    fields.add(text(0, colon));
    fields.add(text(from, to));
  }

  /** The response framing of RFC 9112 section 6.3, for a final (non-1xx) status. */
  private ResponseHead frame() throws ProtocolException {
    String contentLength = null;
    boolean chunked = false;
    String transferEncoding = null;
    boolean close = false;
    boolean keepAliveToken = false;
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
    String[] array = fields.toArray(String[]::new);
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

  private long chunkSize(int length) throws ProtocolException {
    long size = 0;
    int i = 0;
    for (; i < length && Syntax.hex(line[i]) >= 0; i++) {
      if (i >= 15) {
        throw new ProtocolException("chunk size too large: " + text(0, Math.min(length, 40)));
      }
      size = size * 16 + Syntax.hex(line[i]);
    }
    if (i == 0) {
      throw new ProtocolException("chunk size is not hexadecimal: " + text(0, Math.min(length, 40)));
    }
    while (i < length && (line[i] == ' ' || line[i] == '\t')) {
      i++;
    }
    if (i < length && line[i] != ';') {
      throw new ProtocolException("chunk size followed by something other than an extension: " + text(0, Math.min(length, 40)));
    }
    return size;
  }

  private String text(int from, int to) {
    return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
  }
}
