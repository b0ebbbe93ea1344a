package dev.weft.bench.process;

import dev.weft.Pool;
import dev.weft.process.ProcessPool;
import dev.weft.process.SerializableCallable;
import dev.weft.process.SerializableFunction;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The process pool beside {@code Pool.threads(2)} in the same run: the round trip of one tiny task
 * through the {@link Pool} face ({@code roundTrip}: {@code submit(task).join()}, which adds a hop
 * to a virtual thread of the pool) and through {@link ProcessPool#call} ({@code callRoundTrip}),
 * both sampled so the report has the median; a map of 1,000 tiny items ({@code tinyTasks}, time
 * per map); and the time to start two workers and run one task on each ({@code startup}). {@code
 * _weft} is the process pool, {@code _threads} the thread pool; {@link dev.weft.bench.Ratios}
 * prints weft ÷ threads.
 */
@SuppressWarnings("try") // Pool.close() may throw InterruptedException, which the benchmarks let through
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ProcessPoolBench {
  static final SerializableCallable<Integer> TINY = () -> 1;
  static final SerializableFunction<Integer, Integer> PLUS_ONE = i -> i + 1;
  static final List<Integer> ITEMS = IntStream.range(0, 1_000).boxed().toList();

  private ProcessPool processPool;
  private Pool processes;
  private Pool threads;

  @Setup(Level.Trial)
  public void start() throws InterruptedException {
    var pool = ProcessPool.start(ProcessPool.Options.workers(2).withStart(ProcessPool.Start.EAGER));
    pool.awaitStarted();
    processPool = pool;
    processes = pool.asPool();
    threads = Pool.threads(2);
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    processes.close();
    threads.close();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  public Integer roundTrip_weft() throws InterruptedException {
    return processes.submit(TINY).join();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  public Integer roundTrip_threads() throws InterruptedException {
    return threads.submit(TINY).join();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  public Integer callRoundTrip_weft() throws InterruptedException {
    return processPool.call(TINY).value();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  public Integer callRoundTrip_threads() throws InterruptedException {
    return threads.submit(TINY).join();
  }

  @Benchmark
  public List<Integer> tinyTasks_weft() throws InterruptedException {
    return processes.map(PLUS_ONE, ITEMS);
  }

  @Benchmark
  public List<Integer> tinyTasks_threads() throws InterruptedException {
    return threads.map(PLUS_ONE, ITEMS);
  }

  /** Starting two workers and running one task on each: a cold start every iteration. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 8)
  public List<Integer> startup_weft() throws InterruptedException {
    try (Pool pool = ProcessPool.create(ProcessPool.Options.workers(2).withStart(ProcessPool.Start.EAGER))) {
      return pool.map(PLUS_ONE, List.of(1, 2));
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 8)
  public List<Integer> startup_threads() throws InterruptedException {
    try (Pool pool = Pool.threads(2)) {
      return pool.map(PLUS_ONE, List.of(1, 2));
    }
  }
}
