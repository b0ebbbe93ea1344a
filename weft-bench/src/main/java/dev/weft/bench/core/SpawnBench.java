package dev.weft.bench.core;

import dev.weft.Task;
import dev.weft.TaskGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
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
 * Spawning {@code tasks} trivial tasks and joining each (100,000 per operation; {@code -p
 * tasks=1000000} for the million): a {@link TaskGroup} (spawn every task, join each, close)
 * against {@link Executors#newVirtualThreadPerTaskExecutor()} (submit every task, {@code get} each,
 * close), both a virtual thread per task. {@code _forkjoin} submits the same tasks to a {@link
 * ForkJoinPool} of one worker per core, which runs them on platform threads without a thread per
 * task: information on what the thread-per-task model costs, not a peer of the same model.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class SpawnBench {
  private static final Integer ONE = 1;
  private static final Callable<Integer> WORK = () -> ONE;

  @Param({"100000"})
  public int tasks;

  private ForkJoinPool forkJoin;

  @Setup(Level.Trial)
  public void setUp() {
    forkJoin = new ForkJoinPool();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    forkJoin.close();
  }

  @Benchmark
  @SuppressWarnings("try") // close() may throw InterruptedException, which the benchmark lets through
  public long spawnJoin_weft() throws InterruptedException {
    List<Task<Integer>> spawned = new ArrayList<>(tasks);
    long sum = 0;
    try (TaskGroup group = TaskGroup.open()) {
      for (int i = 0; i < tasks; i++) {
        spawned.add(group.spawn(WORK));
      }
      for (Task<Integer> task : spawned) {
        sum += task.join();
      }
    }
    return sum;
  }

  @Benchmark
  public long spawnJoin_vthreads() throws InterruptedException, ExecutionException {
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      return submitAndGet(executor);
    }
  }

  @Benchmark
  public long spawnJoin_forkjoin() throws InterruptedException, ExecutionException {
    return submitAndGet(forkJoin);
  }

  private long submitAndGet(ExecutorService executor) throws InterruptedException, ExecutionException {
    List<Future<Integer>> submitted = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      submitted.add(executor.submit(WORK));
    }
    long sum = 0;
    for (Future<Integer> future : submitted) {
      sum += future.get();
    }
    return sum;
  }
}
