package dev.weft.cli.fetch;

import dev.weft.Clock;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * Closes a stream when nothing was read from it for a while: the read timeout of a body whose
 * client has none. The reader calls {@link #progressed()} after each read; an alarm on the clock
 * checks the time since the last one and either closes the stream or sets itself again.
 *
 * <p>Thread contract: {@link #progressed()} and {@link #close()} run on the reading thread, the
 * check on the clock's alarm thread; the shared fields are volatile, and the lock makes closing
 * and re-arming exclusive.
 */
final class Watchdog implements AutoCloseable {
  private final Clock clock;
  private final long timeoutNanos;
  private final Closeable stream;
  private volatile long lastRead;
  private volatile boolean fired;
  private boolean closed; // guarded by this
  private Clock.Alarm alarm; // guarded by this

  private Watchdog(Clock clock, Duration timeout, Closeable stream) {
    this.clock = clock;
    this.timeoutNanos = timeout.toNanos();
    this.stream = stream;
    this.lastRead = clock.nanoTime();
  }

  /** Watches {@code stream}, closing it after {@code timeout} without a read. */
  static Watchdog start(Clock clock, Duration timeout, Closeable stream) {
    var watchdog = new Watchdog(clock, timeout, stream);
    watchdog.arm(timeout.toNanos());
    return watchdog;
  }

  /** Records a read. */
  void progressed() {
    lastRead = clock.nanoTime();
  }

  /** Whether the watchdog closed the stream. */
  boolean fired() {
    return fired;
  }

  private synchronized void arm(long nanos) {
    if (!closed) {
      alarm = clock.schedule(Duration.ofNanos(nanos), this::check);
    }
  }

  private void check() {
    long idle = clock.nanoTime() - lastRead;
    if (idle < timeoutNanos) {
      arm(timeoutNanos - idle);
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      fired = true;
    }
    Thread.ofVirtual().name("fetch-watchdog").start(this::closeStream); // alarm actions must not block
  }

  private void closeStream() {
    try {
      stream.close();
    } catch (IOException ignored) {
      // the reader sees the stream closed either way
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (alarm != null) {
      alarm.cancel();
    }
  }
}
