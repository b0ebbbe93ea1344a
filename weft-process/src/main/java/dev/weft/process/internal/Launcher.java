package dev.weft.process.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a worker: the parent's {@code java} binary, class path and module path, the
 * JVM flags weft needs, the user's JVM options, and {@link WorkerMain}.
 */
public final class Launcher {
  /** Flags every weft JVM needs on 25. */
  public static final List<String> WEFT_FLAGS =
      List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED");

  private Launcher() {}

  /** The command that starts worker {@code workerId} of this process. */
  public static List<String> command(int workerId, List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(WEFT_FLAGS);
    command.add("-XX:-UsePerfData");
    command.add("-Dweft.process.parent=" + ProcessHandle.current().pid());
    command.add("-Dweft.process.worker=" + workerId);
    command.addAll(jvmOptions);
    String classPath = System.getProperty("java.class.path", "");
    String modulePath = System.getProperty("jdk.module.path");
    if (!classPath.isEmpty()) {
      command.add("-cp");
      command.add(classPath);
    }
    if (modulePath != null && !modulePath.isEmpty()) {
      command.add("--module-path");
      command.add(modulePath);
      command.add("--add-modules");
      command.add("ALL-MODULE-PATH");
    }
    Module module = WorkerMain.class.getModule();
    if (module.isNamed()) {
      command.add("-m");
      command.add(module.getName() + "/" + WorkerMain.class.getName());
    } else {
      command.add(WorkerMain.class.getName());
    }
    return command;
  }

  /** This JVM's launcher if it is a {@code java} binary, else {@code java.home}'s. */
  static String javaBinary() {
    String own = ProcessHandle.current().info().command().orElse("");
    String name = Path.of(own.isEmpty() ? "x" : own).getFileName().toString();
    if ((name.equals("java") || name.equals("java.exe")) && Files.isExecutable(Path.of(own))) {
      return own;
    }
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
