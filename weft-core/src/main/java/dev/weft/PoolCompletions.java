package dev.weft;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A lock-free queue of ended items with many producers (the items' threads) and one consumer (the
 * thread iterating an unordered map): {@link java.util.concurrent.ExecutorCompletionService}'s
 * queue without its lock.
 *
 * <p>Thread contract: {@link #add} is called from any thread; {@link #take} by one consumer only.
 * {@code waiter} is the consumer while it may park, else null: the consumer writes it before its
 * last poll and a producer reads it after its offer, both volatile, so a producer either sees the
 * waiter (and unparks it) or the consumer sees the item. The producer that unparks the consumer
 * takes {@code waiter} with an atomic swap, so a burst of completions costs one unpark (a system
 * call for a platform thread), not one each.
 */
final class PoolCompletions<E> {
  private static final VarHandle WAITER;

  static {
    try {
      WAITER =
          MethodHandles.lookup().findVarHandle(PoolCompletions.class, "waiter", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConcurrentLinkedQueue<E> queue = new ConcurrentLinkedQueue<>();

  @SuppressWarnings("unused") // accessed through WAITER too
  private volatile Thread waiter;

  void add(E element) {
    queue.offer(element);
    if (waiter != null) {
      Thread parked = (Thread) WAITER.getAndSet(this, (Thread) null);
      if (parked != null) {
        LockSupport.unpark(parked);
      }
    }
  }

  /** The oldest element, waiting for one if there is none. */
  E take() throws InterruptedException {
    E element = queue.poll();
    if (element != null) {
      return element;
    }
    Thread current = Thread.currentThread();
    try {
      while (true) {
        waiter = current;
        if ((element = queue.poll()) != null) {
          return element;
        }
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        LockSupport.park(this);
      }
    } finally {
      waiter = null;
    }
  }
}
