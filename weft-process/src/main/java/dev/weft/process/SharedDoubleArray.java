package dev.weft.process;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * An array of doubles in {@link SharedMemory}, read and written atomically from any process:
 * volatile reads and writes, and compare-and-set on the bits ({@link #addAndGet} loops on it).
 * Serializable: a task that captures the array finds the same memory in its worker.
 *
 * {@snippet class="dev.weft.process.snippets.ProcessSnippets" region="sharedDoubleArray" :
 * SharedDoubleArray total = memory.doubleArray(1);
 * pool.call((SerializableCallable<Double>) () -> total.addAndGet(0, 2.5));
 * }
 *
 * <p>Comparison with Python's {@code multiprocessing.Array('d', n)}: Python's elements need
 * {@code get_lock()} for a read-modify-write; here {@link #addAndGet} and {@link #compareAndSet}
 * are atomic across processes. Comparison uses the raw bits, as {@link Double#equals} does.
 *
 * <p>Thread contract: any thread of any process; no lock.
 */
public final class SharedDoubleArray implements Serializable {
  @Serial private static final long serialVersionUID = 1L;
  private static final VarHandle DOUBLE = ValueLayout.JAVA_DOUBLE.varHandle();

  private final transient SharedMemory memory;
  private final transient MemorySegment segment;
  private final long offset;
  private final int length;

  SharedDoubleArray(SharedMemory memory, long offset, int length) {
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
  public double get(int index) {
    return (double) DOUBLE.getVolatile(segment, at(index));
  }

  /** Sets the element at {@code index}, with volatile semantics. */
  public void set(int index, double value) {
    DOUBLE.setVolatile(segment, at(index), value);
  }

  /** Sets the element to {@code update} if its bits are {@code expected}'s; returns whether it did. */
  public boolean compareAndSet(int index, double expected, double update) {
    return DOUBLE.compareAndSet(segment, at(index), expected, update);
  }

  /** Adds {@code delta} to the element at {@code index} atomically; returns the new value. */
  public double addAndGet(int index, double delta) {
    long at = at(index);
    while (true) {
      double current = (double) DOUBLE.getVolatile(segment, at);
      double next = current + delta;
      if (DOUBLE.compareAndSet(segment, at, current, next)) {
        return next;
      }
    }
  }

  private long at(int index) {
    Objects.checkIndex(index, length);
    return offset + (long) index * Double.BYTES;
  }

  @Override
  public String toString() {
    return "SharedDoubleArray[" + length + " at " + offset + " in " + memory.path() + "]";
  }

  @Serial
  private Object writeReplace() {
    return new SharedMemory.Ref(memory.path().toString(), offset, length, "double[]");
  }
}
