package dev.weft.http.internal;

import dev.weft.http.HttpVersion;

/**
 * What {@link RequestParser} knows once a request's head is complete: the request line, the header
 * fields in arrival order (alternating names and values) and the framing it decided.
 *
 * @param method the method, one of {@link RequestParser#METHODS}
 * @param target the request target as sent (origin form, or {@code *})
 * @param version the protocol version
 * @param fields names at even indexes, values at odd ones, as sent (values trimmed)
 * @param contentLength the body length, 0 without a body, -1 for a chunked body
 * @param keepAlive whether the connection may carry another request after this one
 * @param expectContinue whether the client waits for {@code 100 Continue} before the body
 */
public record RequestHead(
    String method,
    String target,
    HttpVersion version,
    String[] fields,
    long contentLength,
    boolean keepAlive,
    boolean expectContinue) {

  /** Whether the body is chunked. */
  public boolean chunked() {
    return contentLength < 0;
  }

  /** Whether a body follows the head. */
  public boolean hasBody() {
    return contentLength != 0;
  }
}
