package dev.weft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tasks of a {@link TaskGroupImpl} whose threads have not finished, and the counts of those
 * that have: what the group cancels, shows and waits for.
 *
 * <p>Why this shape: spawning is the hot path, so no step of it may take a lock or update a word
 * that every task's thread also updates more than needed. A {@code ConcurrentHashMap} key set
 * (which the JDK's executor already pays for its own thread tracking) doubled the cost of a
 * spawn; striped monitors were still 1.5 times a bare spawn, because a virtual thread that meets
 * a held monitor parks. Here task {@code n} owns slot {@code n} in chunks of {@value #CHUNK}
 * slots: spawning writes its slot, ending clears it and bumps its chunk's packed outcome counts;
 * the chunk leaves the list when all its slots have ended. Only chunk creation and removal (once
 * per {@value #CHUNK} tasks) and snapshots take {@code lock}.
 *
 * <p>{@code pending} counts the task threads that have not finished plus one for the owner while
 * it has not begun to close. Once close sees it at zero it swaps in {@link #CLOSED} (negative),
 * after which {@link #enter()} refuses; a spawn is thus either counted before the group is seen
 * empty or refused: never an orphan.
 *
 * <p>Thread contract: {@link #enter} and {@link #add} are called by spawners, {@link #leave} by
 * the thread of the task (or the spawner, for a task never started), the rest by anyone. {@code
 * lock} guards {@code chunks} and the {@code retired} counts; slots and chunk counts are atomics.
 * The lock is never held across a call out of this class.
 */
final class TaskGroupMembers {
  private static final int SHIFT = 8;
  private static final int CHUNK = 1 << SHIFT;
  private static final long CLOSED = Long.MIN_VALUE;
  private static final int BITS = 21;
  private static final long FIELD = (1L << BITS) - 1;

  private final AtomicLong pending = new AtomicLong(1);
  private final AtomicLong sequence = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Chunk> chunks = new ArrayList<>();
  private volatile Chunk newest;
  private long retiredSucceeded;
  private long retiredFailed;
  private long retiredCancelled;

  /** Counts a new task in and returns its number (from 1), or 0 if the group is closed. */
  long enter() {
    if (pending.getAndIncrement() < 0) {
      return 0;
    }
    return sequence.incrementAndGet();
  }

  /** Registers the task of a number {@link #enter()} gave. */
  Member add(TaskGroupImpl group, TaskImpl<?> task, long number) {
    long index = number - 1;
    Chunk chunk = newest;
    if (chunk == null || chunk.id != index >>> SHIFT) {
      chunk = chunkFor(index >>> SHIFT);
    }
    int slot = (int) (index & (CHUNK - 1));
    chunk.slots.set(slot, task);
    return new Member(group, task, chunk, slot);
  }

  private Chunk chunkFor(long id) {
    lock.lock();
    try {
      for (int i = chunks.size() - 1; i >= 0; i--) {
        if (chunks.get(i).id == id) {
          return chunks.get(i);
        }
      }
      var chunk = new Chunk(id);
      chunks.add(chunk);
      if (newest == null || newest.id < id) {
        newest = chunk;
      }
      return chunk;
    } finally {
      lock.unlock();
    }
  }

  /** Removes an ended task's member and counts its outcome; true if nothing is pending now. */
  boolean leave(Member member) {
    int shift =
        switch (member.task.state()) {
          case SUCCESS -> 0;
          case FAILED -> BITS;
          default -> 2 * BITS;
        };
    Chunk chunk = member.chunk;
    // release is enough: a canceller that still sees the task cancels a done task, harmlessly
    chunk.slots.setRelease(member.slot, null);
    long counts = chunk.counts.addAndGet(1L << shift);
    if (total(counts) == CHUNK) {
      retire(chunk, counts);
    }
    return pending.decrementAndGet() == 0;
  }

  /** The owner stops holding the group open; true if nothing is pending now. */
  boolean release() {
    return pending.decrementAndGet() == 0;
  }

  /** Closes for good if nothing is pending; returns whether it is closed. */
  boolean tryClose() {
    return pending.get() == CLOSED || pending.compareAndSet(0, CLOSED);
  }

  private void retire(Chunk chunk, long counts) {
    lock.lock();
    try {
      chunks.remove(chunk);
      retiredSucceeded += counts & FIELD;
      retiredFailed += (counts >>> BITS) & FIELD;
      retiredCancelled += (counts >>> 2 * BITS) & FIELD;
    } finally {
      lock.unlock();
    }
  }

  private static long total(long counts) {
    return (counts & FIELD) + ((counts >>> BITS) & FIELD) + ((counts >>> 2 * BITS) & FIELD);
  }

  /** The tasks registered and not yet ended, each slot read once. */
  List<TaskImpl<?>> snapshot() {
    var tasks = new ArrayList<TaskImpl<?>>();
    for (Chunk chunk : chunks()) {
      for (int i = 0; i < CHUNK; i++) {
        TaskImpl<?> task = chunk.slots.get(i);
        if (task != null) {
          tasks.add(task);
        }
      }
    }
    return tasks;
  }

  private List<Chunk> chunks() {
    lock.lock();
    try {
      return List.copyOf(chunks);
    } finally {
      lock.unlock();
    }
  }

  /** Counts read chunk by chunk, so only roughly consistent while tasks run. */
  TaskGroup.Stats stats() {
    lock.lock();
    try {
      long succeeded = retiredSucceeded;
      long failed = retiredFailed;
      long cancelled = retiredCancelled;
      for (Chunk chunk : chunks) {
        long counts = chunk.counts.get();
        succeeded += counts & FIELD;
        failed += (counts >>> BITS) & FIELD;
        cancelled += (counts >>> 2 * BITS) & FIELD;
      }
      long running = Math.max(0, sequence.get() - succeeded - failed - cancelled);
      return new TaskGroup.Stats(running, succeeded, failed, cancelled);
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@value #CHUNK} slots and their outcome counts, packed in one long as three {@value #BITS}-bit
   * fields (succeeded, failed, cancelled), so ending a task is one atomic add.
   */
  static final class Chunk {
    final long id;
    final AtomicReferenceArray<TaskImpl<?>> slots = new AtomicReferenceArray<>(CHUNK);
    final AtomicLong counts = new AtomicLong();

    Chunk(long id) {
      this.id = id;
    }
  }

  /** A task of the group: where it is registered, and the body of its thread. */
  static final class Member implements Runnable {
    final TaskImpl<?> task;
    private final TaskGroupImpl group;
    private final Chunk chunk;
    private final int slot;

    private Member(TaskGroupImpl group, TaskImpl<?> task, Chunk chunk, int slot) {
      this.group = group;
      this.task = task;
      this.chunk = chunk;
      this.slot = slot;
    }

    @Override
    public void run() {
      group.run(this);
    }
  }
}
