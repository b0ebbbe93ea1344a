package dev.weft.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs an example's {@code main} with {@code System.out} captured, for tests. */
final class Output {
  private Output() {}

  /** A {@code main} method that may throw anything. */
  @FunctionalInterface
  interface Main {
    void run(String[] args) throws Exception;
  }

  /** What {@code main} printed to standard output, in order. */
  static synchronized String of(Main main, String... args) throws Exception {
    PrintStream original = System.out;
    var captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.run(args);
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
