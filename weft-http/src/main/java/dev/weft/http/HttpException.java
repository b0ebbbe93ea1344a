package dev.weft.http;

import java.io.Serial;

/**
 * A failure that has an HTTP status: thrown by the request parser for a malformed or oversized
 * request (400, 413, 414, 431, 501, 505), and by handlers to answer with a status instead of 500.
 *
 * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="httpException" :
 * HttpHandler handler = request -> {
 *   String name = request.pathParameter("name");
 *   if (name.length() > 64) {
 *     throw new HttpException(400, "name must be at most 64 characters: " + name.length());
 *   }
 *   return HttpResponse.text("hello " + name);
 * };
 * }
 *
 * <p>The server answers with the status and the message as a {@code text/plain} body. A parse
 * failure also closes the connection, because after a framing error the next request cannot be
 * found reliably. Comparison: Twisted's {@code web.error.Error(code)}; unlike the JDK's {@code
 * HttpServer}, which has no such exception, the status travels with the failure.
 */
public final class HttpException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final int status;

  /** A failure answered with {@code status} (100 to 599) and {@code message}. */
  public HttpException(int status, String message) {
    super(message);
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status must be 100..599: " + status);
    }
    this.status = status;
  }

  /** The HTTP status the server answers with. */
  public int status() {
    return status;
  }
}
