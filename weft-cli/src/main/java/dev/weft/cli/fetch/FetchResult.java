package dev.weft.cli.fetch;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * How one URL ended.
 *
 * @param uri the URL
 * @param file the file name under the output directory
 * @param result the kind of ending
 * @param status the last HTTP status, 0 when none came
 * @param bytes the bytes saved (or found complete, when skipped)
 * @param time from the first attempt to the end
 * @param attempts the requests sent
 * @param cause the failure's group in the summary ({@code HTTP 500}, {@code timeout}...), empty
 *     unless failed
 * @param error the failure's message, empty unless failed or not found
 */
record FetchResult(
    URI uri, String file, Result result, int status, long bytes, Duration time, int attempts, String cause, String error) {

  /** The kinds of ending. */
  enum Result {
    /** Saved under its final name. */
    OK,
    /** Already complete under its final name ({@code --resume}); not requested. */
    SKIPPED,
    /** 404 Not Found. */
    NOT_FOUND,
    /** Any other failure, grouped by {@link #cause()}. */
    FAILED,
    /** Stopped or never started because the run was interrupted. */
    CANCELLED;

    /** The word in reports: {@code ok}, {@code not_found}... */
    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Whether this URL counts as a success for the exit status. */
  boolean succeeded() {
    return result == Result.OK || result == Result.SKIPPED;
  }

  static FetchResult cancelled(URI uri, String file, int attempts) {
    return new FetchResult(uri, file, Result.CANCELLED, 0, 0, Duration.ZERO, attempts, "", "interrupted");
  }
}
