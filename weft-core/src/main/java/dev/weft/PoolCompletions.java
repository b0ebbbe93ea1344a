package dev.weft;

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
 * waiter (and unparks it) or the consumer sees the item.
 */
final class PoolCompletions<E> {
  private final ConcurrentLinkedQueue<E> queue = new ConcurrentLinkedQueue<>();
  private volatile Thread waiter;

  void add(E element) {
    queue.offer(element);
    Thread parked = waiter;
    if (parked != null) {
      LockSupport.unpark(parked);
    }
  }

  /** The oldest element, waiting for one if there is none. */
  E take() throws InterruptedException {
    E element = queue.poll();
    if (element != null) {
      return element;
    }
    waiter = Thread.currentThread();
    try {
      while ((element = queue.poll()) == null) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        LockSupport.park(this);
      }
      return element;
    } finally {
      waiter = null;
    }
  }
}
