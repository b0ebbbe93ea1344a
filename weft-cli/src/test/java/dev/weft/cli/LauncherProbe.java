package dev.weft.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The program {@link LauncherTest} puts in the launcher's jar: prints its arguments and the exit
 * mode the launcher asked for; its training run fails when a file {@code fail-training} exists,
 * and ends with status 1 (as the demo does) when {@code some-downloads-fail} exists.
 */
public final class LauncherProbe {
  private LauncherProbe() {}

  public static void main(String[] args) {
    String exit = System.getProperty("weft.exit", "");
    if (exit.equals("link") && Files.exists(Path.of("fail-training"))) {
      System.exit(3); // not 0 or 1, the statuses of a training that worked
    }
    System.out.println("args=" + Arrays.toString(args) + " weft.exit=" + exit);
    if (exit.equals("link") && Files.exists(Path.of("some-downloads-fail"))) {
      System.exit(1); // what the demo's missing files make of a training run
    }
  }
}
