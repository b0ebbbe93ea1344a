package dev.weft.cli.fetch;

import java.io.IOException;
import java.io.Serial;

/** A response body longer than {@code --max-size}: the transfer was aborted. */
final class FetchTooLargeException extends IOException {
  @Serial private static final long serialVersionUID = 1L;

  FetchTooLargeException(long maxBytes, long seen) {
    super("body larger than --max-size " + maxBytes + " bytes: " + (seen < 0 ? "more" : seen));
  }
}
