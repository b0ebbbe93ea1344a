package dev.weft.process;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * An array of longs in {@link SharedMemory}, read and written atomically from any process: every
 * access is a volatile or compare-and-set access through a {@link VarHandle}. Serializable: a task
 * that captures the array finds the same memory in its worker.
 *
 * {@snippet class="dev.weft.process.snippets.ProcessSnippets" region="sharedLongArray" :
 * SharedLongArray hits = memory.longArray(1);
 * pool.call((SerializableCallable<Long>) () -> hits.incrementAndGet(0));
 * }
 *
 * <p>Comparison with Python's {@code multiprocessing.Array('q', n)}: Python's elements are read
 * and written plainly and need {@code get_lock()} for a read-modify-write; here {@link
 * #getAndAdd} and {@link #compareAndSet} are atomic across processes, like {@link
 * java.util.concurrent.atomic.AtomicLongArray} across threads.
 *
 * <p>Thread contract: any thread of any process; no lock.
 */
public final class SharedLongArray implements Serializable {
  @Serial private static final long serialVersionUID = 1L;
  private static final VarHandle LONG = SharedMemory.LONG;

  private final transient SharedMemory memory;
  private final transient MemorySegment segment;
  private final long offset;
  private final int length;

  SharedLongArray(SharedMemory memory, long offset, int length) {
    this.memory = memory;
    this.segment = memory.segment();
    this.offset = offset;
    this.length = length;
  }

  /** The number of elements. */
  public int length() {
    return length;
  }

  /** The element at {@code index}, read with volatile semantics. */
  public long get(int index) {
    return (long) LONG.getVolatile(segment, at(index));
  }

  /** Sets the element at {@code index}, with volatile semantics. */
  public void set(int index, long value) {
    LONG.setVolatile(segment, at(index), value);
  }

  /** Adds {@code delta} to the element at {@code index} atomically; returns the old value. */
  public long getAndAdd(int index, long delta) {
    return (long) LONG.getAndAdd(segment, at(index), delta);
  }

  /** Adds {@code delta} to the element at {@code index} atomically; returns the new value. */
  public long addAndGet(int index, long delta) {
    return getAndAdd(index, delta) + delta;
  }

  /** Adds one to the element at {@code index} atomically; returns the new value. */
  public long incrementAndGet(int index) {
    return addAndGet(index, 1);
  }

  /** Sets the element to {@code update} if it is {@code expected}; returns whether it did. */
  public boolean compareAndSet(int index, long expected, long update) {
    return LONG.compareAndSet(segment, at(index), expected, update);
  }

  private long at(int index) {
    Objects.checkIndex(index, length);
    return offset + (long) index * Long.BYTES;
  }

  @Override
  public String toString() {
    return "SharedLongArray[" + length + " at " + offset + " in " + memory.path() + "]";
  }

  @Serial
  private Object writeReplace() {
    return new SharedMemory.Ref(memory.path().toString(), offset, length, "long[]");
  }
}
