package dev.weft.http.client;

import java.io.IOException;

/**
 * A response body longer than the request's {@link FetchRequest#maxBytes() maxBytes}. It is thrown
 * as soon as the length is known to pass the limit: at the head for a {@code Content-Length}, or
 * before the first byte beyond the limit reaches the sink.
 *
 * {@snippet class="dev.weft.http.client.snippets.ClientSnippets" region="bodyTooLargeException" :
 * try {
 *   fetcher.fetch(FetchRequest.get(uri).withMaxBytes(10 << 20), sink, bytes -> {});
 * } catch (BodyTooLargeException e) {
 *   System.err.println(uri + ": " + e.getMessage()); // nothing past 10 MiB reached the sink
 * }
 * }
 */
public final class BodyTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long limit;

  BodyTooLargeException(String message, long limit) {
    super(message);
    this.limit = limit;
  }

  /** The limit that was passed, in bytes. */
  public long limit() {
    return limit;
  }
}
