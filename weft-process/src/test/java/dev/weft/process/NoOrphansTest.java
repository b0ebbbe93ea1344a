package dev.weft.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Workers never outlive their parent, even when it is killed with SIGKILL mid-task. */
@Timeout(90) // a broken worker protocol fails the class instead of hanging the build
class NoOrphansTest {

  @Test
  void killingTheParentWithSigkillLeavesNoWorkerBehind(@TempDir Path dir) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process parent =
        new ProcessBuilder(java, "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), OrphanParent.class.getName(),
                dir.resolve("pid").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      var reader = new BufferedReader(new InputStreamReader(parent.getInputStream()));
      String line = CompletableFuture.supplyAsync(() -> {
        try {
          return reader.readLine();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get(30, TimeUnit.SECONDS);
      assertThat(line).startsWith("pids ");
      List<Long> workers = new ArrayList<>();
      String[] words = line.split(" ");
      Arrays.stream(words, 1, words.length - 2).map(Long::parseLong).forEach(workers::add);
      long busy = Long.parseLong(words[words.length - 1]);
      assertThat(workers).hasSize(2).contains(busy);
      assertThat(workers).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isPresent());

      parent.destroyForcibly();
      assertThat(parent.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(parent.exitValue()).isEqualTo(137);

      workers.forEach(Fixtures::awaitGone);
    } finally {
      parent.destroyForcibly();
    }
  }
}
