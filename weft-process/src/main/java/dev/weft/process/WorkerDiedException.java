package dev.weft.process;

import java.io.Serial;

/**
 * The failure of a task whose worker process ended while running it: it exited, was killed by a
 * signal, or ran out of memory. The message says which, for example {@code worker 3 died with
 * signal 9 (SIGKILL)}. Only that task fails; the pool starts another worker and goes on.
 *
 * <p>Comparison with Python: {@code concurrent.futures} raises {@code BrokenProcessPool} and the
 * whole pool is unusable from then on; here the death is the task's failure alone.
 */
public final class WorkerDiedException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** The worker's number within its pool, as in the message. */
  private final int workerId;

  public WorkerDiedException(String message, int workerId) {
    super(message);
    this.workerId = workerId;
  }

  /** The number of the worker that died, counted from 1 in the order the pool started them. */
  public int workerId() {
    return workerId;
  }
}
