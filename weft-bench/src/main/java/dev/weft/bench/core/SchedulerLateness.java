package dev.weft.bench.core;

import dev.weft.Scheduler;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Scheduler lateness, a small harness outside JMH because lateness is not the duration of an
 * operation: {@code events} events (100,000) are entered in random order, due at random times
 * spread uniformly over {@code window} (one second) starting {@code offset} (200 ms) from entry,
 * and each records when its action actually starts. Lateness = actual start − planned time, on
 * {@link System#nanoTime()}. Both schedulers are already running (waiting) when the events are
 * entered: weft's {@link Scheduler#run()} on a platform thread (and, as a second row, on a virtual
 * thread), the peer's one-thread {@link ScheduledThreadPoolExecutor} on its platform worker. One
 * warm-up round per row, then {@code rounds} (3) measured rounds, interleaved; percentiles over
 * all measured events. Prints a Markdown table.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.weft.bench.core.SchedulerLateness [events [rounds]]}
 */
public final class SchedulerLateness {
  private static final long OFFSET = TimeUnit.MILLISECONDS.toNanos(200);
  private static final long WINDOW = TimeUnit.SECONDS.toNanos(1);

  private SchedulerLateness() {}

  public static void main(String[] args) throws InterruptedException {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String[] rows = {"weft (platform runner)", "weft (virtual runner)", "ScheduledThreadPoolExecutor(1)"};
    long[][] lateness = new long[rows.length][];
    for (int round = -1; round < rounds; round++) {
      for (int row = 0; row < rows.length; row++) {
        long[] late = row == 2 ? stpe(events, round + 7) : weft(events, round + 7, row == 1);
        if (round >= 0) {
          lateness[row] = concat(lateness[row], late);
        }
      }
    }
    System.out.printf("%,d events over %d ms, %d rounds; lateness in µs%n", events, WINDOW / 1_000_000, rounds);
    System.out.println("| scheduler | p50 | p90 | p99 | p99.9 | max |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (int row = 0; row < rows.length; row++) {
      long[] late = lateness[row];
      Arrays.sort(late);
      System.out.printf(
          "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
          rows[row], micros(late, 0.50), micros(late, 0.90), micros(late, 0.99), micros(late, 0.999),
          late[late.length - 1] / 1000.0);
    }
  }

  private static long[] weft(int events, long seed, boolean virtual) throws InterruptedException {
    Scheduler scheduler = Scheduler.create();
    long[] planned = new long[events];
    long[] actual = new long[events];
    // a first event far ahead keeps run() waiting, as a live scheduler does, until the last
    scheduler.enter(Duration.ofNanos(OFFSET + WINDOW + 1_000_000), 0, () -> {});
    Runnable runner = () -> {
      try {
        scheduler.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    Thread thread = virtual ? Thread.ofVirtual().start(runner) : Thread.ofPlatform().start(runner);
    long[] delays = delays(events, seed);
    for (int i = 0; i < events; i++) {
      int slot = i;
      planned[i] = System.nanoTime() + delays[i];
      scheduler.enter(Duration.ofNanos(delays[i]), 0, () -> actual[slot] = System.nanoTime());
    }
    thread.join();
    return minus(actual, planned);
  }

  private static long[] stpe(int events, long seed) throws InterruptedException {
    var executor = new ScheduledThreadPoolExecutor(1);
    executor.prestartAllCoreThreads();
    long[] planned = new long[events];
    long[] actual = new long[events];
    var latch = new CountDownLatch(events);
    long[] delays = delays(events, seed);
    for (int i = 0; i < events; i++) {
      int slot = i;
      planned[i] = System.nanoTime() + delays[i];
      executor.schedule(
          () -> {
            actual[slot] = System.nanoTime();
            latch.countDown();
          },
          delays[i],
          TimeUnit.NANOSECONDS);
    }
    latch.await();
    executor.shutdown();
    return minus(actual, planned);
  }

  private static long[] delays(int events, long seed) {
    var random = new SplittableRandom(seed);
    long[] delays = new long[events];
    for (int i = 0; i < events; i++) {
      delays[i] = OFFSET + random.nextLong(WINDOW);
    }
    return delays;
  }

  private static long[] minus(long[] actual, long[] planned) {
    long[] late = new long[actual.length];
    for (int i = 0; i < late.length; i++) {
      late[i] = actual[i] - planned[i];
    }
    return late;
  }

  private static long[] concat(long[] a, long[] b) {
    if (a == null) {
      return b;
    }
    long[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static double micros(long[] sorted, double quantile) {
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1000.0;
  }
}
