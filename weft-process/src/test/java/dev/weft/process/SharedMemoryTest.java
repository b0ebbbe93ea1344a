package dev.weft.process;

import static dev.weft.process.Fixtures.callAsync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.QueueClosedException;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shared arrays, the cross-process lock and the queue, used from four worker processes. */
@Timeout(90) // a broken worker protocol fails the class instead of hanging the build
class SharedMemoryTest {
  private static ProcessPool pool;
  private static SharedMemory memory;

  @BeforeAll
  static void start() throws InterruptedException {
    pool = ProcessPool.start(ProcessPool.Options.workers(4).withStart(ProcessPool.Start.EAGER));
    memory = SharedMemory.create(1 << 20);
    pool.awaitStarted();
  }

  @AfterAll
  static void stop() {
    pool.close();
    memory.close();
  }

  @Test
  void aCounterIncrementedFromFourProcessesUnderTheLockEndsExact() throws Exception {
    SharedLongArray counters = memory.longArray(2);
    SharedLock lock = memory.lock();
    int rounds = 2_000;
    SerializableCallable<Long> work = () -> {
      for (int i = 0; i < rounds; i++) {
        lock.lock();
        try {
          counters.set(0, counters.get(0) + 1); // a read-modify-write only the lock makes safe
        } finally {
          lock.unlock();
        }
        counters.incrementAndGet(1);
      }
      return ProcessHandle.current().pid();
    };

    List<CompletableFuture<dev.weft.Outcome<Long>>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(callAsync(pool, work).result());
    }
    List<Long> pids = new ArrayList<>();
    for (var call : calls) {
      pids.add(call.get(60, TimeUnit.SECONDS).value());
    }

