package dev.weft.examples;

import dev.weft.Clock;
import dev.weft.Pool;
import dev.weft.process.ProcessPool;
import dev.weft.process.SerializableFunction;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * CPU-bound work three ways: sequentially, on {@code Pool.threads(n)}, and on a process pool of
 * {@code n} child JVMs, printing the time of each and the speedups over sequential. Each job
 * hashes many blocks with SHA-256 and runs Newton–Raphson square roots; every way must produce
 * the same checksums.
 *
 * <p>Java has no GIL, so threads already use every core: the process pool is for isolation
 * (native or leaky code, crashes, real kills), and this example shows what it costs and gains
 * for pure computation. Arguments: {@code [workers] [jobs] [blocks]}, by default the number of
 * cores, 16 jobs and 6,000 blocks of 4 KiB per job (the Newton–Raphson part scales with the
 * blocks). Each way prints its time, its speedup and a checksum over every job's result.
 */
public final class CpuBound {
  private static final int BLOCKS = 6_000;
  private static final int BLOCK_BYTES = 4096;
  private static final int ROOTS_PER_BLOCK = 33;

  private CpuBound() {}

  /** One job: SHA-256 over {@code blocks} blocks, then Newton–Raphson roots; a checksum. */
  static long job(int seed, int blocks) throws NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[BLOCK_BYTES];
    ByteBuffer.wrap(block).putInt(seed);
    for (int i = 0; i < blocks; i++) {
      block[i % BLOCK_BYTES] ^= (byte) i;
      sha.update(block);
    }
    long checksum = ByteBuffer.wrap(sha.digest()).getLong();
    for (int i = 1; i <= blocks * ROOTS_PER_BLOCK; i++) {
      checksum += Double.doubleToLongBits(newtonSqrt(seed + i));
    }
    return checksum;
  }

  /** The square root of {@code value} by Newton–Raphson, to full double precision. */
  static double newtonSqrt(double value) {
    double x = value;
    for (int i = 0; i < 60; i++) {
      double next = 0.5 * (x + value / x);
      if (next == x) {
        break;
      }
      x = next;
    }
    return x;
  }

  @SuppressWarnings("try") // Pool.close() may throw InterruptedException, which main lets through
  public static void main(String[] args) throws Exception {
    int workers = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int blocks = args.length > 2 ? Integer.parseInt(args[2]) : BLOCKS;
    List<Integer> seeds = IntStream.range(0, jobs).boxed().toList();
    SerializableFunction<Integer, Long> job = seed -> job(seed, blocks); // serializable: it can go to a worker

    long sequential = 0;
    long threads = 0;
    long processes = 0;
    long[] checksums = new long[3];
    Clock clock = Clock.system();
    long started = clock.nanoTime();
    ProcessPool workersPool =
        ProcessPool.start(ProcessPool.Options.workers(workers).withStart(ProcessPool.Start.EAGER));
    workersPool.awaitStarted();
    System.out.printf("started %d worker JVMs in %d ms%n", workers, (clock.nanoTime() - started) / 1_000_000);
    try (Pool processPool = workersPool.asPool(); Pool threadPool = Pool.threads(workers)) {
      for (int round = 1; round <= 2; round++) { // round 1 warms the JIT everywhere
        long t0 = clock.nanoTime();
        List<Long> expected = seeds.stream().map(seed -> uncheckedJob(seed, blocks)).toList();
        long t1 = clock.nanoTime();
        List<Long> onThreads = threadPool.map(job, seeds);
        long t2 = clock.nanoTime();
        List<Long> onProcesses = processPool.map(job, seeds);
        long t3 = clock.nanoTime();
        checksums = new long[] {checksum(expected), checksum(onThreads), checksum(onProcesses)};
        sequential = t1 - t0;
        threads = t2 - t1;
        processes = t3 - t2;
      }
    }
    System.out.printf("%d jobs of %d blocks, %d workers (warm round)%n", jobs, blocks, workers);
    System.out.printf("%-16s %6d ms  %5.2fx  checksum %016x%n", "sequential", sequential / 1_000_000, 1.0, checksums[0]);
    System.out.printf("%-16s %6d ms  %5.2fx  checksum %016x%n",
        "Pool.threads(" + workers + ")", threads / 1_000_000, (double) sequential / threads, checksums[1]);
    System.out.printf("%-16s %6d ms  %5.2fx  checksum %016x%n",
        "ProcessPool(" + workers + ")", processes / 1_000_000, (double) sequential / processes, checksums[2]);
    if (checksums[0] != checksums[1] || checksums[0] != checksums[2]) {
      throw new AssertionError("checksums differ between the three ways");
    }
  }

  /** One number over every job's result, in input order. */
  private static long checksum(List<Long> results) {
    long sum = 17;
    for (long result : results) {
      sum = sum * 31 + result;
    }
    return sum;
  }

  private static long uncheckedJob(int seed, int blocks) {
    try {
      return job(seed, blocks);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
