package dev.weft.cli.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft fetch --demo} in a real terminal (tmux, which {@code ./test} installs): the live bar
 * renders and ends at 100%, and Ctrl-C stops the run, removes the temporaries and prints the
 * summary.
 */
@Timeout(120)
class FetchTerminalTest {
  private static final String SESSION = "weft-fetch-test-" + ProcessHandle.current().pid();
  @TempDir Path work;

  @BeforeAll
  static void needsTmux() {
    boolean present;
    try {
      present = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    assumeTrue(present, "tmux is not installed (./test installs it)");
  }

  @AfterEach
  void killSession() throws Exception {
    tmux("kill-session", "-t", SESSION);
  }

  @Test
  void progressBarRendersAndFinishesAtHundredPercent() throws Exception {
    start("--demo-files", "60", "--demo-latency", "20ms", "--demo-404", "0", "--demo-500", "0", "--demo-stalls", "0", "-c", "8");

    String screen = awaitScreen("EXIT ");

    assertThat(screen).contains("100%").contains("60/60").contains("ok 60, not found 0, failed 0").contains("EXIT 0");
  }

  @Test
  void ctrlCStopsCleanlyAndStillPrintsTheSummary() throws Exception {
    Path out = work.resolve("out");
    // every first response stalls after half its body: the transfers in flight have a temporary file
    start("--demo-files", "40", "--demo-latency", "10ms", "--demo-404", "0", "--demo-500", "0", "--demo-stalls", "1",
        "--timeout", "60s", "-c", "4", "-o", out.toString());
    awaitScreen("files from http://127.0.0.1");
    await().atMost(Duration.ofSeconds(30)).until(() -> partFiles(out) > 0);

    tmux("send-keys", "-t", SESSION, "C-c");

    String screen = awaitScreen("EXIT ");
    assertThat(screen).contains("interrupted: transfers in flight were stopped").contains("cancelled 40").contains("EXIT 130");
    assertThat(partFiles(out)).isZero();
  }

  private void start(String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of(java, "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "dev.weft.cli.Weft", "fetch", "--demo"));
    command.addAll(List.of(args));
    Path script = work.resolve("run.sh");
    // a handler (not an ignore, which the JVM would inherit) keeps the shell alive to print the status
    Files.writeString(script, "trap ':' INT\n" + String.join(" ", command.stream().map(FetchTerminalTest::quote).toList())
        + "\necho \"EXIT $?\"\nsleep 60\n");
    tmux("new-session", "-d", "-s", SESSION, "-x", "200", "-y", "50", "bash " + quote(script.toString()));
  }

  private static String awaitScreen(String text) {
    var screen = new String[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      screen[0] = tmux("capture-pane", "-p", "-J", "-S", "-100", "-t", SESSION);
      return screen[0].contains(text);
    });
    return screen[0];
  }

  private static long partFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".part")).count();
    }
  }

  private static String tmux(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return output;
  }

  private static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
