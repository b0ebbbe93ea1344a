package dev.weft.process;

import dev.weft.Clock;
import dev.weft.QueueClosedException;
import dev.weft.process.internal.Backoff;
import dev.weft.process.internal.Codec;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * A bounded FIFO queue between processes, with {@link dev.weft.JoinableQueue}'s semantics: {@link
 * #put} waits while full, {@link #take} while empty, {@link #taskDone()} and {@link #join()}
 * count unfinished items, and {@link #close()} ends the stream (puts fail, takers drain what is
 * left and then see {@link QueueClosedException}). Items are serialized into fixed-size slots of
 * a ring in {@link SharedMemory}, guarded by a {@link SharedLock}. Serializable: a task that
 * captures the queue finds the same queue in its worker. With one producer and one consumer it is
 * a pipe.
 *
 * {@snippet class="dev.weft.process.snippets.ProcessSnippets" region="sharedQueue" :
 * SharedQueue<String> lines = memory.queue(String.class, 128, 1024);
 * pool.call((SerializableCallable<Integer>) () -> {
 *   int n = 0;
 *   try {
 *     while (true) {
 *       lines.take(); // until closed and drained
 *       lines.taskDone();
 *       n++;
 *     }
 *   } catch (QueueClosedException end) {
 *     return n;
 *   }
 * });
 * }
 *
 * <h2>Comparison with Python's {@code multiprocessing.JoinableQueue} and {@code Pipe}</h2>
 *
 * Python's queue pickles items into a pipe through a feeder thread, so a put can succeed while
 * the item later fails to pickle, and a process that ends with items in the feeder can deadlock
 * a join. Here an item is serialized by the caller of {@code put} before it is queued (an
 * unsendable item throws at once) and lives in shared memory, not in a thread. Items are read
 * through an allow-list filter: the JDK's value packages and the item type's package. Waiting is
 * by polling with backoff, so a hand-over takes microseconds to a millisecond.
 *
 * <p>Thread contract: any thread of any process; every change to the ring happens under the
 * queue's {@link SharedLock}, and no serialization or user code runs under it.
 *
 * @param <E> the type of the items
 */
public final class SharedQueue<E> implements Serializable {
  @Serial private static final long serialVersionUID = 1L;
  private static final VarHandle LONG = SharedMemory.LONG;
  private static final long HEAD = 8;
  private static final long TAIL = 16;
  private static final long CLOSED = 24;
  private static final long UNFINISHED = 32;
  private static final long CAPACITY = 40;
  private static final long ITEM_BYTES = 48;
  private static final long SLOTS = 64;

  private final transient SharedMemory memory;
  private final transient MemorySegment segment;
  private final transient SharedLock lock;
  private final transient Set<String> allowed;
  private final Class<E> type;
  private final long offset;
  private final int capacity;
  private final int itemBytes;

  private SharedQueue(SharedMemory memory, long offset, Class<E> type) {
    this.memory = memory;
    this.segment = memory.segment();
    this.offset = offset;
    this.type = type;
    this.lock = new SharedLock(memory, offset);
    this.capacity = (int) (long) LONG.getVolatile(segment, offset + CAPACITY);
    this.itemBytes = (int) (long) LONG.getVolatile(segment, offset + ITEM_BYTES);
    Set<String> packages = new HashSet<>(Codec.JDK_PACKAGES);
    packages.add(type.getPackageName());
    this.allowed = Set.copyOf(packages);
  }

