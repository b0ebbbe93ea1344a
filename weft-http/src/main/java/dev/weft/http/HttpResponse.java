package dev.weft.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The answer to a request, as a value: a status, header fields and a body, which the server frames
 * ({@code Content-Length} or chunked), dates and sends.
 *
 * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="httpResponse" :
 * HttpResponse hello = HttpResponse.text("hello\n");
 * HttpResponse created = HttpResponse.text(201, "made\n").withHeader("Location", "/files/a");
 * HttpResponse json = HttpResponse.bytes(200, "application/json", "{}".getBytes(UTF_8));
 * HttpResponse file = HttpResponse.file(200, "text/html", Path.of("index.html"), 0, size);
 * }
 *
 * <h2>What the server adds</h2>
 *
 * {@code Date}, {@code Content-Length} or {@code Transfer-Encoding: chunked}, and {@code
 * Connection} when it closes; fields of those names set by a handler are dropped, so a handler
 * cannot break the framing. To a {@code HEAD} request the server sends the same fields without
 * the body. A file body is sent with {@code FileChannel.transferTo}, without passing through the
 * Java heap.
 *
 * <p>Immutable and thread-safe (a streamed body runs its {@link BodyWriter} once per send).
 * Comparison: Twisted writes the response into the request ({@code request.write}); the JDK's
 * {@code HttpExchange.sendResponseHeaders(code, length)} makes the caller frame it.
 */
public final class HttpResponse {
  private static final String TEXT = "text/plain; charset=utf-8";

  private final int status;
  private final HttpHeaders headers;
  private final Body body;

  private HttpResponse(int status, HttpHeaders headers, Body body) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("response status must be 200..599: " + status);
    }
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /** A response with no body: {@code 204}, {@code 304}, a redirect with its {@code Location}... */
  public static HttpResponse empty(int status) {
    return new HttpResponse(status, HttpHeaders.empty(), Body.Empty.INSTANCE);
  }

  /** {@code 200 OK} with {@code text} as a UTF-8 {@code text/plain} body. */
  public static HttpResponse text(String text) {
    return text(200, text);
  }

  /** {@code status} with {@code text} as a UTF-8 {@code text/plain} body. */
  public static HttpResponse text(int status, String text) {
    return bytes(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code status} with {@code body} (not copied: do not change it afterwards). */
  public static HttpResponse bytes(int status, String contentType, byte[] body) {
    return new HttpResponse(status, HttpHeaders.of("Content-Type", contentType), new Body.Bytes(body));
  }

  /** {@code status} with a body of unknown length written by {@code writer}, sent chunked. */
  public static HttpResponse stream(int status, String contentType, BodyWriter writer) {
    return new HttpResponse(status, HttpHeaders.of("Content-Type", contentType), new Body.Streamed(-1, writer));
  }

  /**
   * {@code status} with a body of exactly {@code length} bytes written by {@code writer}; a writer
   * that writes more fails, one that writes less has its connection closed.
   */
  public static HttpResponse stream(int status, String contentType, long length, BodyWriter writer) {
    if (length < 0) {
      throw new IllegalArgumentException("body length must be >= 0: " + length);
    }
    return new HttpResponse(status, HttpHeaders.of("Content-Type", contentType), new Body.Streamed(length, writer));
  }

  /** {@code status} with {@code length} bytes of {@code file} from {@code offset} as its body. */
  public static HttpResponse file(int status, String contentType, Path file, long offset, long length) {
    Objects.requireNonNull(file, "file");
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("file region must have offset and length >= 0: " + offset + ", " + length);
    }
    return new HttpResponse(status, HttpHeaders.of("Content-Type", contentType), new Body.FileRegion(file, offset, length));
  }

  /** This response with one more header field. */
  public HttpResponse withHeader(String name, String value) {
    return new HttpResponse(status, headers.with(name, value), body);
  }

  /** This response with its {@code name} fields replaced by one with {@code value}. */
  public HttpResponse withHeaderReplaced(String name, String value) {
    return new HttpResponse(status, headers.without(name).with(name, value), body);
  }

  /** The status code. */
  public int status() {
    return status;
  }

  /** The header fields the handler set. */
  public HttpHeaders headers() {
    return headers;
  }

  /** The body length in bytes, or -1 when it is streamed without a declared length. */
  public long contentLength() {
    return body.length();
  }

  Body body() {
    return body;
  }

  @Override
  public String toString() {
    return "HttpResponse[" + status + ", " + contentLength() + " bytes]";
  }

  /** What a response carries. */
  sealed interface Body {
    long length();

    enum Empty implements Body {
      INSTANCE;

      @Override
      public long length() {
        return 0;
      }
    }

    record Bytes(byte[] bytes) implements Body {
      @Override
      public long length() {
        return bytes.length;
      }
    }

    record Streamed(long length, BodyWriter writer) implements Body {}

    record FileRegion(Path file, long offset, long length) implements Body {}
  }
}