    assertThat(pids).doesNotHaveDuplicates().doesNotContain(ProcessHandle.current().pid());
    assertThat(counters.get(0)).isEqualTo(4L * rounds);
    assertThat(counters.get(1)).isEqualTo(4L * rounds);
    assertThat(lock.stats().ownerPid()).isZero();
  }

  @Test
  void whatAWorkerWritesTheParentReads() throws InterruptedException {
    SharedLongArray cells = memory.longArray(3);

    pool.call((SerializableCallable<Boolean>) () -> {
      cells.set(2, 42);
      return cells.compareAndSet(0, 0, 7);
    });

    assertThat(cells.get(0)).isEqualTo(7);
    assertThat(cells.get(2)).isEqualTo(42);
    assertThat(cells.length()).isEqualTo(3);
    assertThatThrownBy(() -> cells.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void doublesAddUpAtomicallyAcrossProcesses() throws Exception {
    SharedDoubleArray total = memory.doubleArray(1);
    SerializableCallable<Double> add = () -> {
      for (int i = 0; i < 1_000; i++) {
        total.addAndGet(0, 0.5);
      }
      return total.get(0);
    };

    var first = callAsync(pool, add).result();
    var second = callAsync(pool, add).result();
    first.get(30, TimeUnit.SECONDS).value();
    second.get(30, TimeUnit.SECONDS).value();

    assertThat(total.get(0)).isEqualTo(1_000.0);
    assertThat(total.compareAndSet(0, 1_000.0, 1.5)).isTrue();
    assertThat(total.get(0)).isEqualTo(1.5);
  }

  @Test
  void theLockExcludesAndOnlyItsOwnerUnlocks() throws Exception {
    SharedLock lock = memory.lock();
    assertThat(lock.tryLock()).isTrue();

    boolean otherThread = CompletableFuture.supplyAsync(lock::tryLock).get(20, TimeUnit.SECONDS);
    var stranger = CompletableFuture.runAsync(lock::unlock);

    assertThat(otherThread).isFalse();
    assertThatThrownBy(() -> stranger.get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalMonitorStateException.class)
        .cause()
        .hasMessage(lock + " is not held by this thread");
    assertThat(lock.stats().ownerPid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(lock.tryLock(Duration.ofMillis(5))).isFalse();
    lock.unlock();
    try (var _ = lock.acquire()) {
      assertThat(lock.stats().ownerPid()).isEqualTo(ProcessHandle.current().pid());
    }
    assertThat(lock.stats().ownerPid()).isZero();
  }

  @Test
  void aLockHeldByADeadProcessIsTakenOver() throws Exception {
    SharedLock lock = memory.lock();
    Process gone = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(gone.waitFor(20, TimeUnit.SECONDS)).isTrue();
    long word = (gone.pid() << 32) | 1;
    memory.segment().set(ValueLayout.JAVA_LONG, offsetOf(lock), word);

    assertThat(lock.tryLock()).isFalse();
    assertThat(lock.tryLock(Duration.ofSeconds(20))).isTrue();
    lock.unlock();
  }

  private static long offsetOf(SharedLock lock) {
    String text = lock.toString(); // SharedLock[OFFSET in PATH]
    return Long.parseLong(text.substring("SharedLock[".length(), text.indexOf(' ')));
  }

  @Test
  void workersDrainAQueueAndTheParentJoinsIt() throws Exception {
    SharedQueue<String> queue = memory.queue(String.class, 8, 64);
    SerializableCallable<Integer> consumer = () -> {
      int taken = 0;
      try {
        while (true) {
          queue.take();
          queue.taskDone();
          taken++;
        }
      } catch (QueueClosedException end) {
        return taken;
      }
    };
    var first = callAsync(pool, consumer).result();
    var second = callAsync(pool, consumer).result();

    for (int i = 0; i < 100; i++) {
      queue.put("item " + i); // 8 slots: the producer waits for the consumers
    }
    queue.join(Duration.ofSeconds(30));
    queue.close();

    int total = first.get(30, TimeUnit.SECONDS).value() + second.get(30, TimeUnit.SECONDS).value();
    assertThat(total).isEqualTo(100);
    assertThat(queue.stats()).isEqualTo(new SharedQueue.Stats(0, 8, 100, 100, 0));
    assertThatThrownBy(() -> queue.put("late")).isInstanceOf(QueueClosedException.class).hasMessage(queue + " is closed");
  }

  @Test
  void aWorkerStreamsItemsToTheParentThroughAQueue() throws Exception {
    SharedQueue<Integer> pipe = memory.queue(Integer.class, 4, 128);
    var producer = callAsync(pool, (SerializableCallable<Integer>) () -> {
      for (int i = 1; i <= 50; i++) {
        pipe.put(i);
      }
      pipe.close();
      return 50;
    }).result();

    long sum = 0;
    try {
      while (true) {
        sum += pipe.take();
        pipe.taskDone();
      }
    } catch (QueueClosedException end) {
      assertThat(end).hasMessage(pipe + " is closed and empty");
    }

    assertThat(producer.get(30, TimeUnit.SECONDS).value()).isEqualTo(50);
    assertThat(sum).isEqualTo(50 * 51 / 2);
  }

  @Test
  void aQueueRefusesWhatCannotCrossAndHonoursItsNonBlockingCalls() throws InterruptedException {
    SharedQueue<Object> queue = memory.queue(Object.class, 1, 64);

    assertThatThrownBy(() -> queue.put(new Object()))
        .isInstanceOf(UnsendableException.class)
        .hasMessage("item cannot be queued: java.lang.Object is not Serializable");
    assertThatThrownBy(() -> queue.put("x".repeat(100)))
        .isInstanceOf(UnsendableException.class)
        .hasMessage("item is 107 bytes serialized, more than the queue's itemBytes 64");
    assertThat(queue.poll()).isNull();
    assertThat(queue.offer("a")).isTrue();
    assertThat(queue.offer("b")).isFalse();
    assertThat(queue.offer("b", Duration.ofMillis(5))).isFalse();
    assertThat(queue.poll(Duration.ofMillis(5))).isEqualTo("a");
    queue.taskDone();
    assertThatThrownBy(queue::taskDone).hasMessage("taskDone() called too many times on " + queue);
    assertThatThrownBy(() -> memory.queue(String.class, 0, 8)).hasMessage("capacity must be > 0: 0");
    assertThatThrownBy(() -> SharedMemory.create(0)).hasMessage("bytes must be > 0: 0");
  }
}
