package dev.weft.cli.fetch;

import dev.weft.cli.fetch.FetchResult.Result;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The end of a run in numbers: how many URLs ended which way, the failures by cause, the retries,
 * the bytes saved, the wall time and the throughput.
 *
 * @param total the URLs in the run
 * @param ok saved
 * @param skipped already complete ({@code --resume})
 * @param notFound answered 404
 * @param failures failed URLs by cause, sorted by cause
 * @param cancelled not finished because the run was interrupted
 * @param retries retries sent
 * @param retriedUrls URLs that needed at least one retry
 * @param bytes bytes saved
 * @param wall the run's wall time
 */
record Summary(
    int total,
    long ok,
    long skipped,
    long notFound,
    Map<String, Long> failures,
    long cancelled,
    long retries,
    long retriedUrls,
    long bytes,
    Duration wall) {

  static Summary of(List<FetchResult> results, Duration wall) {
    Map<String, Long> failures = new TreeMap<>();
    results.stream().filter(r -> r.result() == Result.FAILED).forEach(r -> failures.merge(r.cause(), 1L, Long::sum));
    return new Summary(
        results.size(),
        count(results, r -> r.result() == Result.OK),
        count(results, r -> r.result() == Result.SKIPPED),
        count(results, r -> r.result() == Result.NOT_FOUND),
        failures,
        count(results, r -> r.result() == Result.CANCELLED),
        results.stream().mapToLong(r -> Math.max(0, r.attempts() - 1)).sum(),
        count(results, r -> r.attempts() > 1),
        results.stream().filter(r -> r.result() == Result.OK).mapToLong(FetchResult::bytes).sum(),
        wall);
  }

  private static long count(List<FetchResult> results, Predicate<FetchResult> which) {
    return results.stream().filter(which).count();
  }

  /** Failed URLs of every cause. */
  long failed() {
    return failures.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Whether every URL was saved or already complete: exit status 0. */
  boolean allSucceeded() {
    return ok + skipped == total;
  }

  void print(PrintStream out) {
    var counts = new StringBuilder();
    counts.append(String.format(Locale.ROOT, "ok %d, not found %d, failed %d", ok, notFound, failed()));
    if (!failures.isEmpty()) {
      counts.append(" (");
      failures.forEach((cause, n) -> counts.append(n).append(' ').append(cause).append(", "));
      counts.setLength(counts.length() - 2);
      counts.append(')');
    }
    if (skipped > 0) {
      counts.append(", skipped ").append(skipped).append(" already complete");
    }
    if (cancelled > 0) {
      counts.append(", cancelled ").append(cancelled);
    }
    out.println(counts);
    out.printf(Locale.ROOT, "retried %d times (%d URLs)%n", retries, retriedUrls);
    double seconds = Math.max(wall.toNanos(), 1) / 1e9;
    out.printf(
        Locale.ROOT,
        "%s in %.2f s wall time: %s/s, %.1f files/s%n",
        bytes(bytes),
        seconds,
        bytes((long) (bytes / seconds)),
        ok / seconds);
  }

  /** {@code 512 B}, {@code 4.5 KiB}, {@code 12.3 MiB}... */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = n;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
