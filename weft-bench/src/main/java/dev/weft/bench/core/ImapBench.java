package dev.weft.bench.core;

import dev.weft.Pool;
import dev.weft.PoolIterator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * A lazy unordered map over {@code items} items (100,000 per operation; the 1,000,000 is
 * ten operations, or {@code -p items=1000000}): {@link Pool#imapUnordered} against an {@link
 * ExecutorCompletionService} that keeps the same window of items in flight as the pool's {@link
 * Pool#lookAhead()} (submit the first window, then one more per result taken). Backends: {@code
 * virtual} is {@link Pool#virtual()} against the virtual-thread-per-task executor, {@code
 * threads2} is {@link Pool#threads(int) Pool.threads(2)} against {@link
 * Executors#newFixedThreadPool(int) newFixedThreadPool(2)}. The function is trivial, so the cost
 * is the machinery's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class ImapBench {
  @Param({"100000"})
  public int items;

  @Param({"virtual", "threads2"})
  public String backend;

  private List<Integer> input;
  private Pool pool;
  private ExecutorService executor;

  @Setup(Level.Trial)
  public void setUp() {
    input = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      input.add(i);
    }
    boolean virtual = backend.equals("virtual");
    pool = virtual ? Pool.virtual() : Pool.threads(2);
    executor = virtual ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newFixedThreadPool(2);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    pool.close();
    executor.close();
  }

  @Benchmark
  public long imapUnordered_weft() {
    long sum = 0;
    try (PoolIterator<Integer> results = pool.imapUnordered((Integer x) -> x + 1, input)) {
      while (results.hasNext()) {
        sum += results.next();
      }
    }
    return sum;
  }

  @Benchmark
  public long imapUnordered_ecs() throws InterruptedException, ExecutionException {
    CompletionService<Integer> completions = new ExecutorCompletionService<>(executor);
    Iterator<Integer> next = input.iterator();
    int inFlight = 0;
    while (inFlight < pool.lookAhead() && next.hasNext()) {
      Integer x = next.next();
      completions.submit(() -> x + 1);
      inFlight++;
    }
    long sum = 0;
    while (inFlight > 0) {
      sum += completions.take().get();
      inFlight--;
      if (next.hasNext()) {
        Integer x = next.next();
        completions.submit(() -> x + 1);
        inFlight++;
      }
    }
    return sum;
  }
}
