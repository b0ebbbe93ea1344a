package dev.weft.net.internal;

import dev.weft.net.NetStats;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one listening port (or of a reactor's client connections), shared by the loops
 * that serve its connections. Thread-safe: atomics and adders; {@link #stats()} is a snapshot whose
 * fields are each exact but not taken at one instant.
 */
public final class PortCounters {
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder closed = new LongAdder();
  private final LongAdder acceptErrors = new LongAdder();
  private final AtomicInteger open = new AtomicInteger();
  final LongAdder bytesRead = new LongAdder();
  final LongAdder bytesWritten = new LongAdder();

  /** Reserves a place for a new connection; false (and counted as rejected) at the limit. */
  public boolean tryOpen(int limit) {
    while (true) {
      int now = open.get();
      if (now >= limit) {
        rejected.increment();
        return false;
      }
      if (open.compareAndSet(now, now + 1)) {
        accepted.increment();
        return true;
      }
    }
  }

  /** A connection counted by {@link #tryOpen} closed. */
  public void closed() {
    open.decrementAndGet();
    closed.increment();
  }

  public void acceptFailed() {
    acceptErrors.increment();
  }

  public void read(long bytes) {
    bytesRead.add(bytes);
  }

  public void wrote(long bytes) {
    bytesWritten.add(bytes);
  }

  public int open() {
    return open.get();
  }

  public NetStats stats() {
    return new NetStats(
        accepted.sum(), rejected.sum(), open.get(), closed.sum(), acceptErrors.sum(), bytesRead.sum(), bytesWritten.sum());
  }
}
