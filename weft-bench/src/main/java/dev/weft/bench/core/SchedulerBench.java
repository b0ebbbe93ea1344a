package dev.weft.bench.core;

import dev.weft.Scheduler;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Scheduler throughput: one operation enters {@code events} events with delays spread at random
 * (fixed seed) over the first millisecond and runs them all. weft's {@link Scheduler} is entered
 * and then {@link Scheduler#run() run} on the calling thread, Python's {@code sched} idiom; the
 * peer is a one-thread {@link ScheduledThreadPoolExecutor} (made once per trial) whose worker
 * runs the events while the caller is still scheduling, the caller then waits on a latch. Since
 * almost every event is overdue by the time it can run, this measures the cost of entering,
 * ordering and dispatching an event. Lateness is measured separately by {@link SchedulerLateness}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class SchedulerBench {
  @Param({"100000"})
  public int events;

  private long[] delayNanos;
  private Duration[] delays;
  private ScheduledThreadPoolExecutor executor;
  private long counter;

  @Setup(Level.Trial)
  public void setUp() {
    var random = new SplittableRandom(2);
    delayNanos = new long[events];
    delays = new Duration[events];
    for (int i = 0; i < events; i++) {
      delayNanos[i] = random.nextLong(1_000_000);
      delays[i] = Duration.ofNanos(delayNanos[i]);
    }
    executor = new ScheduledThreadPoolExecutor(1);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    executor.shutdownNow();
  }

  @Benchmark
  public long events_weft() throws InterruptedException {
    Scheduler scheduler = Scheduler.create();
    Runnable action = () -> counter++;
    for (Duration delay : delays) {
      scheduler.enter(delay, 0, action);
    }
    scheduler.run();
    return counter;
  }

  @Benchmark
  public long events_stpe() throws InterruptedException {
    var latch = new CountDownLatch(events);
    Runnable action = () -> {
      counter++;
      latch.countDown();
    };
    for (long delay : delayNanos) {
      executor.schedule(action, delay, TimeUnit.NANOSECONDS);
    }
    latch.await();
    return counter;
  }
}
