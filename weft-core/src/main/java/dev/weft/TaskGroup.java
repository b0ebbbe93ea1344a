package dev.weft;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A scope that owns the tasks spawned in it, weft's nursery: {@link #close()} does not return
 * before every child has ended, the first failure cancels the siblings and is rethrown to the
 * owner, and a {@link Deadline} cancels whatever is still running when it passes.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="taskGroup" :
 * try (var group = TaskGroup.open("downloads", Deadline.after(Duration.ofSeconds(30)))) {
 *   for (URI uri : uris) {
 *     group.spawn(() -> download(uri)); // each on its own virtual thread, "downloads-1", ...
 *   }
 * } // waits for all; rethrows the first failure; DeadlineExceededException after 30 seconds
 * }
 *
 * <h2>Policies</h2>
 *
 * <ul>
 *   <li><b>Failure.</b> The first task to fail cancels every other task of the group (and of the
 *       groups nested in it). {@code close()} rethrows that failure: an unchecked exception or an
 *       error as it is, a checked exception wrapped once in {@link TaskFailedException}. Failures
 *       of other tasks are attached to it as {@linkplain Throwable#getSuppressed() suppressed}.
 *       Tasks that were cancelled because of the failure are not failures. No failure is only
 *       logged. One exception to "as it is": if the failure has already been thrown to someone
 *       by {@link Task#join()} or {@link Tasks} (so it may be the very exception propagating out
 *       of the {@code try} block), {@code close()} wraps it in {@link TaskFailedException},
 *       because try-with-resources cannot add an exception to itself as suppressed.
 *   <li><b>Deadline.</b> If the deadline passes before {@code close()} has seen every task end,
 *       the tasks still running are cancelled, tasks spawned later are cancelled at once, and
 *       {@code close()} throws {@link DeadlineExceededException} naming the group and the
 *       deadline. The deadline is read on its own {@link Deadline#clock() clock}.
 *   <li><b>Cancellation.</b> {@link #cancel()} cancels every task and nested group; it is not a
 *       failure, so {@code close()} then returns normally (trio's {@code
 *       nursery.cancel_scope.cancel()}). Cancelling a task interrupts its thread, which stops
 *       blocking I/O and waits.
 *   <li><b>Nesting.</b> A group opened inside a task of another group, or inside the body of
 *       another group on the same thread, is that group's child: it inherits the tighter of the
 *       two deadlines (when both are on the same clock) and is cancelled when its parent is.
 *   <li><b>Interruption.</b> If the thread in {@code close()} is interrupted, the group cancels
 *       its tasks, still waits for them to end (a task never outlives its group), and then
 *       throws {@link InterruptedException}, with any failures attached as suppressed.
 * </ul>
 *
 * <h2>Comparison with Python and the JDK</h2>
 *
 * This is trio's nursery and Python 3.11's {@code asyncio.TaskGroup}, with one difference from
 * the latter: the first failure is rethrown with the others suppressed rather than wrapped in an
 * {@code ExceptionGroup}, so a {@code catch} clause sees the real exception. Unlike gevent's
 * {@code joinall} or {@code concurrent.futures.wait}, a forgotten task cannot keep running after
 * the block. It takes the semantics of the JDK's {@code StructuredTaskScope} (a preview in Java
 * 25, whose types weft therefore does not use) with the "shut down on failure" policy built in,
 * but any thread in the tree may spawn, there is no separate {@code join()} step, and deadlines
 * come from a {@link Clock} so tests can drive them. Compared with {@code
 * Executors.newVirtualThreadPerTaskExecutor()} inside try-with-resources, failures are not
 * silently kept inside futures nobody reads, and the first one stops the rest.
 *
 * <p>Because {@code close()} throws {@link InterruptedException}, javac's {@code -Xlint:try}
 * warns at each try-with-resources over a group; code built with {@code -Werror} adds {@code
 * @SuppressWarnings("try")}. Waiting for children is a blocking call, and weft's rule is that
 * blocking calls say so.
 *
 * <h2>Thread contract</h2>
 *
 * Every method may be called from any thread. {@link #spawn} may be called by the owner and by
 * the group's own tasks, also while {@code close()} waits; after {@code close()} has returned it
 * throws {@link IllegalStateException}. {@code close()} must not be called from one of the
 * group's own tasks (it would wait for itself); calling it again after it returned does nothing.
 * Actions of a task happen-before {@code close()} returns or throws.
 */
// close() waits for the children, so it must be interruptible: that is the point
@SuppressWarnings("try")
public sealed interface TaskGroup extends AutoCloseable permits TaskGroupImpl {

  /** Opens a group named {@code group-N}, with no deadline of its own. */
  static TaskGroup open() {
    return TaskGroupImpl.open(null, null);
  }

  /** Opens a group named {@code name}, with no deadline of its own. */
  static TaskGroup open(String name) {
    return TaskGroupImpl.open(requireName(name), null);
  }

  /** Opens a group named {@code group-N} whose tasks are cancelled when {@code deadline} passes. */
  static TaskGroup open(Deadline deadline) {
    return TaskGroupImpl.open(null, requireDeadline(deadline));
  }

  /** Opens a group named {@code name} whose tasks are cancelled when {@code deadline} passes. */
  static TaskGroup open(String name, Deadline deadline) {
    return TaskGroupImpl.open(requireName(name), requireDeadline(deadline));
  }

  /**
   * The innermost group the calling thread is in: the group opened last (and not yet closed) on
   * this thread, else the group whose task this thread runs, else empty.
   */
  static Optional<TaskGroup> current() {
    return Optional.ofNullable(TaskGroupImpl.current());
  }

  /** The group's name, which also prefixes the names of its tasks. */
  String name();

  /** The deadline this group obeys: its own or its parent's, whichever is earlier. */
  Optional<Deadline> deadline();

  /** The group this one is nested in, if any. */
  Optional<TaskGroup> parent();

  /**
   * Starts {@code work} on a new virtual thread named after the group ({@code downloads-3}) and
   * returns its task. If the group has been cancelled, the task is returned already cancelled.
   *
   * @throws IllegalStateException if the group is closed
   */
  <T> Task<T> spawn(Callable<T> work);

  /**
   * Starts {@code work} as {@link #spawn(Callable)} does, in a task and thread named {@code name}.
   */
  <T> Task<T> spawn(String name, Callable<T> work);

  /**
   * Starts {@code work}, which returns nothing, as {@link #spawn(Callable)} does. A lambda that
   * returns a value picks the {@code Callable} overload; a method reference to an overloaded
   * method may need a cast, as with {@code ExecutorService.submit}.
   */
  Task<Void> spawn(Job work);

  /** Starts {@code work}, which returns nothing, in a task and thread named {@code name}. */
  Task<Void> spawn(String name, Job work);

  /**
   * Cancels every task of this group and of the groups nested in it, and every task spawned
   * later. Not a failure: {@link #close()} returns normally unless a task failed. Does not wait.
   */
  void cancel();

  /** Whether the group was cancelled: by {@link #cancel()}, a failure, a deadline or its parent. */
  boolean isCancelled();

  /** A snapshot of the tasks that have not ended yet, in no particular order. */
  List<Task<?>> tasks();

  /** A snapshot of the groups nested in this one that are still open. */
  List<TaskGroup> children();

  /** Counts of this group's tasks, read without stopping them (so only roughly consistent). */
  Stats stats();

  /**
   * Waits until every task of the group has ended, then reports the outcome: the first failure
   * (others suppressed), or {@link DeadlineExceededException}, or nothing. See the class
   * documentation for the rules.
   *
   * @throws InterruptedException if the calling thread was interrupted; the tasks were cancelled
   *     and have ended
   */
  @Override
  void close() throws InterruptedException;

  /**
   * Work that returns no value and may throw: the {@code Runnable} of {@link
   * TaskGroup#spawn(Job)}.
   */
  @FunctionalInterface
  interface Job {
    /** Does the work. */
    void run() throws Exception;
  }

  /**
   * Counts of a group's tasks.
   *
   * @param running tasks that have not ended
   * @param succeeded tasks that returned a value
   * @param failed tasks that threw
   * @param cancelled tasks that were cancelled
   */
  record Stats(long running, long succeeded, long failed, long cancelled) {

    /** Every task spawned so far. */
    public long spawned() {
      return running + succeeded + failed + cancelled;
    }
  }

  private static String requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("group name must not be blank: " + name);
    }
    return name;
  }

  private static Deadline requireDeadline(Deadline deadline) {
    if (deadline == null) {
      throw new NullPointerException("deadline");
    }
    return deadline;
  }
}
