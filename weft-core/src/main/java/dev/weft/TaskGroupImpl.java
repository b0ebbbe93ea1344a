package dev.weft;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The one implementation of {@link TaskGroup}.
 *
 * <p>How it waits: a task's thread leaves {@code members} when {@link TaskImpl#run()} returns, so
 * after a cancelled task has really unwound, not when it was marked cancelled. {@code close()}
 * gives up the owner's hold and parks until {@link TaskGroupMembers#tryClose()} finds nothing
 * pending and closes the group for good; the thread whose leaving brings the count to zero
 * unparks {@code closer}. A spawn the closed group refuses throws, so no task starts after close
 * has seen the group empty, while tasks may spawn siblings as long as close waits.
 *
 * <p>Thread contract (every method may be called from any thread):
 *
 * <ul>
 *   <li>{@code members}: the tasks whose threads have not finished, for {@link #cancel()} and
 *       {@link #tasks()}, and the count close waits on; see {@link TaskGroupMembers}.
 *   <li>{@code children}: open nested groups; added to when a child opens, removed when it
 *       closes.
 *   <li>{@code reason}: why the group was cancelled, set once by compare-and-set (the first cause
 *       wins); {@link Reason#CLOSED} once close has seen every task end, so that a late deadline
 *       alarm changes nothing. A spawner writes its task's slot and then reads {@code reason}; a
 *       canceller sets {@code reason} and then reads the slots; all are volatile accesses, so one
 *       of them sees the other.
 *   <li>{@code failures}: failed tasks in the order they ended, appended by {@link #ended} before
 *       the task's thread leaves; read by close after it has seen the last one leave.
 *   <li>{@code alarm}: set by {@link #open} before the group is returned, read by close.
 *   <li>{@code closer}: the thread in close, written before it gives up the owner's hold, read by
 *       the threads that leave.
 * </ul>
 *
 * The only lock is the one {@link TaskGroupMembers} takes once per few hundred tasks, never held
 * across a call out, so none is held across a callback or a task.
 */
// close() waits for the children, so it must be interruptible: that is the point
@SuppressWarnings("try")
final class TaskGroupImpl implements TaskGroup {
  private static final ScopedValue<TaskGroupImpl> TASK_OF = ScopedValue.newInstance();
  private static final ThreadLocal<TaskGroupImpl> OPENED_HERE = new ThreadLocal<>();
  private static final AtomicLong GROUPS = new AtomicLong();
  private static final VarHandle REASON;

  static {
    try {
      REASON = MethodHandles.lookup().findVarHandle(TaskGroupImpl.class, "reason", Reason.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Why a group stopped accepting work as usual. */
  private enum Reason {
    FAILURE,
    DEADLINE,
    CANCELLED,
    CLOSED
  }

  private final String name;
  private final TaskGroupImpl parent;
  private final Deadline deadline;
  private final Clock clock;
  private final long openedAt;
  private final TaskGroupImpl openedBefore;
  private final ScopedValue.Carrier binding;
  private final Consumer<TaskImpl<?>> endedHook = this::ended;
  private final CountDownLatch allEnded = new CountDownLatch(1);
  private final TaskGroupMembers members = new TaskGroupMembers();
  private final Set<TaskGroupImpl> children = ConcurrentHashMap.newKeySet();
  private final Queue<TaskImpl<?>> failures = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile Reason reason;
  private volatile Thread closer;
  private volatile boolean closed;
  private volatile Clock.Alarm alarm;

  private TaskGroupImpl(
      String name, TaskGroupImpl parent, Deadline deadline, TaskGroupImpl before) {
    this.name = name;
    this.parent = parent;
    this.deadline = deadline;
    this.clock =
        deadline != null ? deadline.clock() : parent != null ? parent.clock : Clock.system();
    this.openedAt = clock.nanoTime();
    this.openedBefore = before;
    this.binding = ScopedValue.where(TASK_OF, this);
  }

  /** Opens a group: registers it with the current group, arms its deadline. */
  static TaskGroupImpl open(String name, Deadline own) {
    TaskGroupImpl parent = current();
    String groupName = name != null ? name : "group-" + GROUPS.incrementAndGet();
    var group =
        new TaskGroupImpl(groupName, parent, tighter(own, parent), OPENED_HERE.get());
    OPENED_HERE.set(group);
    if (parent != null) {
      parent.adopt(group);
    }
    if (group.deadline != null) {
      group.alarm =
          group.clock.schedule(group.deadline.remaining(), () -> group.cancelAll(Reason.DEADLINE));
    }
    return group;
  }

  private static Deadline tighter(Deadline own, TaskGroupImpl parent) {
    Deadline inherited = parent != null ? parent.deadline : null;
    if (inherited == null) {
      return own;
    }
    if (own == null) {
      return inherited;
    }
    return own.clock() == inherited.clock() ? own.min(inherited) : own;
  }

  static TaskGroupImpl current() {
    TaskGroupImpl opened = OPENED_HERE.get();
    if (opened != null && !opened.closed) {
      return opened;
    }
    return TASK_OF.isBound() ? TASK_OF.get() : null;
  }

  private void adopt(TaskGroupImpl child) {
    children.add(child);
    if (isCancelled()) {
      child.cancelAll(inherited(reason));
    }
  }

  private static Reason inherited(Reason parentReason) {
    return parentReason == Reason.DEADLINE ? Reason.DEADLINE : Reason.CANCELLED;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<Deadline> deadline() {
    return Optional.ofNullable(deadline);
  }

  @Override
  public Optional<TaskGroup> parent() {
    return Optional.ofNullable(parent);
  }

  @Override
  public <T> Task<T> spawn(Callable<T> work) {
    Objects.requireNonNull(work, "work");
    return start(null, work);
  }

  @Override
  public <T> Task<T> spawn(String taskName, Callable<T> work) {
    Objects.requireNonNull(taskName, "name");
    Objects.requireNonNull(work, "work");
    return start(taskName, work);
  }

  @Override
  public Task<Void> spawn(Job work) {
    Objects.requireNonNull(work, "work");
    return spawn(
        () -> {
          work.run();
          return null;
        });
  }

  @Override
  public Task<Void> spawn(String taskName, Job work) {
    Objects.requireNonNull(work, "work");
    return spawn(
        taskName,
        () -> {
          work.run();
          return null;
        });
  }

  /** Spawns a task named {@code taskName}, or after the group if that is null. */
  private <T> TaskImpl<T> start(String taskName, Callable<T> work) {
    long number = members.enter();
    if (number == 0) {
      throw new IllegalStateException(this + " already closed");
    }
    TaskGroupMembers.Member member = null;
    try {
      String actualName = taskName != null ? taskName : name + "-" + number;
      var task = new TaskImpl<>(actualName, work, clock, endedHook);
      member = members.add(this, task, number);
      if (isCancelled()) {
        task.cancel();
        leave(member);
      } else {
        VirtualThreads.start(actualName, member);
      }
      return task;
    } catch (Throwable error) {
      if (member != null) {
        member.task.cancel();
        leave(member);
      } else if (members.release()) {
        wakeCloser();
      }
      throw error;
    }
  }

  /** The body of a task's thread. */
  void run(TaskGroupMembers.Member member) {
    try {
      binding.run(member.task);
    } finally {
      leave(member);
    }
  }

  private void leave(TaskGroupMembers.Member member) {
    if (members.leave(member)) {
      wakeCloser();
    }
  }

  private void wakeCloser() {
    Thread waiting = closer;
    if (waiting != null) {
      LockSupport.unpark(waiting);
    }
  }

  /** Told first when a task ends, on the thread that ends it. Must not throw. */
  private void ended(TaskImpl<?> task) {
    if (task.state() == Task.State.FAILED) {
      failures.add(task);
      cancelAll(Reason.FAILURE);
    }
  }

  @Override
  public void cancel() {
    cancelAll(Reason.CANCELLED);
  }

  private void cancelAll(Reason why) {
    if (!REASON.compareAndSet(this, null, why)) {
      return;
    }
    for (TaskImpl<?> task : members.snapshot()) {
      task.cancel();
    }
    for (TaskGroupImpl child : children) {
      child.cancelAll(inherited(why));
    }
  }

  @Override
  public boolean isCancelled() {
    Reason why = reason;
    return why != null && why != Reason.CLOSED;
  }

  @Override
  public List<Task<?>> tasks() {
    var running = new ArrayList<Task<?>>();
    for (TaskImpl<?> task : members.snapshot()) {
      if (!task.isDone()) {
        running.add(task);
      }
    }
    return List.copyOf(running);
  }

  @Override
  public List<TaskGroup> children() {
    return List.copyOf(children);
  }

  @Override
  public Stats stats() {
    return members.stats();
  }

  @Override
  public void close() throws InterruptedException {
    if (TASK_OF.isBound() && TASK_OF.get() == this) {
      throw new IllegalStateException(
          this + " cannot be closed by its own task " + Thread.currentThread().getName());
    }
    if (!closing.compareAndSet(false, true)) {
      allEnded.await();
      return;
    }
    closer = Thread.currentThread();
    members.release();
    boolean interrupted = false;
    while (!members.tryClose()) {
      LockSupport.park(this);
      if (Thread.interrupted() && !interrupted) {
        interrupted = true;
        cancelAll(Reason.CANCELLED);
      }
    }
    allEnded.countDown();
    Reason why = finish();
    report(why, interrupted ? new InterruptedException(this + " close was interrupted") : null);
  }

  /** Marks the group closed and detaches it; returns why it was cancelled, if it was. */
  private Reason finish() {
    Clock.Alarm armed = alarm;
    if (armed != null) {
      armed.cancel();
    }
    REASON.compareAndSet(this, null, Reason.CLOSED);
    closed = true;
    if (parent != null) {
      parent.children.remove(this);
    }
    if (OPENED_HERE.get() == this) {
      if (openedBefore == null) {
        OPENED_HERE.remove();
      } else {
        OPENED_HERE.set(openedBefore);
      }
    }
    return reason;
  }

  /** Throws what close() must throw, if anything. */
  private void report(Reason why, InterruptedException interrupted) throws InterruptedException {
    List<TaskImpl<?>> failedTasks = new ArrayList<>(failures);
    if (interrupted != null) {
      throw withSuppressed(interrupted, failedTasks);
    }
    if (why == Reason.DEADLINE) {
      throw withSuppressed(new DeadlineExceededException(deadlineMessage()), failedTasks);
    }
    if (failedTasks.isEmpty()) {
      return;
    }
    TaskImpl<?> first = failedTasks.removeFirst();
    Throwable primary =
        first.failureThrown()
            ? new TaskFailedException(first.name(), first.exceptionNow())
            : Tasks.asThrown(first);
    withSuppressed(primary, failedTasks);
    switch (primary) {
      case RuntimeException unchecked -> throw unchecked;
      case Error fatal -> throw fatal;
      default -> throw new AssertionError("neither unchecked nor an error", primary);
    }
  }

  private static <X extends Throwable> X withSuppressed(X primary, List<TaskImpl<?>> failedTasks) {
    for (TaskImpl<?> task : failedTasks) {
      Throwable error = task.exceptionNow();
      if (error != primary && error != primary.getCause()) {
        primary.addSuppressed(error);
      }
    }
    return primary;
  }

  private String deadlineMessage() {
    String after =
        deadline == null
            ? "its parent's"
            : Duration.ofNanos(deadline.nanoTime() - openedAt) + " after open";
    return this + " deadline exceeded: " + after;
  }

  @Override
  public String toString() {
    return "TaskGroup[" + name + "]";
  }
}
