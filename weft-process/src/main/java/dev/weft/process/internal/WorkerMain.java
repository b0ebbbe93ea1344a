package dev.weft.process.internal;

import dev.weft.Clock;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The main class of a worker process. It reads tasks from stdin and runs each on its main thread,
 * one at a time, answering on the original stdout; {@code System.out} is redirected to stderr.
 *
 * <p>The worker never outlives its parent: the end of stdin (the parent's end of the pipe closes
 * when the parent dies, even by {@code kill -9}) halts it, and while a task runs a watcher thread
 * halts it when its parent process is gone. An {@link OutOfMemoryError} is reported as {@link
 * Wire#FATAL} and the worker halts with status 3, since its heap may be in any state.
 *
 * <p>Thread contract: the main thread reads stdin, runs tasks and writes replies; the daemon
 * thread {@code weft-parent-watch} only reads the parent's process handle.
 */
public final class WorkerMain {
  static final int OUT_OF_MEMORY_STATUS = 3;
  private static final Duration PARENT_POLL = Duration.ofMillis(200);

  /** Freed on OutOfMemoryError so the report can be written. */
  private static byte[] reserve = new byte[64 * 1024];

  private WorkerMain() {}

  public static void main(String[] args) throws IOException {
    var replies = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    Thread.setDefaultUncaughtExceptionHandler(WorkerMain::uncaught);
    watchParent(Long.getLong("weft.process.parent", -1));
    int workerId = Integer.getInteger("weft.process.worker", 0);
    var tasks = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
    Wire.write(replies, Wire.Message.of(Wire.HELLO, 0, Wire.MAGIC, Long.toString(ProcessHandle.current().pid())));
    while (true) {
      Wire.Message message;
      try {
        message = Wire.read(tasks);
      } catch (EOFException parentGone) {
        Runtime.getRuntime().halt(0);
        return;
      }
      switch (message.type()) {
        case Wire.TASK -> Wire.write(replies, run(workerId, message, replies));
        case Wire.STOP -> Runtime.getRuntime().halt(0);
        default -> throw new IOException("unknown message type from the parent: " + message.type());
      }
    }
  }

  private static Wire.Message run(int workerId, Wire.Message message, DataOutputStream replies) {
    long id = message.id();
    Codec.Filter filter = Codec.exactly(message.strings());
    Callable<?> task;
    try {
      task = (Callable<?>) Codec.decode(message.body(), filter);
    } catch (ClassNotFoundException | IOException | ClassCastException e) {
      String why = filter.rejected() != null
          ? "class is not allowed by the worker's filter: " + filter.rejected()
          : e.toString();
      return Wire.Message.of(Wire.UNSENDABLE, id, "task cannot be received by worker " + workerId + ": " + why);
    }
    Object value;
    try {
      value = task.call();
    } catch (OutOfMemoryError oom) {
      reserve = null;
      dieOf(oom, id, replies);
      return null; // unreachable: dieOf halts
    } catch (Throwable thrown) {
      Thread.interrupted();
      return reply(workerId, Wire.THROWN, id, thrown, "failure");
    }
    Thread.interrupted();
    return reply(workerId, Wire.VALUE, id, value, "result");
  }

  private static Wire.Message reply(int workerId, byte type, long id, Object payload, String what) {
    try {
      Codec.Encoded encoded = Codec.encode(payload);
      return new Wire.Message(type, id, java.util.List.of(), encoded.bytes());
    } catch (NotSerializableException e) {
      String extra = type == Wire.THROWN ? " (" + payload + ")" : "";
      return Wire.Message.of(Wire.UNSENDABLE, id,
          what + " cannot be sent back from worker " + workerId + ": " + e.getMessage() + " is not Serializable" + extra);
    } catch (IOException | RuntimeException e) {
      return Wire.Message.of(Wire.UNSENDABLE, id,
          what + " cannot be sent back from worker " + workerId + ": " + e);
    }
  }

  private static void dieOf(OutOfMemoryError oom, long id, DataOutputStream replies) {
    try {
      Wire.write(replies, Wire.Message.of(Wire.FATAL, id, oom.toString()));
    } catch (Throwable ignored) {
      // the parent still sees the exit status
    }
    Runtime.getRuntime().halt(OUT_OF_MEMORY_STATUS);
  }

  private static void uncaught(Thread thread, Throwable error) {
    if (error instanceof OutOfMemoryError) {
      Runtime.getRuntime().halt(OUT_OF_MEMORY_STATUS);
    }
    System.err.println("weft worker: uncaught in " + thread.getName() + ": " + error);
  }

  /** Halts this worker when its parent is gone (it has been re-parented). */
  private static void watchParent(long parentPid) {
    if (parentPid <= 0) {
      return;
    }
    Thread.ofPlatform().daemon().name("weft-parent-watch").start(() -> {
      Clock clock = Clock.system();
      try {
        while (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == parentPid) {
          clock.sleep(PARENT_POLL);
        }
      } catch (InterruptedException e) {
        return;
      }
      Runtime.getRuntime().halt(0);
    });
  }
}
