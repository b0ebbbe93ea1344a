package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code weft} launcher script at the repository root, run in a copy of the repository's
 * layout whose jar is a small probe program ({@link LauncherProbe}) and whose {@code bin/find-jdk}
 * names this JVM's JDK and counts its calls: the AOT cache is recorded once, a cache that does not
 * fit is ignored without a word, a failed training is not repeated, and the JDK found is
 * remembered.
 */
@DisabledOnOs(OS.WINDOWS) // the launcher is a bash script; weft's machines and CI are Linux
class LauncherTest {
  @TempDir Path root;
  private Path target;
  private Path jar;

  @BeforeEach
  void layout() throws IOException {
    Path launcher = Path.of("..", "weft").toAbsolutePath().normalize();
    Files.copy(launcher, root.resolve("weft"));
    Files.createDirectories(root.resolve("bin"));
    Path findJdk = root.resolve("bin/find-jdk");
    Files.writeString(findJdk, "#!/usr/bin/env bash\necho x >> \"$(dirname \"$0\")/find-jdk.calls\"\necho '"
        + System.getProperty("java.home") + "'\n");
    Files.setPosixFilePermissions(findJdk, PosixFilePermissions.fromString("rwxr-xr-x"));
    target = Files.createDirectories(root.resolve("weft-cli/target"));
    jar = target.resolve("weft.jar");
    writeProbeJar(jar);
  }

  @Test
  void firstRunRecordsTheCacheAndPassesArgumentsThrough() throws Exception {
    Run first = launch(Map.of(), "hello", "world");

    assertThat(first.status()).as(first.toString()).isZero();
    assertThat(first.out()).contains("args=[hello, world]").contains("weft.exit=fast");
    assertThat(first.err()).isEqualTo("weft: recording the start-up cache (once per build, a few seconds)...\n");
    assertThat(target.resolve("weft.aot")).isNotEmptyFile();
    assertThat(Files.list(target).map(p -> p.getFileName().toString()))
        .as("nothing left of the training").containsExactlyInAnyOrder("weft.jar", "weft.aot", "java-home");

    Run second = launch(Map.of(), "again");
    assertThat(second.status()).isZero();
    assertThat(second.out()).contains("args=[again]");
    assertThat(second.err()).as("no second training, no JVM message").isEmpty();
  }

  @Test
  void aTrainingRunThatEndsWithStatusOneStillRecordsTheCache() throws Exception {
    Files.writeString(root.resolve("some-downloads-fail"), "");

    Run run = launch(Map.of(), "one");

    assertThat(run.status()).as(run.toString()).isZero();
    assertThat(target.resolve("weft.aot")).isNotEmptyFile();
    assertThat(target.resolve("weft.aot.failed")).doesNotExist();
  }

  @Test
  void aCacheThatDoesNotFitTheJarIsIgnoredQuietly() throws Exception {
    assertThat(launch(Map.of()).status()).isZero();
    writeProbeJar(jar); // another jar under the same name, older than the cache
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));

    Run run = launch(Map.of(), "stale");

    assertRanQuietly(run, "stale");
  }

  @Test
  void aDamagedCacheIsIgnoredQuietly() throws Exception {
    Files.writeString(target.resolve("weft.aot"), "not a cache");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60))); // the cache is the newer

    Run run = launch(Map.of(), "damaged");

    assertRanQuietly(run, "damaged");
  }

  @Test
  void aFailedTrainingIsRememberedAndNotRepeatedUntilTheNextBuild() throws Exception {
    Files.writeString(root.resolve("fail-training"), "");

    Run first = launch(Map.of(), "one");
    Run second = launch(Map.of(), "two");

    assertThat(first.status()).as(first.toString()).isZero();
    assertThat(first.out()).contains("args=[one]");
    assertThat(target.resolve("weft.aot.failed")).exists();
    assertThat(target.resolve("weft.aot")).doesNotExist();
    assertThat(second.err()).isEmpty();
    assertThat(second.out()).contains("args=[two]");
  }

  @Test
  void withoutTheCacheWhenAskedTo() throws Exception {
    Run run = launch(Map.of("WEFT_AOT", "0"), "plain");

    assertRanQuietly(run, "plain");
    assertThat(target.resolve("weft.aot")).doesNotExist();
  }

  @Test
  void theJdkFoundIsRememberedUntilItsVariablesChange() throws Exception {
    launch(Map.of("WEFT_AOT", "0"));
    launch(Map.of("WEFT_AOT", "0"));
    assertThat(Files.readAllLines(root.resolve("bin/find-jdk.calls"))).hasSize(1);

    Map<String, String> other = Map.of("WEFT_AOT", "0", "WEFT_JAVA_HOME", System.getProperty("java.home"));
    launch(other);
    assertThat(Files.readAllLines(root.resolve("bin/find-jdk.calls"))).hasSize(2);
    Run again = launch(other, "same");
    assertThat(Files.readAllLines(root.resolve("bin/find-jdk.calls"))).as("remembered under the new key").hasSize(2);
    assertThat(again.out()).contains("args=[same]");
  }

  private record Run(int status, String out, String err) {}

  private Run launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(root.resolve("weft").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
    builder.environment().remove("WEFT_JAVA_HOME");
    builder.environment().remove("JAVA_HOME");
    builder.environment().remove("WEFT_JAVA_OPTS");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  private static void writeProbeJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
    String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream probe = LauncherProbe.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      probe.transferTo(out);
      out.closeEntry();
      out.putNextEntry(new JarEntry("stamp-" + System.identityHashCode(new Object()))); // another jar each time
      out.closeEntry();
    }
  }

  /** The launcher ran the jar with {@code args} and said nothing on standard error. */
  private static void assertRanQuietly(Run run, String args) {
    assertThat(run.status()).as(run.toString()).isZero();
    assertThat(run.out()).contains("args=[" + args + "]");
    assertThat(run.err()).isEmpty();
  }
}
