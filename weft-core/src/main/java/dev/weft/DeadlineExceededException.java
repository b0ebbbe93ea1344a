package dev.weft;

import java.io.Serial;

/**
 * Thrown when a {@link Deadline} passed before the work it bounds ended: by {@link
 * TaskGroup#close()} for a group opened with a deadline, after the tasks still running were
 * cancelled.
 */
public final class DeadlineExceededException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public DeadlineExceededException(String message) {
    super(message);
  }
}
