package dev.weft.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link FdExhaustionChild} in a child JVM whose descriptor limit is low ({@code ulimit -n}),
 * so running out of descriptors cannot disturb this JVM or the rest of the build.
 */
class FdExhaustionTest {

  @Test
  void runningOutOfDescriptorsKeepsServingAndAcceptingResumesWhenTheyFreeUp() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classPath = System.getProperty("java.class.path");
    String command = "ulimit -n 128; exec " + quote(java) + " -cp " + quote(classPath) + " "
        + FdExhaustionChild.class.getName();
    Process child =
        new ProcessBuilder(List.of("bash", "-c", command)).redirectErrorStream(true).start();
    child.getOutputStream().close();
    boolean ended = child.waitFor(60, TimeUnit.SECONDS);
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ended) {
      child.destroyForcibly();
    }
    assertThat(ended).as("child ended; output:%n%s", output).isTrue();
    assertThat(child.exitValue()).as("exit status; output:%n%s", output).isZero();
    assertThat(output).contains("serving went on", "accepting resumed");
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  static {
    assertThat(File.pathSeparator).isEqualTo(":");
  }
}
