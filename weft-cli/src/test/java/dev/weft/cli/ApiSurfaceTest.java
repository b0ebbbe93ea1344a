package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lists every public signature that each library module exports into {@code api/MODULE.api}, so
 * that every change to the public API shows in a diff. After an intended change, regenerate the
 * files with {@code ./build verify -Dweft.api.update=true} and commit them.
 */
class ApiSurfaceTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern EXPORTS = Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

  static Stream<String> libraryModules() {
    return Stream.of("weft-core", "weft-testing", "weft-net", "weft-http", "weft-process")
        .filter(module -> Files.isDirectory(ROOT.resolve(module).resolve("target/classes")));
  }

  @ParameterizedTest
  @MethodSource("libraryModules")
  void publicApiMatchesTheCheckedInDump(String module) throws IOException {
    String actual = String.join("\n", dump(module)) + "\n";
    Path file = ROOT.resolve("api").resolve(module + ".api");
    if (Boolean.getBoolean("weft.api.update") || !Files.exists(file)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual);
    }
    assertThat(actual)
        .as("public API of %s differs from %s: regenerate with -Dweft.api.update=true", module, file)
        .isEqualTo(Files.readString(file));
  }

  private static List<String> dump(String module) throws IOException {
    String moduleInfo = Files.readString(ROOT.resolve(module).resolve("src/main/java/module-info.java"));
    List<String> lines = new ArrayList<>();
    Matcher exports = EXPORTS.matcher(moduleInfo);
    while (exports.find()) {
      for (Class<?> type : publicTypes(module, exports.group(1))) {
        lines.add(type.toGenericString());
        members(type).forEach(member -> lines.add("  " + member));
      }
    }
    return lines;
  }

  private static List<Class<?>> publicTypes(String module, String pkg) {
    Path dir = ROOT.resolve(module).resolve("target/classes").resolve(pkg.replace('.', '/'));
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith(".class"))
          .map(name -> load(pkg + "." + name.substring(0, name.length() - ".class".length())))
          .filter(ApiSurfaceTest::isExported)
          .sorted(Comparator.comparing(Class::getName))
          .<Class<?>>map(type -> type)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isExported(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
      if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isSynthetic()) {
        return false;
      }
    }
    return true;
  }

  private static Stream<String> members(Class<?> type) {
    Stream<Member> members =
        Stream.of(
                Stream.<Member>of(type.getDeclaredConstructors()),
                Stream.<Member>of(type.getDeclaredMethods()),
                Stream.<Member>of(type.getDeclaredFields()))
            .flatMap(s -> s);
    return members
        .filter(m -> !m.isSynthetic())
        .filter(m -> Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers()))
        .map(ApiSurfaceTest::signature)
        .sorted();
  }

  private static String signature(Member member) {
    return switch (member) {
      case Executable executable -> executable.toGenericString();
      case Field field -> field.toGenericString();
      default -> member.toString();
    };
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ApiSurfaceTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("exported class not on the test class path: " + name, e);
    }
  }
}
