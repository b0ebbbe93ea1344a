package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Progress;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** {@code weft demo} is {@code weft fetch --demo} under its first name. */
@ResourceLock(Resources.SYSTEM_OUT)
@Timeout(60)
class DemoCommandTest {
  private static final Pattern COUNTS = Pattern.compile("ok (\\d+), not found (\\d+), failed (\\d+)");

  @Test
  void demoIsTheFetchDemoAndFailsWhenSomeFailed() {
    CliRun run = CliRun.of("demo", "-n", "120", "-c", "16", "--latency", "2ms", "--error-rate", "0.2", "-q", "--retry-delay", "1ms");

    assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out()).contains("weft fetch --demo: 120 files from http://127.0.0.1:").contains(", 16 at a time");
    Matcher counts = COUNTS.matcher(run.out());
    assertThat(counts.find()).as(run.out()).isTrue();
    int ok = Integer.parseInt(counts.group(1));
    int notFound = Integer.parseInt(counts.group(2));
    int failed = Integer.parseInt(counts.group(3));
    assertThat(ok + notFound + failed).isEqualTo(120);
    assertThat(notFound).isPositive();
    assertThat(run.out()).contains("HTTP 404 Not Found").contains("× faster").contains("extrapolated to 120");
  }

  @Test
  void demoWithoutErrorsExitsZero() {
    CliRun run = CliRun.of("demo", "-n", "40", "--latency", "1ms", "--error-rate", "0", "--demo-stalls", "0", "-q");

    assertThat(run.status()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("ok 40, not found 0, failed 0");
  }

  @Test
  void badOptionIsAUsageErrorNamingTheValue() {
    CliRun run = CliRun.of("demo", "--concurrency", "0");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--concurrency must be within 1..10000: 0");
  }

  @Test
  void oldOptionsMapOntoTheFetchDemo() {
    var demo = new DemoCommand();
    new picocli.CommandLine(demo).parseArgs("-n", "7", "--latency", "PT0.002S", "--error-rate", "0.1", "--seed", "3", "-c", "4");

    assertThat(demo.fetchArguments())
        .containsExactly(
            "--demo", "--demo-files", "7", "--demo-latency", "PT0.002S", "--demo-404", "0.050000", "--demo-500", "0.050000",
            "--demo-seed", "3", "-c", "4");
  }

  @Test
  void plainProgressLineNamesCountsAndRate() {
    var snapshot = new Progress.Snapshot(300, 120, 2, Duration.ofMillis(2600), 45.14);

    assertThat(ProgressDisplay.line("flags", snapshot))
        .isEqualTo("flags: 120/300 done, 2 failed, 45.1/s, 2.6 s");
  }
}
