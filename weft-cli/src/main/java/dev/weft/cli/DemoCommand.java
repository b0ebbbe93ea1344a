package dev.weft.cli;

import dev.weft.cli.fetch.FetchCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code weft demo}: the name {@code weft fetch --demo} had first, kept so that scripts and habits
 * keep working. Its own options map onto the fetch demo's; every other option goes to {@code weft
 * fetch} as it is.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "The same as 'weft fetch --demo': a concurrent download, on loopback.",
    description = {
      "Download ~300 flags concurrently from an embedded local server with latency",
      "and faults, and compare with one at a time. Needs no network. Other options",
      "are passed to 'weft fetch' (see weft fetch --help).",
      ""
    })
final class DemoCommand implements Callable<Integer> {
  @Option(names = {"-n", "--count"}, paramLabel = "N", description = "How many flags (weft fetch --demo-files).")
  Integer count;

  @Option(names = "--latency", paramLabel = "TIME", description = "Mean latency, e.g. 50ms (weft fetch --demo-latency).")
  String latency;

  @Option(names = "--error-rate", paramLabel = "SHARE", description = "Share of failing files, half 404s and half 500s.")
  Double errorRate;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of sizes, contents and faults (weft fetch --demo-seed).")
  Long seed;

  @Unmatched List<String> rest = new ArrayList<>();

  @Override
  public Integer call() {
    return new CommandLine(new FetchCommand()).execute(fetchArguments().toArray(String[]::new));
  }

  /** The {@code weft fetch} arguments this command stands for. */
  List<String> fetchArguments() {
    List<String> args = new ArrayList<>(List.of("--demo"));
    if (count != null) {
      args.addAll(List.of("--demo-files", count.toString()));
    }
    if (latency != null) {
      args.addAll(List.of("--demo-latency", latency));
    }
    if (errorRate != null) {
      String half = String.format(Locale.ROOT, "%.6f", errorRate / 2);
      args.addAll(List.of("--demo-404", half, "--demo-500", half));
    }
    if (seed != null) {
      args.addAll(List.of("--demo-seed", seed.toString()));
    }
    args.addAll(rest);
    return args;
  }
}
