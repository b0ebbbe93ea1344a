package dev.weft.process.snippets;

import dev.weft.Outcome;
import dev.weft.Pool;
import dev.weft.QueueClosedException;
import dev.weft.Task;
import dev.weft.process.ProcessPool;
import dev.weft.process.SerializableCallable;
import dev.weft.process.SerializableFunction;
import dev.weft.process.SharedDoubleArray;
import dev.weft.process.SharedLock;
import dev.weft.process.SharedLongArray;
import dev.weft.process.SharedMemory;
import dev.weft.process.SharedQueue;
import dev.weft.process.UnsendableException;
import dev.weft.process.WorkerDiedException;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The examples in the javadoc of weft-process's public types, compiled. Each type's javadoc quotes
 * its region of this file in a hybrid snippet ({@code {@snippet class=... region=... :}}):
 * {@code SnippetsTest} in weft-cli checks that the quoted text and the region are the same, and
 * javadoc checks it again when it renders them.
 */
@SuppressWarnings({"try", "serial"})
final class ProcessSnippets {
  private ProcessSnippets() {}

  /** Context for the example on {@link SharedQueue}. */
  static class SharedQueueExample {
    SharedMemory memory = SharedMemory.create(1 << 20);
    ProcessPool pool = ProcessPool.start(2);

    void run() throws Exception {
      SharedQueue<String> lines = memory.queue(String.class, 128, 1024); // @start region="sharedQueue"
      pool.call((SerializableCallable<Integer>) () -> {
        int n = 0;
        try {
          while (true) {
            lines.take(); // until closed and drained
            lines.taskDone();
            n++;
          }
        } catch (QueueClosedException end) {
          return n;
        }
      });
      // @end
    }
  }

  /** Context for the example on {@link SharedDoubleArray}. */
  static class SharedDoubleArrayExample {
    SharedMemory memory = SharedMemory.create(1 << 20);
    ProcessPool pool = ProcessPool.start(2);

    void run() throws Exception {
      SharedDoubleArray total = memory.doubleArray(1); // @start region="sharedDoubleArray"
      pool.call((SerializableCallable<Double>) () -> total.addAndGet(0, 2.5));
      // @end
    }
  }

  /** Context for the example on {@link SharedLock}. */
  static class SharedLockExample {
    SharedMemory memory = SharedMemory.create(1 << 20);
    ProcessPool pool = ProcessPool.start(2);
    SharedLongArray counter = memory.longArray(1);

    void run() throws Exception {
      SharedLock lock = memory.lock(); // @start region="sharedLock"
      try (var _ = lock.acquire()) {
        counter.set(0, counter.get(0) + 1);
      }
      // @end
    }
  }

  /** Context for the example on {@link SerializableFunction}. */
  static class SerializableFunctionExample {
    Pool pool = Pool.threads(2);

    void run() throws Exception {
      SerializableFunction<Integer, Long> square = i -> (long) i * i; // @start region="serializableFunction"
      List<Long> squares = pool.map(square, List.of(1, 2, 3)); // computed in the workers
      // @end
    }
  }

  /** Context for the example on {@link SharedMemory}. */
  static class SharedMemoryExample {
    void run() throws Exception {
      try (var memory = SharedMemory.create(1 << 20); var pool = ProcessPool.start(4)) { // @start region="sharedMemory"
        SharedLongArray counter = memory.longArray(1);
        pool.call((SerializableCallable<Long>) () -> counter.incrementAndGet(0));
        System.out.println(counter.get(0)); // 1
      }
      // @end
    }
  }

  /** Context for the example on {@link SharedLongArray}. */
  static class SharedLongArrayExample {
    SharedMemory memory = SharedMemory.create(1 << 20);
    ProcessPool pool = ProcessPool.start(2);

    void run() throws Exception {
      SharedLongArray hits = memory.longArray(1); // @start region="sharedLongArray"
      pool.call((SerializableCallable<Long>) () -> hits.incrementAndGet(0));
      // @end
    }
  }

  /** Context for the example on {@link WorkerDiedException}. */
  static class WorkerDiedExceptionExample {
    void run() throws Exception {
      try (Pool pool = ProcessPool.create(2)) { // @start region="workerDiedException"
        Task<Integer> crash = pool.submit((SerializableCallable<Integer>) () -> {
          Runtime.getRuntime().halt(3); // as a native crash or the kernel's OOM killer would
          return 0;
        });
        try {
          crash.join();
        } catch (WorkerDiedException e) {
          System.err.println(e.getMessage()); // worker 1 exited with status 3
        }
        Task<Long> next = pool.submit((SerializableCallable<Long>) () -> 42L); // a fresh worker
        System.out.println(next.join());
      }
      // @end
    }
  }

  /** Context for the example on {@link ProcessPool}. */
  static class ProcessPoolExample {
    void run() throws Exception {
      try (Pool pool = ProcessPool.create(2)) {          // the same Pool as Pool.threads(2) // @start region="processPool"
        SerializableFunction<Integer, Long> square = i -> (long) i * i;
        List<Long> squares = pool.map(square, List.of(1, 2, 3)); // computed in two child JVMs
      }

      ProcessPool workers = ProcessPool.start(ProcessPool.Options.workers(2)); // to see the workers
      try (Pool pool = workers.asPool()) {
        Task<Long> pid = pool.submit((SerializableCallable<Long>) () -> ProcessHandle.current().pid());
        System.out.println(pid.join() + " among " + workers.workers());
      }
      // @end
    }
  }

  /** Context for the example on {@link SerializableCallable}. */
  static class SerializableCallableExample {
    ProcessPool pool = ProcessPool.start(2);

    void run() throws Exception {
      SerializableCallable<Long> task = () -> LongStream.range(0, 1_000_000).sum(); // @start region="serializableCallable"
      Outcome<Long> sum = pool.call(task);
      // @end
    }
  }

  /** Context for the example on {@link UnsendableException}. */
  static class UnsendableExceptionExample {
    void run() throws Exception {
      try (Pool pool = ProcessPool.create(1)) { // @start region="unsendableException"
        Thread caller = Thread.currentThread();
        try {
          pool.submit((SerializableCallable<String>) () -> caller.getName()).join();
        } catch (UnsendableException e) {
          System.err.println(e.getMessage()); // names java.lang.Thread, which cannot be serialized
        }
      }
      // @end
    }
  }
}
