package dev.weft;

import java.io.Serial;

/**
 * Thrown by {@link Task#join()} (and by the operations built on it) when a task failed with a
 * checked exception, which is this exception's cause. Unchecked exceptions and errors are
 * rethrown as they are, never wrapped.
 */
public final class TaskFailedException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public TaskFailedException(String taskName, Throwable cause) {
    super("task " + taskName + " failed: " + cause, cause);
  }
}
