package dev.weft.cli;

import dev.weft.Clock;
import dev.weft.Outcome;
import dev.weft.Pool;
import dev.weft.PoolIterator;
import dev.weft.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serial;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code weft demo}: the "flags" downloader of Fluent Python's concurrency chapters, on simulated
 * I/O. One "download" per ISO country code blocks for a seeded random latency and fails now and
 * then with a simulated HTTP error; a pool of virtual threads runs them concurrently with a
 * progress bar, and the summary compares the wall time with the sum of the latencies, which is
 * what the same work takes one item at a time.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Download a flag per country code concurrently, on simulated I/O, and compare with",
      "doing it one at a time. Needs no network."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-c", "--concurrency"}, description = "downloads at once (default: ${DEFAULT-VALUE})")
  int concurrency = 64;

  @Option(names = {"-n", "--count"}, description = "how many flags (default: every ISO country, ${DEFAULT-VALUE})")
  int count = Locale.getISOCountries().length;

  @Option(names = "--latency", description = "average simulated latency (default: ${DEFAULT-VALUE})")
  Duration latency = Duration.ofMillis(100);

  @Option(names = "--error-rate", description = "share of downloads that fail, 0 to 1 (default: ${DEFAULT-VALUE})")
  double errorRate = 0.05;

  @Option(names = "--seed", description = "random seed for latencies and errors (default: ${DEFAULT-VALUE})")
  long seed = 42;

  @Option(names = {"-q", "--quiet"}, description = "no progress display")
  boolean quiet;

  @Override
  @SuppressWarnings("try") // Pool.close() waits, so it may throw InterruptedException
  public Integer call() throws InterruptedException {
    validate();
    PrintStream out = System.out;
    List<Flag> flags = plan();
    out.printf(
        Locale.ROOT,
        "weft demo: %d flags by %d virtual threads (simulated latency about %d ms, %.0f%% errors)%n",
        flags.size(),
        concurrency,
        latency.toMillis(),
        errorRate * 100);

    Clock clock = Clock.system();
    var progress = Progress.create(flags.size());
    Map<String, Integer> failures = new TreeMap<>();
    long start = clock.nanoTime();
    try (var pool = Pool.builder().name("flags").maxConcurrent(concurrency).build();
        var display = ProgressDisplay.start("flags", progress, System.err, ProgressDisplay.Style.detect(quiet));
        PoolIterator<Pool.Completed<Flag, String>> results =
            pool.imapUnorderedSettled(Flag::download, flags, progress)) {
      while (results.hasNext()) {
        if (results.next().outcome() instanceof Outcome.Failure<String>(var error)) {
          failures.merge(error.getMessage(), 1, Integer::sum);
        }
      }
    }
    Duration wall = Duration.ofNanos(clock.nanoTime() - start);
    Duration sequential = flags.stream().map(Flag::latency).reduce(Duration.ZERO, Duration::plus);
    summarize(out, progress.snapshot(), failures, wall, sequential);
    return failures.isEmpty() ? 0 : 1;
  }

  private void validate() {
    if (concurrency <= 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--concurrency must be > 0: " + concurrency);
    }
    if (count <= 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--count must be > 0: " + count);
    }
    if (errorRate < 0 || errorRate > 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--error-rate must be within 0..1: " + errorRate);
    }
    if (latency.isNegative()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--latency must be >= 0: " + latency);
    }
  }

  /** The flags to fetch, each with its latency and fate decided up front from the seed. */
  private List<Flag> plan() {
    RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    String[] countries = Locale.getISOCountries();
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(
            i -> {
              String code = countries[i % countries.length].toLowerCase(Locale.ROOT);
              long nanos = (long) (latency.toNanos() * (0.5 + random.nextDouble()));
              int status = random.nextDouble() < errorRate ? (random.nextBoolean() ? 404 : 503) : 200;
              return new Flag(i < countries.length ? code : code + "-" + i / countries.length, Duration.ofNanos(nanos), status);
            })
        .toList();
  }

  private static void summarize(
      PrintStream out, Progress.Snapshot done, Map<String, Integer> failures, Duration wall, Duration sequential) {
    out.printf(Locale.ROOT, "ok %d, failed %d%n", done.done(), done.failed());
    failures.forEach((reason, n) -> out.printf(Locale.ROOT, "  %4d × %s%n", n, reason));
    out.printf(
        Locale.ROOT,
        "wall time %.2f s; one at a time would take %.1f s (the sum of the latencies): %.1f× faster%n",
        wall.toNanos() / 1e9,
        sequential.toNanos() / 1e9,
        (double) sequential.toNanos() / Math.max(1, wall.toNanos()));
  }

  /** One simulated download. */
  record Flag(String code, Duration latency, int status) {
    String download() throws IOException, InterruptedException {
      Clock.system().sleep(latency);
      if (status != 200) {
        throw new SimulatedHttpError(status);
      }
      return code + ".gif";
    }
  }

  /** A simulated HTTP failure; its message groups failures in the summary. */
  static final class SimulatedHttpError extends IOException {
    @Serial private static final long serialVersionUID = 1L;

    SimulatedHttpError(int status) {
      super("HTTP " + status + (status == 404 ? " Not Found" : " Service Unavailable"));
    }
  }
}
