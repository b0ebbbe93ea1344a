package dev.weft.process.internal;

import java.util.List;

/** Describes how a worker process ended, from its exit status as {@link Process} reports it. */
public final class Signals {
  private static final List<String> NAMES =
      List.of("", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
          "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM");

  private Signals() {}

  /**
   * {@code "died with signal 9 (SIGKILL)"} or {@code "exited with status 3"}. On Unix the JDK
   * reports a process killed by signal N as status 128 + N.
   */
  public static String describe(int status) {
    int signal = status - 128;
    if (signal > 0 && signal < 65) {
      String name = signal < NAMES.size() ? " (" + NAMES.get(signal) + ")" : "";
      return "died with signal " + signal + name;
    }
    return "exited with status " + status;
  }
}
