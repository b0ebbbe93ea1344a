package dev.weft;

import java.io.Serial;

/**
 * Thrown by {@link Task#join()} (and by the operations built on it) when a task failed with a
 * checked exception, which is this exception's cause. Unchecked exceptions and errors are
 * rethrown as they are, never wrapped.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="taskFailedException" :
 * Task<byte[]> read = group.spawn(() -> Files.readAllBytes(path)); // may throw IOException
 * try {
 *   byte[] bytes = read.join();
 * } catch (TaskFailedException e) {
 *   if (e.getCause() instanceof NoSuchFileException missing) {
 *     System.err.println("no such file: " + missing.getFile());
 *   }
 * }
 * }
 *
 * <p>Comparison: the JDK's {@link java.util.concurrent.ExecutionException} wraps every failure,
 * checked or not, and is checked itself; Python re-raises the task's own exception from {@code
 * result()}. weft does what Python does wherever Java allows it, and wraps only what Java would
 * otherwise force every caller to declare.
 */
public final class TaskFailedException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public TaskFailedException(String taskName, Throwable cause) {
    super("task " + taskName + " failed: " + cause, cause);
  }
}
