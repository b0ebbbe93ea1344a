package dev.weft.process;

import dev.weft.Clock;
import dev.weft.process.internal.Backoff;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * A mutual-exclusion lock that works across processes: one word in {@link SharedMemory} holding
 * the owner (its pid and thread), taken with compare-and-set; a waiter spins, yields, then sleeps
 * for doubling times on the clock. Not reentrant. Serializable: a task that captures the lock
 * finds the same lock in its worker.
 *
 * {@snippet class="dev.weft.process.snippets.ProcessSnippets" region="sharedLock" :
 * SharedLock lock = memory.lock();
 * try (var _ = lock.acquire()) {
 *   counter.set(0, counter.get(0) + 1);
 * }
 * }
 *
 * <p>A lock whose owner process died holding it (a worker killed mid-section) is taken over by
 * the next waiter that sees the owner gone, as a robust futex would be; the memory it guarded
 * may be half-updated, as with any crash.
 *
 * <h2>Comparison with Python's {@code multiprocessing.Lock} and the JDK</h2>
 *
 * Python's lock is a POSIX semaphore; this one is a word in shared memory, so it needs no
 * kernel object and survives being sent to another process. Unlike {@link
 * java.nio.channels.FileLock}, it excludes threads of the same process from each other too.
 * Unlike {@link java.util.concurrent.locks.ReentrantLock}, waiting is by polling with backoff, so
 * hand-over takes microseconds to a millisecond: hold it briefly.
 *
 * <p>Thread contract: any thread of any process. The thread that locked must unlock.
 */
public final class SharedLock implements Serializable {
  @Serial private static final long serialVersionUID = 1L;
  private static final VarHandle LONG = SharedMemory.LONG;
  private static final long PID = ProcessHandle.current().pid();
  private static final int OWNER_CHECK_ROUNDS = 256;

  private final transient SharedMemory memory;
  private final transient MemorySegment segment;
  private final long offset;

  SharedLock(SharedMemory memory, long offset) {
    this.memory = memory;
    this.segment = memory.segment();
    this.offset = offset;
  }

  /** Takes the lock if it is free; never waits. */
  public boolean tryLock() {
    return LONG.compareAndSet(segment, offset, 0L, token());
  }

  /** Takes the lock, waiting as long as needed. */
  public void lock() throws InterruptedException {
    var backoff = new Backoff(Clock.system());
    while (!tryLock()) {
      backoff.pause();
      if (backoff.rounds() % OWNER_CHECK_ROUNDS == 0) {
        takeOverFromDeadOwner();
      }
    }
  }

  /** Takes the lock, waiting at most {@code timeout}; returns whether it did. */
  public boolean tryLock(Duration timeout) throws InterruptedException {
    Clock clock = Clock.system();
    long deadline = clock.nanoTime() + timeout.toNanos();
    var backoff = new Backoff(clock);
    while (!tryLock()) {
      if (clock.nanoTime() - deadline >= 0) {
        return false;
      }
      backoff.pause();
      if (backoff.rounds() % OWNER_CHECK_ROUNDS == 0) {
        takeOverFromDeadOwner();
      }
    }
    return true;
  }

  /** Takes the lock and returns a handle whose {@code close()} unlocks it, for try-with-resources. */
  public Held acquire() throws InterruptedException {
    lock();
    return this::unlock;
  }

  /**
   * Releases the lock.
   *
   * @throws IllegalMonitorStateException if the calling thread does not hold it
   */
  public void unlock() {
    if (!LONG.compareAndSet(segment, offset, token(), 0L)) {
      throw new IllegalMonitorStateException(this + " is not held by this thread");
    }
  }

  /** Who holds the lock now. */
  public Stats stats() {
    long word = (long) LONG.getVolatile(segment, offset);
    return new Stats(word >>> 32);
  }

  /** Who holds a lock: the owner's pid, or 0 when it is free. */
  public record Stats(long ownerPid) {}

  /** A held lock; closing it unlocks. */
  @FunctionalInterface
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  private void takeOverFromDeadOwner() {
    long word = (long) LONG.getVolatile(segment, offset);
    long ownerPid = word >>> 32;
    if (word != 0 && ownerPid != PID && ProcessHandle.of(ownerPid).map(h -> !h.isAlive()).orElse(true)) {
      LONG.compareAndSet(segment, offset, word, 0L);
    }
  }

  private static long token() {
    return (PID << 32) | ((Thread.currentThread().threadId() + 1) & 0xffff_ffffL);
  }

  @Override
  public String toString() {
    return "SharedLock[" + offset + " in " + memory.path() + "]";
  }

  @Serial
  private Object writeReplace() {
    return new SharedMemory.Ref(memory.path().toString(), offset, 1, "lock");
  }
}
