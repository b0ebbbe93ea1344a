package dev.weft;

import java.io.Serial;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Probe} in this JVM. It is serializable as a number naming its state in a registry, so
 * work that is serialized and run in this same JVM (as {@code InterceptedPoolTest} does) still
 * shares it with the test.
 */
final class InProcessProbe implements Probe {
  @Serial private static final long serialVersionUID = 1L;
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Map<Integer, State> STATES = new ConcurrentHashMap<>();

  private final int id;

  InProcessProbe() {
    this.id = IDS.incrementAndGet();
    STATES.put(id, new State());
  }

  private State state() {
    return STATES.get(id);
  }

  @Override
  public long increment() {
    return state().add(1);
  }

  @Override
  public long decrement() {
    return state().add(-1);
  }

  @Override
  public void raiseTo(long candidate) {
    State state = state();
    state.lock.lock();
    try {
      state.value = Math.max(state.value, candidate);
    } finally {
      state.lock.unlock();
    }
  }

  @Override
  public long value() {
    State state = state();
    state.lock.lock();
    try {
      return state.value;
    } finally {
      state.lock.unlock();
    }
  }

  @Override
  public void awaitAtLeast(long n) throws InterruptedException {
    State state = state();
    state.lock.lock();
    try {
      while (state.value < n) {
        state.changed.await();
      }
    } finally {
      state.lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "Probe[" + value() + "]";
  }

  private static final class State {
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    long value; // guarded by lock

    long add(long delta) {
      lock.lock();
      try {
        value += delta;
        changed.signalAll();
        return value;
      } finally {
        lock.unlock();
      }
    }
  }
}
