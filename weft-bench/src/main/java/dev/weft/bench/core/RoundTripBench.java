package dev.weft.bench.core;

import dev.weft.Pool;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
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
 * One task's round trip, submit to result, on the same kind of thread: {@code threads1} is
 * {@link Pool#threads(int) Pool.threads(1)}{@code .submit(work).join()} against {@link
 * Executors#newSingleThreadExecutor()}{@code .submit(work).get()} (a hand-off to a waiting
 * platform thread and back); {@code virtual} is {@link Pool#virtual()} against {@link
 * Executors#newVirtualThreadPerTaskExecutor()} (a new virtual thread per task). Sample time, so
 * that the report has the median and the 99th percentile: a round trip is a few microseconds of
 * thread wake-ups, and on a shared machine the mean is mostly other people's load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class RoundTripBench {
  private static final Integer RESULT = 7;
  private static final Callable<Integer> WORK = () -> RESULT;

  @Param({"threads1", "virtual"})
  public String backend;

  private Pool pool;
  private ExecutorService executor;

  @Setup(Level.Trial)
  public void setUp() {
    boolean virtual = backend.equals("virtual");
    pool = virtual ? Pool.virtual() : Pool.threads(1);
    executor = virtual ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newSingleThreadExecutor();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    pool.close();
    executor.close();
  }

  @Benchmark
  public Integer roundTrip_weft() throws InterruptedException {
    return pool.submit(WORK).join();
  }

  @Benchmark
  public Integer roundTrip_jdk() throws InterruptedException, ExecutionException {
    return executor.submit(WORK).get();
  }
}
