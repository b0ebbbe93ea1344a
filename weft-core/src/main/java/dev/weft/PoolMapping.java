package dev.weft;

import java.io.Serial;
import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * One map operation of a {@link PoolImpl}: draws items from the input, keeps at most {@code
 * lookAhead} of them in flight as tasks of the pool, and yields them ended, in input or in
 * completion order. Every map, imap and mapAsync of every backend runs on this class.
 *
 * <p>The items in flight form a doubly linked list in input order ({@code oldest} to {@code
 * newest}, links in {@link Pending}): input order yields its head, completion order unlinks
 * whichever item completed, both in constant time and without a hash per item.
 *
 * <p>Thread contract: every method is called by the one consumer thread, which alone touches
 * {@code input}, the list, {@code inFlight}, {@code drawn} and {@code finished}. The only
 * code that runs elsewhere is {@link #ended}, a done-callback on the item's thread, which touches
 * {@code progress} (thread-safe), {@code completions} (lock-free) and the volatile {@code
 * Pending.ended} and {@code awaited}. An item counts as ended for the consumer only once that
 * callback ran — not when {@link java.util.concurrent.Future#get()} would return, which is
 * before — so a finished map has always reported all of its items to its progress. In input
 * order the consumer publishes the item it waits for in {@code awaited} and then reads the
 * item's {@code ended}; the callback writes {@code ended} and then reads {@code awaited}: with
 * volatiles one of them sees the other, so a wake-up is never lost.
 */
final class PoolMapping<T, R> {

  /** The order in which ended items are yielded. */
  enum Order {
    INPUT,
    COMPLETION
  }

  private final PoolImpl pool;
  private final TaskFunction<? super T, ? extends R> function;
  private final Iterator<? extends T> input;
  private final Progress progress;
  private final Order order;
  private final PoolImpl.Admission admission;
  private final int lookAhead;
  private final String namePrefix;
  private final PoolCompletions<Pending<T, R>> completions = new PoolCompletions<>();
  private volatile Pending<T, R> awaited;
  private volatile Thread consumer;
  private Pending<T, R> oldest;
  private Pending<T, R> newest;
  private int inFlight;
  private long drawn;
  private boolean finished;

  PoolMapping(
      PoolImpl pool,
      TaskFunction<? super T, ? extends R> function,
      Iterator<? extends T> input,
      Progress progress,
      Order order,
      PoolImpl.Admission admission) {
    this.pool = pool;
    this.function = function;
    this.input = input;
    this.progress = progress;
    this.order = order;
    this.admission = admission;
    this.lookAhead = pool.lookAhead();
    this.namePrefix = pool.name() + "[";
    fill();
  }

  /** Refills the look-ahead, then says whether an item is in flight; never waits for one. */
  boolean hasNext() {
    if (finished) {
      return false;
    }
    fill();
    if (inFlight == 0) {
      finished = true;
    }
    return !finished;
  }

  /**
   * Waits for the next ended item, in this mapping's order.
   *
   * @throws InterruptedException after cancelling every item in flight
   */
  Pending<T, R> next() throws InterruptedException {
    if (!hasNext()) {
      throw new NoSuchElementException("no more items");
    }
    try {
      return order == Order.INPUT ? nextInOrder() : nextCompleted();
    } catch (InterruptedException e) {
      cancel();
      throw e;
    }
  }

  private Pending<T, R> nextInOrder() throws InterruptedException {
    Pending<T, R> head = oldest;
    if (!head.ended) {
      awaitEnded(head);
    }
    unlink(head);
    return head;
  }

  private void awaitEnded(Pending<T, R> head) throws InterruptedException {
    consumer = Thread.currentThread();
    awaited = head;
    try {
      while (!head.ended) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        LockSupport.park(this);
      }
    } finally {
      awaited = null;
    }
  }

  private Pending<T, R> nextCompleted() throws InterruptedException {
    Pending<T, R> done = completions.take();
    unlink(done);
    return done;
  }

  /** Cancels every item in flight and ends the mapping. Idempotent. */
  void cancel() {
    finished = true;
    for (Pending<T, R> pending = oldest; pending != null; pending = pending.next) {
      pending.task.cancel();
    }
    oldest = null;
    newest = null;
    inFlight = 0;
  }

  private void link(Pending<T, R> pending) {
    pending.previous = newest;
    if (newest == null) {
      oldest = pending;
    } else {
      newest.next = pending;
    }
    newest = pending;
    inFlight++;
  }

  private void unlink(Pending<T, R> pending) {
    if (pending.previous == null) {
      oldest = pending.next;
    } else {
      pending.previous.next = pending.next;
    }
    if (pending.next == null) {
      newest = pending.previous;
    } else {
      pending.next.previous = pending.previous;
    }
    pending.previous = null;
    pending.next = null;
    inFlight--;
  }

  private void fill() {
    try {
      while (!finished && inFlight < lookAhead && input.hasNext()) {
        start(input.next());
      }
    } catch (RuntimeException | Error e) {
      cancel();
      throw e;
    }
  }

  private void start(T item) {
    long index = drawn++;
    if (progress != null) {
      progress.itemDrawn();
    }
    var pending = new Pending<T, R>(index, item);
    String taskName = namePrefix + index + "]";
    pending.task = pool.submit(taskName, new Call<T, R>(function, item), admission);
    link(pending);
    pending.task.onDone(_ -> ended(pending));
  }

  /** A done-callback, on the thread that ended the item's task. */
  private void ended(Pending<T, R> pending) {
    if (progress != null) {
      switch (pending.task.state()) {
        case SUCCESS -> progress.advance();
        case FAILED -> progress.fail();
        default -> {}
      }
    }
    if (order == Order.COMPLETION) {
      completions.add(pending);
    } else {
      pending.ended = true;
      if (awaited == pending) {
        LockSupport.unpark(consumer);
      }
    }
  }

  /** The value of an ended item; on failure, cancels the rest and rethrows as join would. */
  R value(Pending<T, R> pending) {
    return switch (pending.task.state()) {
      case SUCCESS -> pending.task.resultNow();
      case FAILED -> {
        cancel();
        throw Failures.unchecked(pending.task.name(), pending.task.exceptionNow());
      }
      default -> {
        cancel();
        throw new CancellationException("task " + pending.task.name() + " was cancelled");
      }
    };
  }

  Outcome<R> outcome(Pending<T, R> pending) {
    return pending.task.outcome();
  }

  Pool.Completed<T, R> completed(Pending<T, R> pending) {
    return new Pool.Completed<>(pending.index, pending.item, pending.task.outcome());
  }

  /**
   * An item in flight. {@code task} is written once by the consumer thread before the item is
   * published to other threads (through onDone); {@code previous} and {@code next} are the
   * consumer's alone.
   */
  static final class Pending<T, R> {
    final long index;
    final T item;
    TaskImpl<R> task;
    volatile boolean ended;
    Pending<T, R> previous;
    Pending<T, R> next;

    Pending(long index, T item) {
      this.index = index;
      this.item = item;
    }
  }

  /**
   * The work of one item: a record rather than a lambda so that a backend whose {@link
   * Pool.Interceptor} ships work to another JVM can serialize it, when the function and the item
   * are serializable themselves.
   */
  @SuppressWarnings("serial") // function and item are serializable when a backend needs them to be
  record Call<T, R>(TaskFunction<? super T, ? extends R> function, T item)
      implements Callable<R>, Serializable {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public R call() throws Exception {
      return function.apply(item);
    }
  }
}
