package dev.weft;

import java.io.Serial;

/**
 * Thrown by a closed {@link JoinableQueue}: to a producer that puts after {@link
 * JoinableQueue#close()}, and to a consumer that takes once the queue is closed and every item
 * left in it has been taken — the queue's end-of-stream signal.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="queueClosedException" :
 * try {
 *   while (true) {
 *     handle(queue.take());
 *     queue.taskDone();
 *   }
 * } catch (QueueClosedException end) {
 *   // closed and drained: this consumer is done
 * }
 * }
 *
 * <p>Comparison with Python: {@code queue.ShutDown} (Python 3.13), raised by {@code put} after
 * {@code shutdown()} and by {@code get} once a shut-down queue is empty. It extends {@link
 * IllegalStateException} because a put after close is a state error in Java's terms.
 */
public final class QueueClosedException extends IllegalStateException {
  @Serial private static final long serialVersionUID = 1L;

  /** An exception with {@code message}, which names the queue. */
  public QueueClosedException(String message) {
    super(message);
  }
}
