package dev.weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code weft} command: concurrent servers, downloads, loads and benchmarks on weft.
 *
 * <p>Exit status: 0 on success, 1 when some of the work failed, 2 for a usage error.
 */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    versionProvider = Weft.Version.class,
    description = "Concurrent programs on virtual threads: servers, downloads, loads, benchmarks.",
    subcommands = {
      dev.weft.cli.fetch.FetchCommand.class,
      DemoCommand.class,
      dev.weft.cli.serve.ServeCommand.class,
      ExamplesCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Weft {
  private Weft() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status (for tests). */
  static int run(String... args) {
    return commandLine(args).execute(args);
  }

  /**
   * The command line for {@code args}: {@code weft fetch ...} gets a {@code weft} that knows only
   * {@code fetch}, since building every subcommand's model (by reflection, and the examples list
   * loads every example class) costs about a tenth of a second at each start of a command whose
   * whole run may take one second. Usage, help and errors of {@code weft fetch} read the same.
   */
  static CommandLine commandLine(String... args) {
    if (args.length > 0 && args[0].equals("fetch")) {
      return new CommandLine(new FetchOnly()).addSubcommand("fetch", new dev.weft.cli.fetch.FetchCommand());
    }
    return new CommandLine(new Weft());
  }

  /** {@code weft} with no subcommand of its own, for {@link #commandLine}. */
  @Command(name = "weft", mixinStandardHelpOptions = true, versionProvider = Weft.Version.class)
  static final class FetchOnly {}

  /** The version from the jar's manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Weft.class.getPackage().getImplementationVersion();
      return new String[] {
        "weft " + (version == null ? "dev" : version),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
      };
    }
  }
}
