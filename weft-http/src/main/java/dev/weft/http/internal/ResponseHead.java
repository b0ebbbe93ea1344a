package dev.weft.http.internal;

import dev.weft.http.HttpVersion;

/**
 * What {@link ResponseParser} knows once a response's head is complete: the status line, the header
 * fields in arrival order (alternating names and values) and the framing it decided.
 *
 * @param version the protocol version of the status line
 * @param status the status code, 100 to 599
 * @param reason the reason phrase, possibly empty
 * @param fields names at even indexes, values at odd ones, as sent (values trimmed)
 * @param contentLength the body length; 0 without a body, {@link #CHUNKED} or {@link #UNTIL_CLOSE}
 * @param keepAlive whether the connection may carry another request after this response
 */
public record ResponseHead(
    HttpVersion version, int status, String reason, String[] fields, long contentLength, boolean keepAlive) {
  /** {@link #contentLength} of a chunked body. */
  public static final long CHUNKED = -1;
  /** {@link #contentLength} of a body that ends when the server closes the connection. */
  public static final long UNTIL_CLOSE = -2;

  /** The value of the first field named {@code name}, or null. */
  public String field(String name) {
    for (int i = 0; i < fields.length; i += 2) {
      if (fields[i].equalsIgnoreCase(name)) {
        return fields[i + 1];
      }
    }
    return null;
  }
}
