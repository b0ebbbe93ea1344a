package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules that keep the sources honest, checked over every module: time is read only through a
 * {@code Clock}, tests never sleep to wait for an event, and library modules import only the JDK.
 */
class SourceRulesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern WALL_TIME =
      Pattern.compile("Thread\\.sleep\\(|TimeUnit\\.[A-Z]+\\.sleep\\(|System\\.nanoTime\\(");
  private static final List<String> LIBRARY_MODULES =
      List.of("weft-core", "weft-testing", "weft-net", "weft-http", "weft-process");

  @Test
  void onlyTheSystemClockReadsOrSleepsOnWallTime() {
    List<String> offenders =
        javaFiles()
            .filter(file -> !file.endsWith(Path.of("dev/weft/internal/SystemClock.java")))
            .filter(file -> !file.startsWith(ROOT.resolve("weft-bench")))
            .filter(file -> WALL_TIME.matcher(read(file)).find())
            .map(ROOT::relativize)
            .map(Path::toString)
            .toList();

    assertThat(offenders).as("files that read or sleep on wall time outside SystemClock").isEmpty();
  }

  @Test
  void libraryModulesImportOnlyTheJdkAndWeft() {
    Pattern foreignImport =
        Pattern.compile("^import (static )?(?!java\\.|javax\\.|jdk\\.|dev\\.weft\\.)", Pattern.MULTILINE);
    List<String> offenders =
        LIBRARY_MODULES.stream()
            .map(module -> ROOT.resolve(module).resolve("src/main/java"))
            .filter(Files::isDirectory)
            .flatMap(SourceRulesTest::walk)
            .filter(file -> foreignImport.matcher(read(file)).find())
            .map(ROOT::relativize)
            .map(Path::toString)
            .toList();

    assertThat(offenders).as("library sources importing something other than the JDK").isEmpty();
  }

  @Test
  void theRulesSeeTheSources() {
    assertThat(javaFiles().count()).as("java files found under %s", ROOT).isGreaterThan(10);
  }

  private static Stream<Path> javaFiles() {
    try (Stream<Path> modules = Files.list(ROOT)) {
      return modules
          .filter(dir -> dir.getFileName().toString().startsWith("weft-"))
          .flatMap(dir -> walk(dir.resolve("src")))
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Path> walk(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Stream.empty();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(file -> file.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
