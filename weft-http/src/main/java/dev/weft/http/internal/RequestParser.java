package dev.weft.http.internal;

import dev.weft.http.HttpException;
import dev.weft.http.HttpVersion;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * An incremental HTTP/1.1 request parser (RFC 9112): fed bytes in any pieces, from one byte up, it
 * reports the head of a request, then slices of its body, then its end.
 *
 * {@snippet :
 * var parser = new RequestParser(limits);
 * while (true) {
 *   switch (parser.parse(input)) {
 *     case HEAD -> handle(parser.head());
 *     case BODY -> consume(parser.body()); // a view of input: no copy
 *     case END -> parser.reset();          // the next request may already be in input
 *     case NEED_MORE -> read(input);
 *   }
 * }
 * }
 *
 * <h2>What is refused</h2>
 *
 * Every refusal is an {@link HttpException} with the status to answer; afterwards the parser stays
 * failed, since the connection's framing is lost. Lines end with CRLF only: a bare LF or a bare CR
 * is 400, as are obsolete line folding, whitespace before a field's colon, control characters, a
 * Content-Length that is not digits or comes twice, Content-Length beside Transfer-Encoding,
 * Transfer-Encoding in HTTP/1.0, a Transfer-Encoding whose last coding is not {@code chunked}, and
 * a missing or repeated Host in HTTP/1.1 — the request-smuggling cases, where two parsers could
 * disagree on where a request ends. Other transfer codings and unknown methods are 501, other
 * versions 505, unsupported expectations 417, and the {@link Limits} 413, 414 and 431.
 *
 * <h2>Threads and memory</h2>
 *
 * Not thread-safe: one connection's thread owns it. Lines are read by a {@link LineReader}, shared
 * with {@link ResponseParser}, which copies them in bulk into one array sized by the limits; body
 * bytes are never copied ({@link #body()} is a slice of the input).
 */
public final class RequestParser {
  /** The methods served; any other well-formed method is answered with 501. */
  public static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");

  private static final int MAX_EMPTY_LINES = 16;

  /** What {@link #parse} found. */
  public enum Event {
    /** The input is used up before anything complete: feed more. */
    NEED_MORE,
    /** The head is complete: see {@link #head()}. */
    HEAD,
    /** Body bytes are available: see {@link #body()}. */
    BODY,
    /** The request is complete (trailers, if any, in {@link #trailers()}): {@link #reset()} next. */
    END
  }

  private enum State {
    REQUEST_LINE, HEADERS, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, END, FAILED
  }

  private final Limits limits;
  private final LineReader<HttpException> lines;
  private final byte[] line; // the array of lines, where the request line is parsed
  private State state = State.REQUEST_LINE;
  private boolean started;
  private int emptyLines;
  private String method;
  private String target;
  private HttpVersion version;
  private String lastTarget;
  private RequestHead head;
  private long remaining;
  private ByteBuffer body;

  public RequestParser(Limits limits) {
    this.limits = limits;
    this.lines = new LineReader<>(limits, HttpException::new, LineReader.Sender.CLIENT);
    this.line = lines.line();
  }

  /**
   * Consumes bytes from {@code in} (moving its position) until something complete is found.
   *
   * @throws HttpException for a request that must be refused, with the status to answer
   */
  public Event parse(ByteBuffer in) {
    try {
      return step(in);
    } catch (HttpException e) {
      state = State.FAILED;
      throw e;
    }
  }

  /** The head of the current request, after {@link Event#HEAD}. */
  public RequestHead head() {
    return head;
  }

  /** The body bytes of the last {@link Event#BODY}: a view of the input, valid until it is reused. */
  public ByteBuffer body() {
    return body;
  }

  /** Trailer fields of a chunked body (names at even indexes), after {@link Event#END}. */
  public List<String> trailers() {
    return head != null && head.chunked() ? List.copyOf(lines.fields()) : List.of();
  }

  /** Whether any byte of the next request has been consumed (a partial request is waiting). */
  public boolean started() {
    return started;
  }

  /** Whether the current request's body has been read to its end. */
  public boolean ended() {
    return state == State.END;
  }

  /** Makes the parser ready for the next request on the same connection, after {@link Event#END}. */
  public void reset() {
    if (state != State.END) {
      throw new IllegalStateException("RequestParser reset before the request ended: " + state);
    }
    state = State.REQUEST_LINE;
    started = false;
    emptyLines = 0;
    lines.clear();
    head = null;
    body = null;
  }

  private Event step(ByteBuffer in) {
    while (true) {
      switch (state) {
        case REQUEST_LINE -> {
          if (in.hasRemaining()) {
            started = true;
          }
          int length = lines.readStartLine(in, 414, "request line");
          if (length < 0) {
            return Event.NEED_MORE;
          }
          if (length == 0) {
            if (++emptyLines > MAX_EMPTY_LINES) {
              throw bad("more than " + MAX_EMPTY_LINES + " empty lines before the request line");
            }
          } else {
            requestLine(length);
            state = State.HEADERS;
          }
        }
        case HEADERS -> {
          if (!lines.readFields(in, "header section")) {
            return Event.NEED_MORE;
          }
          head = Framing.decide(method, target, version, lines.fields(), limits);
          lines.clear();
          remaining = head.contentLength();
          state = head.chunked() ? State.CHUNK_SIZE : head.hasBody() ? State.FIXED_BODY : State.END;
          return Event.HEAD;
        }
        case FIXED_BODY, CHUNK_DATA -> {
          if (!in.hasRemaining()) {
            return Event.NEED_MORE;
          }
          int n = (int) Math.min(remaining, in.remaining());
          body = in.slice(in.position(), n);
          in.position(in.position() + n);
          remaining -= n;
          if (remaining == 0) {
            state = state == State.FIXED_BODY ? State.END : State.CHUNK_END;
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
        case FAILED -> throw new IllegalStateException("RequestParser used after a failure");
      }
    }
  }

  private void requestLine(int length) {
    int sp1 = lines.indexOf(' ', 0, length);
    if (sp1 <= 0) {
      throw bad("request line has no method: " + lines.text(0, length));
    }
    int sp2 = lines.indexOf(' ', sp1 + 1, length);
    if (sp2 < 0 || sp2 == sp1 + 1) {
      throw bad("request line must be METHOD SP TARGET SP VERSION: " + lines.text(0, length));
    }
    for (int i = 0; i < sp1; i++) {
      if (!Syntax.isToken(line[i])) {
        throw bad("method is not a token: " + lines.text(0, sp1));
      }
    }
    for (int i = sp1 + 1; i < sp2; i++) {
      if (line[i] <= ' ' || line[i] == 0x7f) {
        throw bad("request target has a control, space or non-ASCII byte at " + (i - sp1 - 1));
      }
    }
    version = version(sp2 + 1, length);
    method = method(sp1);
    target = lastTarget = lines.reuse(lastTarget, sp1 + 1, sp2);
    if (!(target.startsWith("/") || (target.equals("*") && method.equals("OPTIONS")))) {
      target = absoluteFormPath(target);
    }
  }

  private HttpVersion version(int from, int to) {
    int n = to - from;
    if (n != 8 || line[from] != 'H' || line[from + 1] != 'T' || line[from + 2] != 'T' || line[from + 3] != 'P'
        || line[from + 4] != '/' || !Syntax.isDigit(line[from + 5])
        || line[from + 6] != '.' || !Syntax.isDigit(line[from + 7])) {
      throw bad("malformed HTTP version: " + lines.text(from, to));
    }
    int major = line[from + 5] - '0';
    int minor = line[from + 7] - '0';
    if (major == 1 && minor == 1) {
      return HttpVersion.HTTP_1_1;
    }
    if (major == 1 && minor == 0) {
      return HttpVersion.HTTP_1_0;
    }
    throw new HttpException(505, "HTTP version not supported: " + lines.text(from, to));
  }

  private String method(int length) {
    for (String known : METHODS) {
      if (known.length() == length && lines.startsWith(known)) {
        return known;
      }
    }
    throw new HttpException(501, "method not implemented: " + lines.text(0, length));
  }

  private static String absoluteFormPath(String target) {
    String lower = target.toLowerCase(java.util.Locale.ROOT);
    int scheme = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
    if (scheme < 0 || scheme == target.length()) {
      throw bad("request target must be an absolute path or URI: " + target);
    }
    int slash = target.indexOf('/', scheme);
    int query = target.indexOf('?', scheme);
    if (slash < 0 || (query >= 0 && query < slash)) {
      return query < 0 ? "/" : "/" + target.substring(query);
    }
    return target.substring(slash);
  }

  static HttpException bad(String message) {
    return new HttpException(400, message);
  }
}
