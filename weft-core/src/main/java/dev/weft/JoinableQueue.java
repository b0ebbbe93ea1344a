package dev.weft;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A FIFO queue between producer and consumer threads that also counts unfinished work: every item
 * {@link #put put} stays unfinished until a consumer calls {@link #taskDone()} for it, and {@link
 * #join()} waits until no item is unfinished. {@link #close()} ends the stream: producers can put
 * no more, consumers take what is left and then see {@link QueueClosedException}.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="joinableQueue" :
 * var queue = JoinableQueue.<String>bounded(100);
 * try (var group = TaskGroup.open()) {
 *   for (int i = 0; i < 4; i++) {
 *     group.spawn(() -> {
 *       queue.forEachUntilClosed(url -> download(url)); // taskDone() after each item
 *       return null;
 *     });
 *   }
 *   for (String url : urls) {
 *     queue.put(url); // blocks while 100 items wait: backpressure
 *   }
 *   queue.join();  // every url downloaded
 *   queue.close(); // the consumers drain and return
 * }
 * }
 *
 * <h2>Comparison with Python's {@code queue.Queue} / {@code asyncio.Queue} and the JDK</h2>
 *
 * {@link #put}, {@link #take} (Python's {@code get}), {@link #offer(Object)} ({@code
 * put_nowait}), {@link #poll()} ({@code get_nowait}), {@link #taskDone()} and {@link #join()} are
 * Python's, and {@link #close()} is Python 3.13's {@code shutdown()} (without {@code
 * immediate=True}). Unlike Python, a queue is bounded unless it is made with {@link #unbounded()};
 * timed calls return {@code null} or {@code false} instead of raising {@code Empty} / {@code
 * Full}; too many {@code taskDone()} calls throw {@link IllegalStateException} rather than {@code
 * ValueError}. {@code asyncio.Queue} belongs to one event loop and is not thread-safe; this queue
 * is shared by threads, and a consumer blocked in {@code take} parks only its own (virtual)
 * thread, as awaiting {@code get()} suspends only one coroutine. Against {@link
 * java.util.concurrent.ArrayBlockingQueue} it adds the unfinished-work count, {@code join}, an
 * end-of-stream signal (no poison pill needed) and waits on an injected {@link Clock}; like it,
 * it rejects {@code null}, because {@code poll()} returns {@code null} for "nothing there".
 *
 * <h2>Thread contract</h2>
 *
 * Any thread may call any method. One lock, {@code lock}, guards the items, {@code closed}, the
 * waiter counts and {@code totalPut} (the same design as {@code ArrayBlockingQueue}); the
 * unfinished count is {@code totalPut - finished}, where {@code finished} is atomic and touched
 * only by {@code taskDone()}, so that a put pays no atomic operation beyond the lock and {@code
 * taskDone()} one, taking the lock only to wake a joiner. No user
 * code runs under the lock. Memory consistency: actions in a thread before it puts an item
 * happen-before actions after that item is taken; actions before a {@code taskDone()} call
 * happen-before {@code join()} returns.
 *
 * @param <E> the type of the items
 */
public final class JoinableQueue<E> {
  private final String name;
  private final int capacity;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final Condition allDone = lock.newCondition();
  private final AtomicLong finished = new AtomicLong(); // written by taskDone() only
  private final ArrayDeque<E> items; // guarded by lock
  private boolean closed; // guarded by lock
  private int waitingTakers; // guarded by lock
  private int waitingPutters; // guarded by lock
  private volatile long totalPut; // written under lock; read by taskDone() without it
  private long totalTaken; // guarded by lock
  private volatile int joiners; // written under lock, read by taskDone() without it

  private JoinableQueue(String name, int capacity, Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.capacity = capacity;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.items = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  /** A queue that holds at most {@code capacity} items, waiting on the system clock. */
  public static <E> JoinableQueue<E> bounded(int capacity) {
    return bounded(capacity, Clock.system());
  }

  /** A queue that holds at most {@code capacity} items, whose timed calls wait on {@code clock}. */
  public static <E> JoinableQueue<E> bounded(int capacity, Clock clock) {
    return bounded("bounded(" + capacity + ")", capacity, clock);
  }

  /** A queue named {@code name} (in its messages) that holds at most {@code capacity} items. */
  public static <E> JoinableQueue<E> bounded(String name, int capacity) {
    return bounded(name, capacity, Clock.system());
  }

  /** A queue named {@code name} that holds at most {@code capacity} items, timed on {@code clock}. */
  public static <E> JoinableQueue<E> bounded(String name, int capacity, Clock clock) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be > 0: " + capacity);
    }
    return new JoinableQueue<>(name, capacity, clock);
  }

  /**
   * A queue without a bound: {@code put} never waits, so a producer faster than its consumers
   * grows it until memory runs out. Prefer {@link #bounded(int)}.
   */
  public static <E> JoinableQueue<E> unbounded() {
    return unbounded("unbounded", Clock.system());
  }

  /** A queue without a bound named {@code name}, whose timed calls wait on {@code clock}. */
  public static <E> JoinableQueue<E> unbounded(String name, Clock clock) {
    return new JoinableQueue<>(name, Integer.MAX_VALUE, clock);
  }

  /**
   * Adds {@code item} at the tail, waiting while the queue is full.
   *
   * @throws QueueClosedException if the queue is closed, also while this call waits
   */
  public void put(E item) throws InterruptedException {
    requireItem(item);
    lock.lockInterruptibly();
    try {
      while (true) {
        requireOpen();
        if (items.size() < capacity) {
          break;
        }
        waitingPutters++;
        try {
          notFull.await();
        } finally {
          waitingPutters--;
        }
      }
      enqueue(item);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds {@code item} if there is room now; returns false if the queue is full.
   *
   * @throws QueueClosedException if the queue is closed
   */
  public boolean offer(E item) {
    requireItem(item);
    lock.lock();
    try {
      requireOpen();
      if (items.size() >= capacity) {
        return false;
      }
      enqueue(item);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds {@code item}, waiting at most {@code timeout} (on this queue's clock) for room; returns
   * false if there was none in time.
   *
   * @throws QueueClosedException if the queue is closed, also while this call waits
   */
  public boolean offer(E item, Duration timeout) throws InterruptedException {
    requireItem(item);
    long nanos = nanos(timeout);
    lock.lockInterruptibly();
    try {
      while (true) {
        requireOpen();
        if (items.size() < capacity) {
          break;
        }
        if (nanos <= 0) {
          return false;
        }
        waitingPutters++;
        try {
          nanos = clock.awaitNanos(lock, notFull, nanos);
        } finally {
          waitingPutters--;
        }
      }
      enqueue(item);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes and returns the head, waiting while the queue is empty.
   *
   * @throws QueueClosedException once the queue is closed and empty: the end of the stream
   */
  public E take() throws InterruptedException {
    E item = takeUntilClosed();
    if (item == null) {
      throw new QueueClosedException(this + " is closed and empty");
    }
    return item;
  }

  /** Removes and returns the head, or returns null if the queue is empty (or closed and empty). */
  public E poll() {
    lock.lock();
    try {
      return items.isEmpty() ? null : dequeue();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes and returns the head, waiting at most {@code timeout} (on this queue's clock) for one;
   * returns null if none came in time, or at once when the queue is closed and empty.
   */
  public E poll(Duration timeout) throws InterruptedException {
    long nanos = nanos(timeout);
    lock.lockInterruptibly();
    try {
      while (items.isEmpty()) {
        if (closed || nanos <= 0) {
          return null;
        }
        waitingTakers++;
        try {
          nanos = clock.awaitNanos(lock, notEmpty, nanos);
        } finally {
          waitingTakers--;
        }
      }
      return dequeue();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes items until the queue is closed and empty, runs {@code action} on each on the calling
   * thread, and marks each done ({@link #taskDone()}) when the action returns or throws. An
   * exception from the action ends the loop and propagates; the items still queued stay there.
   * This is the consumer loop without the poison pill.
   */
  public void forEachUntilClosed(Consumer<? super E> action) throws InterruptedException {
    Objects.requireNonNull(action, "action");
    for (E item = takeUntilClosed(); item != null; item = takeUntilClosed()) {
      try {
        action.accept(item);
      } finally {
        taskDone();
      }
    }
  }

  /**
   * Marks one taken item as finished. When the last unfinished item is marked, every thread in
   * {@link #join()} wakes up.
   *
   * @throws IllegalStateException if called more times than items were put
   */
  public void taskDone() {
    // one atomic operation on the hot path; a call too many is undone (join() may see the count
    // briefly at or below zero, "nothing unfinished", which is then true either way)
    long done = finished.incrementAndGet();
    long left = totalPut - done; // read after: it counts every done item
    if (left < 0) {
      finished.decrementAndGet();
      throw new IllegalStateException("taskDone() called too many times on " + this);
    }
    if (left == 0 && joiners > 0) {
      lock.lock();
      try {
        allDone.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Waits until every item put so far has been marked done by {@link #taskDone()}. */
  public void join() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      joiners++;
      try {
        while (unfinished() > 0) {
          allDone.await();
        }
      } finally {
        joiners--;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits at most {@code timeout} (on this queue's clock) until every item put so far has been
   * marked done.
   *
   * @throws TimeoutException if items are still unfinished when the time is up
   */
  public void join(Duration timeout) throws InterruptedException, TimeoutException {
    long nanos = nanos(timeout);
    lock.lockInterruptibly();
    try {
      joiners++;
      try {
        while (unfinished() > 0) {
          if (nanos <= 0) {
            throw new TimeoutException(
                this + " still has " + unfinished() + " unfinished items after " + timeout);
          }
          nanos = clock.awaitNanos(lock, allDone, nanos);
        }
      } finally {
        joiners--;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the queue: later puts throw {@link QueueClosedException}, consumers take what is left
   * and then see the end ({@code take} throws, {@code poll} returns null). Wakes every blocked
   * taker and putter. Does not touch the unfinished count: {@link #join()} still waits for the
   * items left to be taken and marked done. Closing twice does nothing.
   */
  public void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** The number of items waiting to be taken. */
  public int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  /** The most items the queue holds; {@link Integer#MAX_VALUE} for an unbounded queue. */
  public int capacity() {
    return capacity;
  }

  /** The name used in messages. */
  public String name() {
    return name;
  }

  /** A snapshot of the queue's counts, taken under its lock so they agree with each other. */
  public Stats stats() {
    lock.lock();
    try {
      return new Stats(
          items.size(),
          capacity,
          unfinished(),
          waitingTakers,
          waitingPutters,
          joiners,
          totalPut,
          totalTaken,
          closed);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "JoinableQueue[" + name + "]";
  }

  /**
   * Counts of a {@link JoinableQueue} at one moment.
   *
   * @param size items waiting to be taken
   * @param capacity the most items the queue holds
   * @param unfinished items put and not yet marked done (taken or not)
   * @param waitingTakers threads blocked in {@code take} or a timed {@code poll}
   * @param waitingPutters threads blocked in {@code put} or a timed {@code offer}
   * @param waitingJoiners threads blocked in {@code join}
   * @param totalPut items put since the queue was made
   * @param totalTaken items taken since the queue was made
   * @param closed whether the queue is closed
   */
  public record Stats(
      int size,
      int capacity,
      long unfinished,
      int waitingTakers,
      int waitingPutters,
      int waitingJoiners,
      long totalPut,
      long totalTaken,
      boolean closed) {}

  /** take() that returns null at the end of the stream instead of throwing. */
  private E takeUntilClosed() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (items.isEmpty()) {
        if (closed) {
          return null;
        }
        waitingTakers++;
        try {
          notEmpty.await();
        } finally {
          waitingTakers--;
        }
      }
      return dequeue();
    } finally {
      lock.unlock();
    }
  }

  private void enqueue(E item) {
    items.addLast(item);
    totalPut = totalPut + 1; // not a read-modify-write race: only the lock holder writes
    notEmpty.signal();
  }

  /** Items put and not yet marked done. */
  private long unfinished() {
    return totalPut - finished.get();
  }

  private E dequeue() {
    E item = items.pollFirst();
    totalTaken++;
    notFull.signal();
    return item;
  }

  private void requireOpen() {
    if (closed) {
      throw new QueueClosedException(this + " is closed: no more puts");
    }
  }

  private static void requireItem(Object item) {
    if (item == null) {
      throw new NullPointerException("a JoinableQueue does not hold null: poll() returns null for empty");
    }
  }

  private static long nanos(Duration timeout) {
    if (timeout.isNegative()) {
      return 0;
    }
    return timeout.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : timeout.toNanos();
  }
}
