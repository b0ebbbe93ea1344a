package dev.weft.process.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a worker: the parent's {@code java} binary, class path and module path, the
 * JVM flags weft needs, the tuning flags a short-lived worker on a small machine wants, the user's
 * JVM options, and {@link WorkerMain}.
 *
 * <p>The user's options come after the tuning flags, so for every {@code -XX:} flag and system
 * property the user's value wins (the JVM takes the last). A collector is the exception, since the
 * JVM refuses two: when the user's options choose one ({@code -XX:+UseG1GC}, ...), weft's is
 * left out.
 */
public final class Launcher {
  /** Flags every weft JVM needs on 25. */
  public static final List<String> WEFT_FLAGS =
      List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED");

  /**
   * The JVM's own messages (warnings, unified logging) go to stderr: by default the JVM prints
   * them on stdout, which is the worker's reply channel, and a warning there would break it.
   */
  public static final List<String> CHANNEL_FLAGS =
      List.of("-XX:+DisplayVMOutputToStderr", "-Xlog:disable", "-Xlog:all=warning:stderr");

  /**
   * The serial collector: one GC thread and no concurrent ones, so a worker's collector does not
   * compete with the other workers for the cores, and the JVM starts a little faster. Left out
   * when the user chooses a collector.
   */
  public static final String COLLECTOR_FLAG = "-XX:+UseSerialGC";

  private Launcher() {}

  /** The command that starts worker {@code workerId} of this process. */
  public static List<String> command(int workerId, List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(WEFT_FLAGS);
    command.add("-XX:-UsePerfData");
    command.addAll(CHANNEL_FLAGS);
    if (jvmOptions.stream().noneMatch(Launcher::choosesCollector)) {
      command.add(COLLECTOR_FLAG);
    }
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

  /** True for a flag that selects a garbage collector, such as {@code -XX:+UseZGC}. */
  static boolean choosesCollector(String option) {
    return option.startsWith("-XX:+Use") && option.endsWith("GC");
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
