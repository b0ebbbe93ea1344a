package dev.weft.bench.core;

import dev.weft.Clock;
import dev.weft.Pool;
import dev.weft.Task;
import dev.weft.TaskGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * {@code tasks} tasks (10,000) that each sleep {@code sleepMs} (10 ms) and return: the time until
 * all have ended, so what counts is how many sleepers the machinery parks and wakes at once. weft
 * sleeps on {@link Clock#system()}, in a {@link TaskGroup} ({@code api=group}) or on {@link
 * Pool#virtual()} ({@code api=pool}); the peer sleeps with {@link Thread#sleep(Duration)} on {@link
 * Executors#newVirtualThreadPerTaskExecutor()} (the same code for both values of {@code api}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class SleepBench {
  private static final Clock CLOCK = Clock.system();

  @Param({"10000"})
  public int tasks;

  @Param({"10"})
  public int sleepMs;

  @Param({"group", "pool"})
  public String api;

  @Benchmark
  @SuppressWarnings("try") // close() may throw InterruptedException, which the benchmark lets through
  public long sleep_weft() throws InterruptedException {
    Duration nap = Duration.ofMillis(sleepMs);
    Callable<Integer> work = () -> {
      CLOCK.sleep(nap);
      return 1;
    };
    List<Task<Integer>> started = new ArrayList<>(tasks);
    long sum = 0;
    if (api.equals("group")) {
      try (TaskGroup group = TaskGroup.open()) {
        for (int i = 0; i < tasks; i++) {
          started.add(group.spawn(work));
        }
        for (Task<Integer> task : started) {
          sum += task.join();
        }
      }
    } else {
      try (Pool pool = Pool.virtual()) {
        for (int i = 0; i < tasks; i++) {
          started.add(pool.submit(work));
        }
        for (Task<Integer> task : started) {
          sum += task.join();
        }
      }
    }
    return sum;
  }

  @Benchmark
  public long sleep_jdk() throws InterruptedException, ExecutionException {
    Duration nap = Duration.ofMillis(sleepMs);
    Callable<Integer> work = () -> {
      Thread.sleep(nap);
      return 1;
    };
    List<Future<Integer>> started = new ArrayList<>(tasks);
    long sum = 0;
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < tasks; i++) {
        started.add(executor.submit(work));
      }
      for (Future<Integer> future : started) {
        sum += future.get();
      }
    }
    return sum;
  }
}
