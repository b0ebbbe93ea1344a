package dev.weft.process.internal;

import dev.weft.Clock;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The parent's handle on one worker process: its pipes, a reader thread, and the one exchange in
 * flight.
 *
 * <p>Thread contract: {@link #exchange} is called by one thread at a time, the one the pool lent
 * the worker to. The platform daemon thread {@code weft-worker-N} reads every reply, records the
 * worker's death and tells the pool through {@code onDeath} (which must not block). {@code lock}
 * guards {@code reply}, {@code death} and {@code ready}; {@code killedBy} is volatile.
 */
public final class WorkerProcess {
  private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

  private final int id;
  private final Process process;
  private final DataOutputStream toWorker;
  private final Clock clock;
  private final Consumer<WorkerProcess> onDeath;
  private final Lock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final long startedNanos;
  private Wire.Message reply;
  private String death;
  private boolean ready;
  private volatile String killedBy;
  private volatile String fatal;
  private volatile int tasksRun;

  private WorkerProcess(int id, Process process, Clock clock, Consumer<WorkerProcess> onDeath) {
    this.id = id;
    this.process = process;
    this.clock = clock;
    this.onDeath = onDeath;
    this.startedNanos = clock.nanoTime();
    this.toWorker = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
  }

  /** Starts worker {@code id} with {@code jvmOptions}; returns once the process exists. */
  public static WorkerProcess start(int id, List<String> jvmOptions, Clock clock, Consumer<WorkerProcess> onDeath)
      throws IOException {
    Process process =
        new ProcessBuilder(Launcher.command(id, jvmOptions))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    var worker = new WorkerProcess(id, process, clock, onDeath);
    Thread.ofPlatform().daemon().name("weft-worker-" + id).start(worker::readReplies);
    return worker;
  }

  public int id() {
    return id;
  }

  public long pid() {
    return process.pid();
  }

  public int tasksRun() {
    return tasksRun;
  }

  public long startedNanos() {
    return startedNanos;
  }

  /** True until the worker has died or been killed. */
  public boolean isUsable() {
    lock.lock();
    try {
      return death == null && killedBy == null;
    } finally {
      lock.unlock();
    }
  }

  /** True once the worker has said hello. */
  public boolean isReady() {
    lock.lock();
    try {
      return ready;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the worker has said hello or died; returns true if it is ready. */
  public boolean awaitReady() throws InterruptedException {
    lock.lock();
    try {
      while (!ready && death == null) {
        clock.awaitNanos(lock, changed, Long.MAX_VALUE);
      }
      return ready;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends {@code task} and waits at most {@code timeout} (null: no limit) for the reply. Returns
   * the reply, or a {@link Wire#DIED} message naming how the worker ended.
   */
  public Wire.Message exchange(Wire.Message task, Duration timeout) throws InterruptedException, TimeoutException {
    try {
      Wire.write(toWorker, task);
    } catch (IOException brokenPipe) {
      // the worker is gone: the reader sees the end of the channel and records how
    }
    tasksRun++;
    long nanos = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
    lock.lock();
    try {
      while (reply == null && death == null) {
        if (nanos <= 0) {
          throw new TimeoutException("no reply within " + timeout);
        }
        nanos = clock.awaitNanos(lock, changed, nanos);
      }
      Wire.Message answer = reply != null ? reply : Wire.Message.of(Wire.DIED, task.id(), death);
      reply = null;
      return answer;
    } finally {
      lock.unlock();
    }
  }

  /** Kills the process (SIGKILL on Unix); {@code reason} replaces the exit status in reports. */
  public void kill(String reason) {
    killedBy = reason;
    process.destroyForcibly();
  }

  /** Asks an idle worker to exit. */
  public void stop() {
    killedBy = "stopped";
    try {
      Wire.write(toWorker, Wire.Message.of(Wire.STOP, 0));
      toWorker.close();
    } catch (IOException alreadyGone) {
      // nothing to stop
    }
  }

  /** Waits for the process to end. */
  public void awaitExit() throws InterruptedException {
    process.waitFor();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  private void readReplies() {
    var in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
    try {
      Wire.Message hello = Wire.read(in);
      if (hello.type() != Wire.HELLO || hello.strings().isEmpty() || !Wire.MAGIC.equals(hello.string(0))) {
        throw new IOException("worker " + id + " did not speak the weft protocol");
      }
      signal(() -> ready = true);
      while (true) {
        Wire.Message message = Wire.read(in);
        if (message.type() == Wire.FATAL) {
          fatal = message.string(0);
        } else {
          signal(() -> reply = message);
        }
      }
    } catch (IOException endOfChannel) {
      String how = howItEnded();
      signal(() -> death = how);
      onDeath.accept(this);
    }
  }

  private String howItEnded() {
    try {
      var exited = new CountDownLatch(1);
      process.onExit().thenRun(exited::countDown);
      Clock.Alarm alarm = clock.schedule(EXIT_GRACE, exited::countDown);
      exited.await();
      alarm.cancel();
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor();
        return "worker " + id + " closed its channel to the parent and was killed";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "worker " + id + " ended";
    }
    if (fatal != null) {
      return "worker " + id + " died of " + fatal;
    }
    if (killedBy != null) {
      return "worker " + id + " " + killedBy;
    }
    return "worker " + id + " " + Signals.describe(process.exitValue());
  }

  private void signal(Runnable change) {
    lock.lock();
    try {
      change.run();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "worker " + id + " (pid " + pid() + ")";
  }
}
