package dev.weft.bench.fetch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks the work of a tool outside the JVM: its directory against {@link Flags}, and its list of
 * statuses (one per line) against the set's counts. Prints {@code ok} or what is wrong.
 *
 * <p>Usage: {@code FlagsCheck DIR STATUSES}
 */
public final class FlagsCheck {
  private FlagsCheck() {}

  public static void main(String[] args) throws Exception {
    int problems = Flags.check(Path.of(args[0]));
    List<String> statuses = Files.readAllLines(Path.of(args[1]));
    long ok = statuses.stream().filter("200"::equals).count();
    long notFound = statuses.stream().filter("404"::equals).count();
    long failed = statuses.stream().filter("500"::equals).count();
    boolean counts = ok == Flags.COUNT - Flags.NOT_FOUND - Flags.SERVER_ERROR
        && notFound == Flags.NOT_FOUND && failed == Flags.SERVER_ERROR;
    System.out.println(problems == 0 && counts ? "ok" : "WRONG(" + problems + " file problems, 200=" + ok + " 404=" + notFound + " 500=" + failed + ")");
  }
}
