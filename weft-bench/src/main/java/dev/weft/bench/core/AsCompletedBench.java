package dev.weft.bench.core;

import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * Taking {@code tasks} trivial tasks (10,000) in the order they end: weft spawns them in a {@link
 * TaskGroup} and takes them from {@link Tasks#asCompleted}; the peer submits them to an {@link
 * ExecutorCompletionService} over {@link Executors#newVirtualThreadPerTaskExecutor()} and takes
 * them from it. Both start every task before taking the first, as {@code as_completed} does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class AsCompletedBench {
  @Param({"10000"})
  public int tasks;

  @Benchmark
  @SuppressWarnings("try") // close() may throw InterruptedException, which the benchmark lets through
  public long asCompleted_weft() throws InterruptedException {
    List<Task<Integer>> started = new ArrayList<>(tasks);
    long sum = 0;
    try (TaskGroup group = TaskGroup.open()) {
      for (int i = 0; i < tasks; i++) {
        int value = i;
        started.add(group.spawn(() -> value));
      }
      Tasks.Completions<Integer> completions = Tasks.asCompleted(started);
      for (int i = 0; i < tasks; i++) {
        sum += completions.take().join();
      }
    }
    return sum;
  }

  @Benchmark
  public long asCompleted_ecs() throws InterruptedException, ExecutionException {
    long sum = 0;
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      CompletionService<Integer> completions = new ExecutorCompletionService<>(executor);
      for (int i = 0; i < tasks; i++) {
        int value = i;
        Callable<Integer> work = () -> value;
        completions.submit(work);
      }
      for (int i = 0; i < tasks; i++) {
        sum += completions.take().get();
      }
    }
    return sum;
  }
}
