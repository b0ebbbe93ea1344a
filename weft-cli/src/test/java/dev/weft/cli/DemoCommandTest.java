package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Progress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

@ResourceLock(Resources.SYSTEM_OUT)
class DemoCommandTest {

  @Test
  void demoReportsEveryFlagAndFailsWhenSomeFailed() {
    CliRun run = run("demo", "-n", "120", "-c", "16", "--latency", "PT0.002S", "--error-rate", "0.1", "-q");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).contains("weft demo: 120 flags by 16 virtual threads");
    assertThat(run.out()).containsPattern("ok (\\d+), failed (\\d+)");
    int ok = Integer.parseInt(run.out().replaceAll("(?s).*ok (\\d+), failed.*", "$1"));
    int failed = Integer.parseInt(run.out().replaceAll("(?s).*failed (\\d+)\\n.*", "$1"));
    assertThat(ok + failed).isEqualTo(120);
    assertThat(failed).isPositive();
    assertThat(run.out()).contains("HTTP 404 Not Found").contains("× faster");
  }

  @Test
  void demoWithoutErrorsExitsZero() {
    CliRun run = run("demo", "-n", "40", "--latency", "PT0.001S", "--error-rate", "0", "-q");

    assertThat(run.status()).isZero();
    assertThat(run.out()).contains("ok 40, failed 0");
  }

  @Test
  void badOptionIsAUsageErrorNamingTheValue() {
    CliRun run = run("demo", "--concurrency", "0");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--concurrency must be > 0: 0");
  }

  @Test
  void plainProgressLineNamesCountsAndRate() {
    var snapshot = new Progress.Snapshot(300, 120, 2, Duration.ofMillis(2600), 45.14);

    assertThat(ProgressDisplay.line("flags", snapshot))
        .isEqualTo("flags: 120/300 done, 2 failed, 45.1/s, 2.6 s");
  }

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }
}
