package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the examples in the javadoc compiling. The first example of every public type is a hybrid
 * snippet: the text in the javadoc, readable in the source, and a region of a class under the
 * module's test sources, which the build compiles. This test checks that the two say the same
 * thing, as javadoc does when it renders them with {@code --snippet-path src/test/java}.
 */
class SnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern EXPORTS =
      Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern SNIPPET = Pattern.compile("\\{@snippet([^:}\\n]*):");
  private static final Pattern ATTRIBUTE = Pattern.compile("(\\w+)=\"?([\\w.$-]+)\"?");
  private static final Pattern TYPE =
      Pattern.compile("^public\\s+(?:(?:final|abstract|sealed|non-sealed)\\s+)*"
          + "(?:class|interface|record|enum|@interface)\\s", Pattern.MULTILINE);
  private static final Pattern START = Pattern.compile("//\\s*@start\\s+region=\"?([\\w-]+)\"?");
  private static final Pattern END = Pattern.compile("//\\s*@end\\b");

  /** A public type's source file and its module. */
  record Source(String module, Path file) {
    @Override
    public String toString() {
      return ROOT.relativize(file).toString();
    }
  }

  static Stream<Source> publicTypes() throws IOException {
    List<Source> sources = new ArrayList<>();
    for (String module : List.of("weft-core", "weft-testing", "weft-net", "weft-http", "weft-process")) {
      Path main = ROOT.resolve(module).resolve("src/main/java");
      Matcher exports = EXPORTS.matcher(Files.readString(main.resolve("module-info.java")));
      while (exports.find()) {
        try (Stream<Path> files = Files.list(main.resolve(exports.group(1).replace('.', '/')))) {
          for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
            if (TYPE.matcher(Files.readString(file)).find()) {
              sources.add(new Source(module, file));
            }
          }
        }
      }
    }
    return sources.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("publicTypes")
  void theTypeJavadocOpensWithACompiledExample(Source source) throws IOException {
    String text = Files.readString(source.file());
    Matcher type = TYPE.matcher(text);
    assertThat(type.find()).isTrue();
    Matcher snippet = SNIPPET.matcher(text);
    assertThat(snippet.find() && snippet.start() < type.start())
        .as("%s: the type's javadoc has an example ({@snippet ...})", source)
        .isTrue();
    assertThat(attribute(snippet.group(1), "class"))
        .as("%s: the type's first example names the compiled class it quotes "
            + "({@snippet class=\"...\" region=\"...\" :})", source)
        .isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("publicTypes")
  void everyHybridExampleQuotesItsRegionExactly(Source source) throws IOException {
    String text = Files.readString(source.file());
    Matcher snippet = SNIPPET.matcher(text);
    while (snippet.find()) {
      String className = attribute(snippet.group(1), "class");
      if (className == null) {
        continue;
      }
      String region = attribute(snippet.group(1), "region");
      Path external = ROOT.resolve(source.module()).resolve("src/test/java")
          .resolve(className.replace('.', '/') + ".java");
      assertThat(external).as("%s quotes %s", source, className).exists();
      assertThat(inlineBody(text, snippet.end()))
          .as("%s: the example differs from region %s of %s", source, region, className)
          .isEqualTo(region(Files.readString(external), region));
    }
  }

  @Test
  void regionsAreReadAsJavadocReadsThem() {
    String external = """
        class X {
          void run() {
            if (ok) { // @start region="a"
              go();
            }
            // @end
          }
        }
        """;
    String javadoc = """
         * {@snippet class=X region=a :
         * if (ok) {
         *   go();
         * }
         * }
        """;
    int colon = javadoc.indexOf(':') + 1;
    List<String> expected = List.of("if (ok) {", "  go();", "}");
    assertThat(inlineBody(javadoc, colon)).isEqualTo(expected);
    assertThat(region(external, "a")).isEqualTo(expected);
    String markerAlone = external.replace(
        "if (ok) { // @start region=\"a\"", "// @start region=\"a\"\n            if (ok) {");
    assertThat(region(markerAlone, "a"))
        .as("a start marker alone on its line adds a blank line, as javadoc reads it")
        .isNotEqualTo(expected);
  }

  private static String attribute(String attributes, String name) {
    Matcher m = ATTRIBUTE.matcher(attributes);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(2);
      }
    }
    return null;
  }

  /**
   * The lines of an inline snippet body starting after its colon, up to the balancing brace, as
   * javadoc reads them: the rest of the colon's line is dropped when blank, and so is the text
   * before the closing brace.
   */
  private static List<String> inlineBody(String text, int from) {
    int depth = 1;
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        lines.add(line.toString());
        break;
      }
      if (c == '\n') {
        lines.add(line.toString());
        line.setLength(0);
      } else {
        line.append(c);
      }
    }
    List<String> body = new ArrayList<>();
    for (String l : lines) {
      body.add(l.replaceFirst("^\\s*\\*( |$)", ""));
    }
    if (!body.isEmpty() && body.getFirst().isBlank()) {
      body.removeFirst();
    }
    if (!body.isEmpty() && body.getLast().isBlank()) {
      body.removeLast();
    }
    return normalize(body);
  }

  /**
   * The lines of a region as javadoc reads them: from the line that carries {@code @start} (the
   * markup comment removed; a line that held nothing else stays as a blank line) up to the line
   * before {@code @end}.
   */
  private static List<String> region(String text, String name) {
    List<String> body = new ArrayList<>();
    boolean inside = false;
    for (String line : text.split("\n", -1)) {
      Matcher start = START.matcher(line);
      if (start.find()) {
        inside = start.group(1).equals(name);
        if (inside) {
          body.add(line.substring(0, start.start()).stripTrailing());
        }
      } else if (inside && END.matcher(line).find()) {
        return normalize(body);
      } else if (inside) {
        body.add(line);
      }
    }
    throw new AssertionError("no region " + name);
  }

  /** Removes the indentation common to the lines that are not blank, as javadoc does. */
  private static List<String> normalize(List<String> lines) {
    int indent = lines.stream()
        .filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length())
        .min()
        .orElse(0);
    return lines.stream()
        .map(line -> line.isBlank() ? "" : line.substring(indent).stripTrailing())
        .toList();
  }
}
