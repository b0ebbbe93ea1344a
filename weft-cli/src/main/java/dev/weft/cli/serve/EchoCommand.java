package dev.weft.cli.serve;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code weft serve echo}: the TCP echo server. */
@Command(name = "echo", mixinStandardHelpOptions = true, description = "Echo every byte back (default port 7001).")
final class EchoCommand implements Callable<Integer> {
  static final int DEFAULT_PORT = 7001;

  @Mixin ServerOptions options;

  @Override
  public Integer call() throws Exception {
    var running = Servers.start(options.endpoint(DEFAULT_PORT), Servers.echo(), options.connectionOptions(), options.loops);
    return ServerRun.serve("echo", running, options.grace, () -> "");
  }
}
