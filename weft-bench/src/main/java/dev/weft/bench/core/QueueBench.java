package dev.weft.bench.core;

import dev.weft.JoinableQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@code P} producers and {@code C} consumers ({@code sides=PxC}: 1x1, 4x4, 1x4 and 4x1) hand
 * {@code items} items through one bounded queue of {@code capacity}: {@link JoinableQueue} against
 * {@link ArrayBlockingQueue} and {@link LinkedBlockingQueue} of the same capacity, on the same kind
 * of thread.
 *
 * <p>One operation moves {@code items} items (1,000,000 by default; the 10,000,000 is ten
 * operations, or {@code -p items=10000000}). Each producer puts its share of the items and each
 * consumer takes exactly its share, so no poison pill is needed. The weft consumer also calls
 * {@code taskDone()} per item, the queue's reason to exist, and the producer side ends with
 * {@code join()}; the peers do the bare hand-off.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class QueueBench {
  private static final Integer ITEM = 42;

  @Param({"1000000"})
  public int items;

  @Param({"1024"})
  public int capacity;

  @Param({"virtual", "platform"})
  public String threads;

  @Param({"1x1", "4x4", "1x4", "4x1"})
  public String sides;

  private int producers() {
    return Integer.parseInt(sides.substring(0, sides.indexOf('x')));
  }

  private int consumers() {
    return Integer.parseInt(sides.substring(sides.indexOf('x') + 1));
  }

  @Benchmark
  public long queue_weft() throws InterruptedException {
    JoinableQueue<Integer> queue = JoinableQueue.bounded(capacity);
    int putShare = items / producers();
    int takeShare = putShare * producers() / consumers();
    long[] sums = new long[consumers()];
    List<Thread> all = new ArrayList<>();
    for (int p = 0; p < producers(); p++) {
      all.add(start(() -> {
        for (int i = 0; i < putShare; i++) {
          queue.put(ITEM);
        }
      }));
    }
    for (int c = 0; c < consumers(); c++) {
      int slot = c;
      all.add(start(() -> {
        long sum = 0;
        for (int i = 0; i < takeShare; i++) {
          sum += queue.take();
          queue.taskDone();
        }
        sums[slot] = sum;
      }));
    }
    queue.join();
    return joinAll(all, sums);
  }

  @Benchmark
  public long queue_abq() throws InterruptedException {
    return handOff(new ArrayBlockingQueue<>(capacity));
  }

  @Benchmark
  public long queue_lbq() throws InterruptedException {
    return handOff(new LinkedBlockingQueue<>(capacity));
  }

  private long handOff(BlockingQueue<Integer> queue) throws InterruptedException {
    int putShare = items / producers();
    int takeShare = putShare * producers() / consumers();
    long[] sums = new long[consumers()];
    List<Thread> all = new ArrayList<>();
    for (int p = 0; p < producers(); p++) {
      all.add(start(() -> {
        for (int i = 0; i < putShare; i++) {
          queue.put(ITEM);
        }
      }));
    }
    for (int c = 0; c < consumers(); c++) {
      int slot = c;
      all.add(start(() -> {
        long sum = 0;
        for (int i = 0; i < takeShare; i++) {
          sum += queue.take();
        }
        sums[slot] = sum;
      }));
    }
    return joinAll(all, sums);
  }

  private Thread start(Body body) {
    Runnable runnable = () -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    return threads.equals("virtual")
        ? Thread.ofVirtual().start(runnable)
        : Thread.ofPlatform().start(runnable);
  }

  private static long joinAll(List<Thread> all, long[] sums) throws InterruptedException {
    for (Thread thread : all) {
      thread.join();
    }
    long total = 0;
    for (long sum : sums) {
      total += sum;
    }
    return total;
  }

  /** A thread body that may block. */
  private interface Body {
    void run() throws InterruptedException;
  }
}
