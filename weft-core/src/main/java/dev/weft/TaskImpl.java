package dev.weft;

import dev.weft.internal.SystemClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The one implementation of {@link Task}: a {@link FutureTask} (whose {@code cancel(true)}
 * interrupts the running thread) with a name, a clock for timed joins, and done-callbacks.
 *
 * <p>Thread contract: {@link #run()} is called once, by the thread the owner starts for the task.
 * Every other method may be called from any thread. {@code callbacks} is a lock-free stack
 * written with compare-and-set; it holds {@link #ENDED} once the callbacks have been taken.
 */
final class TaskImpl<T> extends FutureTask<T> implements Task<T> {
  private static final Object ENDED = new Object();
  private static final VarHandle CALLBACKS;

  static {
    try {
      CALLBACKS =
          MethodHandles.lookup().findVarHandle(TaskImpl.class, "callbacks", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final Clock clock;
  private final Consumer<TaskImpl<?>> owner;

  /** Whether join() has thrown this task's failure to someone (see {@link #failureThrown()}). */
  private volatile boolean failureThrown;

  /** null, a Node of callbacks (newest first), or ENDED. */
  @SuppressWarnings("unused") // accessed through CALLBACKS
  private volatile Object callbacks;

  /**
   * A task that runs {@code work} when {@link #run()} is called. {@code owner}, if not null, is
   * told first when the task ends (before user callbacks); it must not throw.
   */
  TaskImpl(String name, Callable<T> work, Clock clock, Consumer<TaskImpl<?>> owner) {
    super(work);
    this.name = Objects.requireNonNull(name, "name");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.owner = owner;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public T join() throws InterruptedException {
    try {
      return get();
    } catch (ExecutionException e) {
      failureThrown = true;
      throw Failures.unchecked(name, e.getCause());
    }
  }

  /**
   * Whether this task's failure has been thrown to a caller, by {@link #join()} or by {@link
   * Tasks}: then an owner that throws it again must wrap it, or a try-with-resources block that
   * is already propagating it would fail to suppress it into itself.
   */
  boolean failureThrown() {
    return failureThrown;
  }

  /** Records that the failure has been thrown to a caller. */
  void markFailureThrown() {
    failureThrown = true;
  }

  @Override
  public T join(Duration timeout) throws InterruptedException, TimeoutException {
    if (!isDone()) {
      awaitDone(timeout);
    }
    return join();
  }

  private void awaitDone(Duration timeout) throws InterruptedException, TimeoutException {
    if (clock == SystemClock.INSTANCE) {
      try {
        get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | CancellationException ended) {
        // join() reports it
      } catch (TimeoutException e) {
        throw timedOut(timeout);
      }
      return;
    }
    var ended = new CountDownLatch(1);
    onDone(_ -> ended.countDown());
    Clock.Alarm alarm = clock.schedule(timeout, ended::countDown);
    try {
      ended.await();
    } finally {
      alarm.cancel();
    }
    if (!isDone()) {
      throw timedOut(timeout);
    }
  }

  private TimeoutException timedOut(Duration timeout) {
    return new TimeoutException("task " + name + " did not end within " + timeout);
  }

  @Override
  public Outcome<T> await() throws InterruptedException {
    try {
      get();
    } catch (ExecutionException | CancellationException ended) {
      // outcome() reports it
    }
    return outcome();
  }

  @Override
  public Outcome<T> outcome() {
    return switch (state()) {
      case SUCCESS -> new Outcome.Success<>(resultNow());
      case FAILED -> new Outcome.Failure<>(exceptionNow());
      case CANCELLED -> new Outcome.Cancelled<>();
      case RUNNING -> throw new IllegalStateException("task " + name + " has not ended");
    };
  }

  @Override
  public boolean cancel() {
    return cancel(true);
  }

  @Override
  public Task<T> onDone(Consumer<? super Task<T>> callback) {
    Objects.requireNonNull(callback, "callback");
    for (Object head = CALLBACKS.getAcquire(this); head != ENDED; head = CALLBACKS.getAcquire(this)) {
      if (CALLBACKS.compareAndSet(this, head, new Node<>(callback, castNode(head)))) {
        return this;
      }
    }
    runCallback(callback);
    return this;
  }

  @Override
  public CompletableFuture<T> toCompletableFuture() {
    var future = new CompletableFuture<T>();
    onDone(
        task -> {
          switch (task.outcome()) {
            case Outcome.Success<T>(var value) -> future.complete(value);
            case Outcome.Failure<T>(var error) -> future.completeExceptionally(error);
            case Outcome.Cancelled<T>() -> future.cancel(false);
          }
        });
    future.whenComplete((_, _) -> {
      if (future.isCancelled()) {
        cancel();
      }
    });
    return future;
  }

  /** Called by FutureTask once the task has ended, however it ended. */
  @Override
  protected void done() {
    if (owner != null) {
      owner.accept(this);
    }
    Object head = CALLBACKS.getAndSet(this, ENDED);
    runAll(castNode(head));
  }

  private void runAll(Node<T> newestFirst) {
    Node<T> oldestFirst = null;
    for (Node<T> node = newestFirst; node != null; node = node.next) {
      oldestFirst = new Node<>(node.callback, oldestFirst);
    }
    for (Node<T> node = oldestFirst; node != null; node = node.next) {
      runCallback(node.callback);
    }
  }

  private void runCallback(Consumer<? super Task<T>> callback) {
    try {
      callback.accept(this);
    } catch (Throwable error) {
      Thread thread = Thread.currentThread();
      thread.getUncaughtExceptionHandler().uncaughtException(thread, error);
    }
  }

  @SuppressWarnings("unchecked")
  private Node<T> castNode(Object head) {
    return (Node<T>) head;
  }

  @Override
  public String toString() {
    return "Task[" + name + ", " + state() + "]";
  }

  private record Node<T>(Consumer<? super Task<T>> callback, Node<T> next) {}
}
