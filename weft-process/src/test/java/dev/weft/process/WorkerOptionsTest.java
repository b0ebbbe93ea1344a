package dev.weft.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.process.internal.Launcher;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JVM flags a worker starts with, and how the user's options override them. */
@Timeout(90)
class WorkerOptionsTest {
  /** The worker's own command line, as the operating system reports it. */
  private static final SerializableCallable<List<String>> ARGUMENTS =
      () -> List.of(ProcessHandle.current().info().arguments().orElseThrow());

  @Test
  void theJvmsMessagesGoToStderrAndTheCollectorIsSerialByDefault() {
    List<String> command = Launcher.command(1, List.of("-Xmx64m"));

    assertThat(command)
        .containsSubsequence("-XX:+DisplayVMOutputToStderr", "-Xlog:disable", "-Xlog:all=warning:stderr", "-Xmx64m")
        .containsSubsequence(Launcher.COLLECTOR_FLAG, "-Xmx64m");
  }

  @Test
  void aCollectorChosenByTheUserReplacesTheSerialOne() {
    List<String> command = Launcher.command(1, List.of("-XX:+UseParallelGC"));

    assertThat(command).contains("-XX:+UseParallelGC").doesNotContain(Launcher.COLLECTOR_FLAG);
  }

  @Test
  void workersRunTheSerialCollectorUnlessTold() throws InterruptedException {
    // the JVM refuses to start with two collectors: the second worker runs only if ours was left out
    try (ProcessPool serial = ProcessPool.start(1);
        ProcessPool parallel =
            ProcessPool.start(ProcessPool.Options.workers(1).withJvmOptions(List.of("-XX:+UseParallelGC")))) {
      assertThat(serial.call(ARGUMENTS).value()).contains(Launcher.COLLECTOR_FLAG);
      assertThat(parallel.call(ARGUMENTS).value())
          .contains("-XX:+UseParallelGC")
          .doesNotContain(Launcher.COLLECTOR_FLAG);
    }
  }

  @Test
  void aJvmWarningDoesNotCorruptTheReplyChannel() throws InterruptedException {
    // without large pages configured, this flag makes the JVM print a warning, on stdout by default
    var options = ProcessPool.Options.workers(1).withJvmOptions(List.of("-XX:+UseLargePages"));
    try (ProcessPool pool = ProcessPool.start(options)) {
      assertThat(pool.call((SerializableCallable<Integer>) () -> 6 * 7).value()).isEqualTo(42);
    }
  }
}
