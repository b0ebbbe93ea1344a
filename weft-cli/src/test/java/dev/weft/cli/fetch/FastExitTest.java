package dev.weft.cli.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FastExit} in a JVM of its own (it ends the process): {@code weft fetch} on the demo with
 * {@code -Dweft.exit=fast} ends with the run's own status and its whole summary and report
 * written, without the JVM's exit sequence (whose native-memory statistics do not appear); {@code link} exits
 * the ordinary way.
 */
class FastExitTest {
  /** What {@code -XX:+PrintNMTStatistics} prints when the JVM exits the ordinary way. */
  private static final String EXIT_LOG = "Native Memory Tracking";

  @TempDir Path work;

  @Test
  void aCleanRunEndsWithStatusZeroAndItsSummaryPrinted() throws Exception {
    Ended ended = fetch("fast", "--demo-404", "0", "--demo-500", "0", "--demo-stalls", "0");

    assertThat(ended.status()).as(ended.out()).isZero();
    assertThat(ended.out()).contains("ok 40, not found 0, failed 0").contains("report: ");
    assertThat(ended.out()).as("the JVM's own exit, which prints its memory statistics, was skipped").doesNotContain(EXIT_LOG);
    assertThat(work.resolve("report.jsonl")).content().hasLineCount(40);
  }

  @Test
  void aRunWithMissingFilesEndsWithStatusOne() throws Exception {
    Ended ended = fetch("fast", "--demo-404", "0.5", "--demo-500", "0", "--demo-stalls", "0");

    assertThat(ended.status()).as(ended.out()).isEqualTo(1);
    assertThat(ended.out()).contains("not found").contains("report: ");
    assertThat(work.resolve("report.jsonl")).content().hasLineCount(40);
  }

  @Test
  void linkModeExitsTheOrdinaryWayWithTheSameStatus() throws Exception {
    Ended ended = fetch("link", "--demo-404", "0.5", "--demo-500", "0", "--demo-stalls", "0");

    assertThat(ended.status()).as(ended.out()).isEqualTo(1);
    assertThat(ended.out()).contains("report: ").contains(EXIT_LOG);
  }

  private record Ended(int status, String out) {}

  private Ended fetch(String mode, String... demo) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-XX:+UnlockDiagnosticVMOptions",
        "-XX:NativeMemoryTracking=summary", "-XX:+PrintNMTStatistics", "-Dweft.exit=" + mode, "-cp", classPath, "dev.weft.cli.Weft",
        "fetch", "--demo", "-q", "--demo-files", "40", "--demo-latency", "1ms", "--retries", "0",
        "-o", work.resolve("out").toString(), "--report", work.resolve("report.jsonl").toString()));
    command.addAll(List.of(demo));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
    return new Ended(process.exitValue(), out);
  }
}
