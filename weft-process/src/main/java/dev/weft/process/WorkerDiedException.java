package dev.weft.process;

import java.io.Serial;

/**
 * The failure of a task whose worker process ended while running it: it exited, was killed by a
 * signal, or ran out of memory. The message says which, for example {@code worker 3 died with
 * signal 9 (SIGKILL)}. Only that task fails; the pool starts another worker and goes on.
 *
 * {@snippet class="dev.weft.process.snippets.ProcessSnippets" region="workerDiedException" :
 * try (Pool pool = ProcessPool.create(2)) {
 *   Task<Integer> crash = pool.submit((SerializableCallable<Integer>) () -> {
 *     Runtime.getRuntime().halt(3); // as a native crash or the kernel's OOM killer would
 *     return 0;
 *   });
 *   try {
 *     crash.join();
 *   } catch (WorkerDiedException e) {
 *     System.err.println(e.getMessage()); // worker 1 exited with status 3
 *   }
 *   Task<Long> next = pool.submit((SerializableCallable<Long>) () -> 42L); // a fresh worker
 *   System.out.println(next.join());
 * }
 * }
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
