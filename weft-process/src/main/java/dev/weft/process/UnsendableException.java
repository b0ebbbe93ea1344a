package dev.weft.process;

import java.io.Serial;

/**
 * The failure of a task that could not cross between processes: the task, its value or its
 * failure is not serializable, or holds a class that the receiving side's filter does not allow.
 * The message names the class, for example {@code task cannot be sent to a worker:
 * java.lang.Thread is not Serializable}. The task fails at once and the worker stays usable.
 *
 * {@snippet class="dev.weft.process.snippets.ProcessSnippets" region="unsendableException" :
 * try (Pool pool = ProcessPool.create(1)) {
 *   Thread caller = Thread.currentThread();
 *   try {
 *     pool.submit((SerializableCallable<String>) () -> caller.getName()).join();
 *   } catch (UnsendableException e) {
 *     System.err.println(e.getMessage()); // names java.lang.Thread, which cannot be serialized
 *   }
 * }
 * }
 *
 * <p>Comparison with Python: {@code multiprocessing} can hang when a result cannot be pickled;
 * here the error reaches the caller at once.
 */
public final class UnsendableException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public UnsendableException(String message) {
    super(message);
  }

  public UnsendableException(String message, Throwable cause) {
    super(message, cause);
  }
}
