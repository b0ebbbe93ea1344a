package dev.weft;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A unit of work running on its own thread, usually a virtual one: weft's future, asyncio task
 * and greenlet in one. Tasks are made by a {@link TaskGroup} ({@code spawn}) or a {@link Pool}
 * ({@code submit}), never directly.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="task" :
 * try (var group = TaskGroup.open()) {
 *   Task<String> page = group.spawn("fetch", () -> fetch("https://example.org/"));
 *   page.onDone(t -> System.out.println(t.name() + " ended: " + t.state()));
 *   System.out.println(page.join().length());
 * }
 * }
 *
 * <h2>Comparison with {@link Future} and Python</h2>
 *
 * {@link #join()} is {@code Future.get()} without the {@code ExecutionException} wrapper: an
 * unchecked exception or error thrown by the task is rethrown as it is, a checked one is wrapped
 * once in {@link TaskFailedException}, and a cancelled task throws {@link CancellationException}
 * — like Python's {@code future.result()}. {@link #onDone} is {@code add_done_callback}; {@link
 * #cancel()} is {@code Task.cancel()}, and it really stops blocking work because it interrupts
 * the task's thread. {@link #state()} is {@link Future#state()}.
 *
 * <p>Memory consistency: actions in the task happen-before {@code join} returns or throws, and
 * before any {@code onDone} callback runs.
 *
 * @param <T> the type of the result
 */
public sealed interface Task<T> extends Future<T> permits TaskImpl {

  /** The task's name, also the name of the thread that runs it. */
  String name();

  /**
   * Waits for the task and returns its result.
   *
   * @throws CancellationException if the task was cancelled
   * @throws TaskFailedException wrapping a checked exception the task threw
   * @throws InterruptedException if the waiting thread is interrupted (the task goes on)
   */
  T join() throws InterruptedException;

  /**
   * Waits at most {@code timeout} (on the clock of the group or pool that made the task) and
   * returns the result, as {@link #join()} does.
   *
   * @throws TimeoutException if the task has not ended in time; the task goes on
   */
  T join(Duration timeout) throws InterruptedException, TimeoutException;

  /** Waits for the task to end, whatever the outcome, and returns it without throwing it. */
  Outcome<T> await() throws InterruptedException;

  /** The outcome of a task that has ended; throws {@link IllegalStateException} otherwise. */
  Outcome<T> outcome();

  /**
   * Cancels the task: if it has not started it never will; if it is running its thread is
   * interrupted. Returns false if the task had already ended.
   *
   * <p>The task counts as ended (cancelled) at once, as a {@link Future} does: {@link #join()}
   * and {@link #await()} return without waiting for the interrupted code to unwind. Its {@code
   * finally} blocks may still be running; the task's {@link TaskGroup} or {@link Pool} waits for
   * them in {@code close()}, which is where to wait for a cancelled task's clean-up.
   */
  boolean cancel();

  /**
   * Runs {@code callback} once when the task ends, on the thread that ends it; at once, on the
   * calling thread, if it has already ended. Callbacks run in the order added. An exception thrown
   * by a callback goes to that thread's uncaught exception handler and does not stop the others.
   */
  Task<T> onDone(Consumer<? super Task<T>> callback);

  /**
   * A {@link CompletableFuture} completed with this task's outcome, for interop with APIs that
   * take one. Cancelling the returned future cancels the task.
   */
  CompletableFuture<T> toCompletableFuture();
}
