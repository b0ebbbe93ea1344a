package dev.weft;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * Ways to wait for several {@link Task}s at once: all results ({@link #gather}), every outcome
 * ({@link #gatherSettled}), each task as it ends ({@link #asCompleted}), or the first success
 * ({@link #any}).
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="tasks" :
 * try (var group = TaskGroup.open("mirrors")) {
 *   List<Task<byte[]>> copies = mirrors.stream().map(m -> group.spawn(() -> fetch(m))).toList();
 *   byte[] fastest = Tasks.any(copies); // the first copy to arrive; the others are cancelled
 *
 *   List<Task<Integer>> sizes = pages.stream().map(p -> group.spawn(() -> size(p))).toList();
 *   for (Task<Integer> done : Tasks.asCompleted(sizes, Deadline.after(Duration.ofSeconds(10)))) {
 *     System.out.println(done.name() + ": " + done.outcome());
 *   }
 * }
 * }
 *
 * <h2>Policies</h2>
 *
 * <ul>
 *   <li><b>Fail fast.</b> {@link #gather} and {@link #any} react to tasks in the order they end,
 *       not in the order given: {@code gather} stops at the first failure or cancellation,
 *       cancels every other task, waits for them to end, and throws that failure (an unchecked
 *       exception as it is, a checked one wrapped once in {@link TaskFailedException}, a
 *       cancellation as {@link CancellationException}) with later failures suppressed.
 *   <li><b>Nothing left running.</b> When an operation cancels tasks (after a failure, a success
 *       in {@code any}, a deadline, or an interrupt of the waiting thread) it waits for them to
 *       end before it returns or throws. {@link #asCompleted} is the exception for interrupts:
 *       the caller may go on iterating, so its tasks are left alone.
 *   <li><b>Deadlines.</b> The variants taking a {@link Deadline} read time on the deadline's
 *       clock (a virtual one in tests). When it passes they cancel the tasks that have not ended
 *       and throw {@link DeadlineExceededException}; {@code gatherSettled} instead returns, with
 *       {@link Outcome.Cancelled} for those tasks.
 *   <li><b>Ownership.</b> These methods do not own the tasks; the group or pool that made them
 *       does, and still sees their outcomes (a task cancelled here counts as cancelled there).
 *       Mind the owner's policy: in one {@link TaskGroup} the first failure cancels every
 *       sibling, so {@code any} over tasks of one group cannot outlast a failure; give tasks
 *       that may fail harmlessly their own group or a {@code Pool}. When a group's failure
 *       cancels the other tasks {@code gather} waits on, {@code gather} throws the failure, not
 *       the cancellations it caused.
 * </ul>
 *
 * <h2>Comparison with Python and the JDK</h2>
 *
 * {@code gather} is {@code asyncio.gather} and gevent's {@code joinall(raise_error=True)}, but
 * it cancels the siblings of a failed task as {@code asyncio.TaskGroup} does (plain {@code
 * gather} leaves them running), and it is {@code ExecutorService.invokeAll} for tasks already
 * started, without {@code ExecutionException}. {@code gatherSettled} is {@code gather(...,
 * return_exceptions=True)} and Twisted's {@code DeferredList}, with a sealed {@link Outcome} per
 * task instead of a tuple. {@code asCompleted} is {@code concurrent.futures.as_completed} and the
 * JDK's {@code ExecutorCompletionService}, fed by {@link Task#onDone} callbacks rather than a
 * queue the executor must know about. {@code any} is {@code invokeAny} (and {@code
 * asyncio.wait(FIRST_COMPLETED)} followed by cancelling the rest), but it waits for the losers
 * to end and reports every failure when none succeeds.
 *
 * <h2>Thread contract</h2>
 *
 * The methods may be called from any thread, and block that thread only; the tasks run on their
 * own threads. Actions of a task happen-before the method that reports its result returns.
 */
public final class Tasks {
  private Tasks() {}

  /**
   * Waits for every task and returns their results in the order given, failing fast.
   *
   * @throws CancellationException if a task was cancelled (by someone else)
   * @throws InterruptedException if the calling thread was interrupted; the tasks were cancelled
   *     and have ended
   */
  public static <T> List<T> gather(Collection<? extends Task<T>> tasks)
      throws InterruptedException {
    return gatherBy(tasks, null);
  }

  /**
   * {@link #gather(Collection)} by {@code deadline}: if it passes first, the tasks not yet ended
   * are cancelled and, once they have ended, {@link DeadlineExceededException} is thrown.
   */
  public static <T> List<T> gather(Collection<? extends Task<T>> tasks, Deadline deadline)
      throws InterruptedException {
    return gatherBy(tasks, Objects.requireNonNull(deadline, "deadline"));
  }

  private static <T> List<T> gatherBy(Collection<? extends Task<T>> tasks, Deadline deadline)
      throws InterruptedException {
    List<Task<T>> list = List.copyOf(tasks);
    var queue = new TasksCompletionQueue<>(list);
    try {
      while (queue.remaining() > 0) {
        Task<T> next = queue.take(deadline);
        if (next == null) {
          throw deadlineExceeded("gather", list);
        }
        if (next.state() != Task.State.SUCCESS) {
          settle(list);
          throw failure(next, queue, list);
        }
      }
    } catch (InterruptedException e) {
      settleAfterInterrupt(list);
      throw e;
    }
    return list.stream().map(Task::resultNow).toList();
  }

  /**
   * Waits for every task and returns how each ended, in the order given. Never throws a task's
   * failure.
   *
   * @throws InterruptedException if the calling thread was interrupted; the tasks were cancelled
   *     and have ended
   */
  public static <T> List<Outcome<T>> gatherSettled(Collection<? extends Task<T>> tasks)
      throws InterruptedException {
    return gatherSettledBy(tasks, null);
  }

  /**
   * {@link #gatherSettled(Collection)} by {@code deadline}: if it passes first, the tasks not yet
   * ended are cancelled, and their outcomes are {@link Outcome.Cancelled}.
   */
  public static <T> List<Outcome<T>> gatherSettled(
      Collection<? extends Task<T>> tasks, Deadline deadline) throws InterruptedException {
    return gatherSettledBy(tasks, Objects.requireNonNull(deadline, "deadline"));
  }

  private static <T> List<Outcome<T>> gatherSettledBy(
      Collection<? extends Task<T>> tasks, Deadline deadline) throws InterruptedException {
    List<Task<T>> list = List.copyOf(tasks);
    var queue = new TasksCompletionQueue<>(list);
    try {
      while (queue.remaining() > 0) {
        if (queue.take(deadline) == null) {
          settle(list);
          break;
        }
      }
    } catch (InterruptedException e) {
      settleAfterInterrupt(list);
      throw e;
    }
    return list.stream().map(Task::outcome).toList();
  }

  /**
   * The tasks in the order they end, as they end: iterating blocks until the next one has ended.
   * The tasks are watched from this call on; nothing is cancelled if the caller stops early.
   */
  public static <T> Completions<T> asCompleted(Collection<? extends Task<T>> tasks) {
    return new Completions<>(List.copyOf(tasks), null);
  }

  /**
   * {@link #asCompleted(Collection)} by {@code deadline}: a wait for the next task that outlasts
   * it cancels the tasks not yet ended and, once they have, throws {@link
   * DeadlineExceededException}.
   */
  public static <T> Completions<T> asCompleted(
      Collection<? extends Task<T>> tasks, Deadline deadline) {
    return new Completions<>(List.copyOf(tasks), Objects.requireNonNull(deadline, "deadline"));
  }

  /**
   * The result of the first task to succeed; the others are cancelled and have ended when it
   * returns.
   *
   * @throws AllFailedException if every task failed or was cancelled, with each failure
   *     suppressed
   * @throws IllegalArgumentException if {@code tasks} is empty
   * @throws InterruptedException if the calling thread was interrupted; the tasks were cancelled
   *     and have ended
   */
  public static <T> T any(Collection<? extends Task<T>> tasks) throws InterruptedException {
    return anyBy(tasks, null);
  }

  /**
   * {@link #any(Collection)} by {@code deadline}: if no task has succeeded when it passes, all are
   * cancelled and, once they have ended, {@link DeadlineExceededException} is thrown.
   */
  public static <T> T any(Collection<? extends Task<T>> tasks, Deadline deadline)
      throws InterruptedException {
    return anyBy(tasks, Objects.requireNonNull(deadline, "deadline"));
  }

  private static <T> T anyBy(Collection<? extends Task<T>> tasks, Deadline deadline)
      throws InterruptedException {
    List<Task<T>> list = List.copyOf(tasks);
    if (list.isEmpty()) {
      throw new IllegalArgumentException("any needs at least one task: " + list);
    }
    var queue = new TasksCompletionQueue<>(list);
    try {
      while (queue.remaining() > 0) {
        Task<T> next = queue.take(deadline);
        if (next == null) {
          throw deadlineExceeded("any", list);
        }
        if (next.state() == Task.State.SUCCESS) {
          settle(list);
          return next.resultNow();
        }
      }
    } catch (InterruptedException e) {
      settleAfterInterrupt(list);
      throw e;
    }
    throw allFailed(list);
  }

  /** Cancels the tasks not yet ended and waits for them; keeps an interrupt for the caller. */
  private static void settle(List<? extends Task<?>> tasks) {
    if (settleAfterInterrupt(tasks)) {
      Thread.currentThread().interrupt();
    }
  }

  /** Cancels and waits as {@link #settle} does; returns whether an interrupt came meanwhile. */
  private static boolean settleAfterInterrupt(List<? extends Task<?>> tasks) {
    for (Task<?> task : tasks) {
      task.cancel();
    }
    boolean interrupted = false;
    for (Task<?> task : tasks) {
      while (true) {
        try {
          task.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    return interrupted;
  }

  private static DeadlineExceededException deadlineExceeded(
      String operation, List<? extends Task<?>> tasks) {
    long unfinished = tasks.stream().filter(task -> !task.isDone()).count();
    settle(tasks);
    return new DeadlineExceededException(
        operation
            + " deadline exceeded: "
            + unfinished
            + " of "
            + tasks.size()
            + " tasks unfinished");
  }

  /**
   * What gather throws once {@code first} ended without success and every task has ended: the
   * first failure in the order the tasks ended (a failure in a {@link TaskGroup} cancels its
   * siblings before its own task is seen to end, and the cause matters more than the echo), else
   * the cancellation of {@code first}; other failures suppressed.
   */
  private static <T> RuntimeException failure(
      Task<T> first, TasksCompletionQueue<T> queue, List<? extends Task<?>> tasks) {
    Task<?> cause = first;
    for (Task<T> next = first; next != null; next = queue.poll()) {
      if (next.state() == Task.State.FAILED) {
        cause = next;
        break;
      }
    }
    for (int i = 0; i < tasks.size() && cause.state() != Task.State.FAILED; i++) {
      cause = tasks.get(i); // ended, but its callback has not queued it yet
    }
    if (cause.state() != Task.State.FAILED) {
      cause = first;
    }
    Throwable primary =
        cause.state() == Task.State.FAILED
            ? asThrown(cause)
            : new CancellationException("task " + first.name() + " was cancelled");
    for (Task<?> task : tasks) {
      if (task != cause && task.state() == Task.State.FAILED && task.exceptionNow() != primary) {
        primary.addSuppressed(task.exceptionNow());
      }
    }
    return switch (primary) {
      case RuntimeException unchecked -> unchecked;
      case Error fatal -> throw fatal;
      default -> throw new AssertionError("neither unchecked nor an error", primary);
    };
  }

  /** A failed task's exception as join() throws it: unchecked as is, checked wrapped once. */
  static Throwable asThrown(Task<?> failed) {
    ((TaskImpl<?>) failed).markFailureThrown();
    Throwable error = failed.exceptionNow();
    return error instanceof RuntimeException || error instanceof Error
        ? error
        : new TaskFailedException(failed.name(), error);
  }

  private static AllFailedException allFailed(List<? extends Task<?>> tasks) {
    List<Throwable> errors = new ArrayList<>();
    for (Task<?> task : tasks) {
      if (task.state() == Task.State.FAILED) {
        errors.add(task.exceptionNow());
      }
    }
    var exception =
        new AllFailedException(
            "none of "
                + tasks.size()
                + " tasks succeeded: "
                + errors.size()
                + " failed, "
                + (tasks.size() - errors.size())
                + " cancelled");
    errors.forEach(exception::addSuppressed);
    return exception;
  }

  /**
   * Tasks in the order they end, returned by {@link Tasks#asCompleted}: iterate it, or {@link
   * #take()} and {@link #poll()} one at a time.
   *
   * {@snippet :
   * var completions = Tasks.asCompleted(tasks);
   * while (completions.remaining() > 0) {
   *   Task<String> done = completions.take();
   *   System.out.println(done.name() + " ended first among the rest: " + done.outcome());
   * }
   * }
   *
   * <p>Iterating blocks in {@link Iterator#next()}, which cannot throw {@link
   * InterruptedException}: if the thread is interrupted there, it throws {@link
   * CancellationException} with the interrupt as its cause and the thread's interrupt status set
   * again. Use {@link #take()} where the interrupt must be handled as such.
   *
   * <p>Comparison: {@code concurrent.futures.as_completed} and {@code asyncio.as_completed};
   * {@code ExecutorCompletionService.take()} and {@code poll()}.
   *
   * <p>Thread contract: the tasks' ends are recorded from any thread; {@link #take()}, {@link
   * #poll()} and the iterator are meant for one consumer thread at a time.
   *
   * @param <T> the type of the tasks' results
   */
  public static final class Completions<T> implements Iterable<Task<T>> {
    private final List<Task<T>> tasks;
    private final Deadline deadline;
    private final TasksCompletionQueue<T> queue;

    Completions(List<Task<T>> tasks, Deadline deadline) {
      this.tasks = tasks;
      this.deadline = deadline;
      this.queue = new TasksCompletionQueue<>(tasks);
    }

    /**
     * Waits for the next task to end and returns it. Once the deadline has thrown, the tasks it
     * cancelled (all ended by then) can still be taken.
     *
     * @throws NoSuchElementException if every task has been taken
     * @throws DeadlineExceededException if the deadline passed first; the tasks not yet ended
     *     were cancelled and have ended
     */
    public Task<T> take() throws InterruptedException {
      Task<T> next = queue.take(deadline); // throws NoSuchElementException once all were taken
      if (next == null) {
        throw deadlineExceeded("asCompleted", tasks);
      }
      return next;
    }

    /** The next task to have ended, if one has ended and not been taken; never blocks. */
    public Optional<Task<T>> poll() {
      return Optional.ofNullable(queue.poll());
    }

    /** How many tasks have not been taken yet. */
    public int remaining() {
      return queue.remaining();
    }

    /** An iterator whose {@code next()} is {@link #take()}. */
    @Override
    public Iterator<Task<T>> iterator() {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return remaining() > 0;
        }

        @Override
        public Task<T> next() {
          try {
            return take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            var cancelled =
                new CancellationException(
                    "interrupted while waiting for the next task: " + remaining() + " remaining");
            cancelled.initCause(e);
            throw cancelled;
          }
        }
      };
    }
  }

  /**
   * Thrown by {@link Tasks#any} when no task succeeded. Each task's failure is attached as
   * {@linkplain Throwable#getSuppressed() suppressed}; the message counts the failed and the
   * cancelled tasks. Python has no direct peer ({@code asyncio.wait} leaves the checking to the
   * caller); the JDK's {@code invokeAny} throws {@code ExecutionException} with one cause.
   */
  public static final class AllFailedException extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    AllFailedException(String message) {
      super(message);
    }
  }
}
