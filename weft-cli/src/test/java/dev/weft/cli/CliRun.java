package dev.weft.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * One run of the command line in this JVM, with standard output and error captured. Tests that
 * use it hold JUnit's {@code SYSTEM_OUT} resource lock.
 */
public record CliRun(int status, String out, String err) {

  public static CliRun of(String... args) {
    return capture(null, () -> Weft.run(args));
  }

  /** Runs {@code command} (a picocli command object) with {@code args}, as {@code weft} would. */
  public static CliRun of(Object command, String... args) {
    return capture(null, () -> new CommandLine(command).execute(args));
  }

  /** Runs {@code weft args} with {@code stdin} as its standard input. */
  public static CliRun withInput(String stdin, String... args) {
    return capture(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), () -> Weft.run(args));
  }

  private static CliRun capture(InputStream stdin, java.util.function.IntSupplier command) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    InputStream oldIn = System.in;
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    if (stdin != null) {
      System.setIn(stdin);
    }
    try {
      int status = command.getAsInt();
      return new CliRun(
          status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      System.setIn(oldIn);
    }
  }
}