  static <E> SharedQueue<E> allocate(SharedMemory memory, Class<E> type, int capacity, int itemBytes) {
    Objects.requireNonNull(type, "type");
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be > 0: " + capacity);
    }
    if (itemBytes <= 0) {
      throw new IllegalArgumentException("itemBytes must be > 0: " + itemBytes);
    }
    long offset = memory.allocate(SLOTS + (long) capacity * slotSize(itemBytes));
    LONG.setVolatile(memory.segment(), offset + CAPACITY, (long) capacity);
    LONG.setVolatile(memory.segment(), offset + ITEM_BYTES, (long) itemBytes);
    return new SharedQueue<>(memory, offset, type);
  }

  private static long slotSize(int itemBytes) {
    return Long.BYTES + (itemBytes + 7L) / 8 * 8;
  }

  /**
   * Adds {@code item} at the tail, waiting while the queue is full.
   *
   * @throws QueueClosedException if the queue is closed, also while this call waits
   * @throws UnsendableException if the item cannot be serialized or is larger than a slot
   */
  public void put(E item) throws InterruptedException {
    byte[] bytes = encode(item);
    var backoff = new Backoff(Clock.system());
    while (!tryPut(bytes)) {
      backoff.pause();
    }
  }

  /** Adds {@code item} if there is room now; returns whether it did. Never waits. */
  public boolean offer(E item) {
    byte[] bytes = encode(item);
    try {
      return tryPut(bytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Adds {@code item}, waiting at most {@code timeout} for room; returns whether it did. */
  public boolean offer(E item, Duration timeout) throws InterruptedException {
    byte[] bytes = encode(item);
    Clock clock = Clock.system();
    long deadline = clock.nanoTime() + timeout.toNanos();
    var backoff = new Backoff(clock);
    while (!tryPut(bytes)) {
      if (clock.nanoTime() - deadline >= 0) {
        return false;
      }
      backoff.pause();
    }
    return true;
  }

  /**
   * Removes and returns the head, waiting while the queue is empty.
   *
   * @throws QueueClosedException once the queue is closed and empty: the end of the stream
   */
  public E take() throws InterruptedException {
    var backoff = new Backoff(Clock.system());
    while (true) {
      byte[] bytes = tryTake();
      if (bytes != null) {
        return decode(bytes);
      }
      if (isClosed()) {
        bytes = tryTake(); // an item put just before the close
        if (bytes != null) {
          return decode(bytes);
        }
        throw new QueueClosedException(this + " is closed and empty");
      }
      backoff.pause();
    }
  }

  /** Removes and returns the head, or null if the queue is empty. Never waits. */
  public E poll() {
    try {
      byte[] bytes = tryTake();
      return bytes == null ? null : decode(bytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Removes and returns the head, waiting at most {@code timeout}; null if none came or closed. */
  public E poll(Duration timeout) throws InterruptedException {
    Clock clock = Clock.system();
    long deadline = clock.nanoTime() + timeout.toNanos();
    var backoff = new Backoff(clock);
    while (true) {
      byte[] bytes = tryTake();
      if (bytes != null) {
        return decode(bytes);
      }
      if (isClosed() || clock.nanoTime() - deadline >= 0) {
        return null;
      }
      backoff.pause();
    }
  }

  /**
   * Marks one taken item as finished.
   *
   * @throws IllegalStateException if called more times than items were put
   */
  public void taskDone() {
    while (true) {
      long left = (long) LONG.getVolatile(segment, offset + UNFINISHED);
      if (left == 0) {
        throw new IllegalStateException("taskDone() called too many times on " + this);
      }
      if (LONG.compareAndSet(segment, offset + UNFINISHED, left, left - 1)) {
        return;
      }
    }
  }

  /** Waits until every item put so far, by any process, has been marked done. */
  public void join() throws InterruptedException {
    var backoff = new Backoff(Clock.system());
    while ((long) LONG.getVolatile(segment, offset + UNFINISHED) > 0) {
      backoff.pause();
    }
  }

  /**
   * Waits at most {@code timeout} until every item put so far has been marked done.
   *
   * @throws TimeoutException if items are still unfinished when the time is up
   */
  public void join(Duration timeout) throws InterruptedException, TimeoutException {
    Clock clock = Clock.system();
    long deadline = clock.nanoTime() + timeout.toNanos();
    var backoff = new Backoff(clock);
    long left;
    while ((left = (long) LONG.getVolatile(segment, offset + UNFINISHED)) > 0) {
      if (clock.nanoTime() - deadline >= 0) {
        throw new TimeoutException(this + " still has " + left + " unfinished items after " + timeout);
      }
      backoff.pause();
    }
  }

  /** Ends the stream: later puts throw, takers drain and then see the end. Closing twice does nothing. */
  public void close() {
    LONG.setVolatile(segment, offset + CLOSED, 1L);
  }

  /** Whether {@link #close()} has been called, by any process. */
  public boolean isClosed() {
    return (long) LONG.getVolatile(segment, offset + CLOSED) != 0;
  }

  /** How many items are queued now. */
  public int size() {
    return (int) ((long) LONG.getVolatile(segment, offset + TAIL) - (long) LONG.getVolatile(segment, offset + HEAD));
  }

  /** The most items the queue holds. */
  public int capacity() {
    return capacity;
  }

  /** The queue's counters, as seen now. */
  public Stats stats() {
    long head = (long) LONG.getVolatile(segment, offset + HEAD);
    long tail = (long) LONG.getVolatile(segment, offset + TAIL);
    return new Stats((int) (tail - head), capacity, tail, head, (long) LONG.getVolatile(segment, offset + UNFINISHED));
  }

  /** Items queued now, capacity, items ever put and taken, items not yet marked done. */
  public record Stats(int size, int capacity, long totalPut, long totalTaken, long unfinished) {}

  private boolean tryPut(byte[] bytes) throws InterruptedException {
    lock.lock();
    try {
      if (isClosed()) {
        throw new QueueClosedException(this + " is closed");
      }
      long head = (long) LONG.get(segment, offset + HEAD);
      long tail = (long) LONG.get(segment, offset + TAIL);
      if (tail - head >= capacity) {
        return false;
      }
      long slot = slot(tail);
      segment.set(ValueLayout.JAVA_LONG, slot, bytes.length);
      MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, slot + Long.BYTES, bytes.length);
      LONG.getAndAdd(segment, offset + UNFINISHED, 1L);
      LONG.setVolatile(segment, offset + TAIL, tail + 1);
      return true;
    } finally {
      lock.unlock();
    }
  }

  private byte[] tryTake() throws InterruptedException {
    if (size() == 0) {
      return null;
    }
    lock.lock();
    try {
      long head = (long) LONG.get(segment, offset + HEAD);
      long tail = (long) LONG.get(segment, offset + TAIL);
      if (head == tail) {
        return null;
      }
      long slot = slot(head);
      int length = (int) segment.get(ValueLayout.JAVA_LONG, slot);
      byte[] bytes = new byte[length];
      MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, slot + Long.BYTES, bytes, 0, length);
      LONG.setVolatile(segment, offset + HEAD, head + 1);
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  private long slot(long sequence) {
    return offset + SLOTS + (sequence % capacity) * slotSize(itemBytes);
  }

  private byte[] encode(E item) {
    Objects.requireNonNull(item, "item");
    if (!type.isInstance(item)) {
      throw new ClassCastException("item is not a " + type.getName() + ": " + item.getClass().getName());
    }
    byte[] bytes;
    try {
      bytes = Codec.encode(item).bytes();
    } catch (NotSerializableException e) {
      throw new UnsendableException("item cannot be queued: " + e.getMessage() + " is not Serializable");
    } catch (IOException e) {
      throw new UnsendableException("item cannot be queued: " + e, e);
    }
    if (bytes.length > itemBytes) {
      throw new UnsendableException(
          "item is " + bytes.length + " bytes serialized, more than the queue's itemBytes " + itemBytes);
    }
    return bytes;
  }

  private E decode(byte[] bytes) {
    Codec.Filter filter = Codec.packages(allowed);
    try {
      return type.cast(Codec.decode(bytes, filter));
    } catch (IOException | ClassNotFoundException e) {
      String why = filter.rejected() != null ? "class is not allowed by the filter: " + filter.rejected() : e.toString();
      throw new UnsendableException("item cannot be taken from " + this + ": " + why, e);
    }
  }

  @Override
  public String toString() {
    return "SharedQueue[" + offset + " in " + memory.path() + "]";
  }

  @Serial
  private Object writeReplace() {
    return new Ref(memory.path().toString(), offset, type.getName());
  }

  /** What a queue becomes on the wire. */
  private record Ref(String path, long offset, String type) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    @Serial
    private Object readResolve() throws java.io.ObjectStreamException {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      try {
        Class<?> itemType = Class.forName(type, false, loader != null ? loader : SharedQueue.class.getClassLoader());
        return new SharedQueue<>(SharedMemory.open(java.nio.file.Path.of(path)), offset, itemType);
      } catch (ClassNotFoundException e) {
        throw new java.io.InvalidObjectException("queue item type not found: " + type);
      }
    }
  }
}
