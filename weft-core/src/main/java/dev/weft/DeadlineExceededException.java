package dev.weft;

import java.io.Serial;

/**
 * Thrown when a {@link Deadline} passed before the work it bounds ended: by {@link
 * TaskGroup#close()} for a group opened with a deadline, and by the deadline variants of {@link
 * Tasks}, always after the tasks still running were cancelled and have ended.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="deadlineExceededException" :
 * try (var group = TaskGroup.open("lookups", Deadline.after(Duration.ofSeconds(2)))) {
 *   hosts.forEach(host -> group.spawn(() -> resolve(host)));
 * } catch (DeadlineExceededException e) {
 *   log("gave up: " + e.getMessage()); // every lookup has been cancelled and has ended
 * }
 * }
 *
 * <p>Comparison: asyncio's {@code TimeoutError} from {@code asyncio.timeout()} and trio's {@code
 * TooSlowError}; unlike the JDK's checked {@link java.util.concurrent.TimeoutException} (which
 * {@link Task#join(java.time.Duration)} keeps, as {@code Future.get} does), it is unchecked,
 * because a deadline is usually handled far above the code it bounds.
 */
public final class DeadlineExceededException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public DeadlineExceededException(String message) {
    super(message);
  }
}
