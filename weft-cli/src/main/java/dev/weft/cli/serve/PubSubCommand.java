package dev.weft.cli.serve;

import dev.weft.net.Broadcast;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weft serve pubsub}: the broadcast chat. */
@Command(
    name = "pubsub",
    mixinStandardHelpOptions = true,
    description =
        "Broadcast chat (default port 7002): every line a client sends goes to every client, the sender"
            + " included, tagged [address], in the order received. A client that falls more than"
            + " --max-outbound bytes behind is disconnected, and the reason logged.")
final class PubSubCommand implements Callable<Integer> {
  static final int DEFAULT_PORT = 7002;

  @Mixin ServerOptions options;

  @Option(names = "--max-line", defaultValue = "16384", description = "Longest line accepted, in bytes; a longer one disconnects its sender (default: ${DEFAULT-VALUE}).")
  int maxLine;

  @Option(names = "--max-outbound", defaultValue = "4194304", description = "Bytes a subscriber may fall behind before it is disconnected (default: ${DEFAULT-VALUE}).")
  long maxOutbound;

  @Override
  public Integer call() throws Exception {
    var room = Broadcast.create();
    var connectionOptions = options.connectionOptions().withOutboundLimit(maxOutbound);
    var running = Servers.start(options.endpoint(DEFAULT_PORT), Servers.pubsub(room, maxLine), connectionOptions, options.loops);
    return ServerRun.serve("pubsub", running, options.grace, () -> {
      var stats = room.stats();
      return "subscribers=" + stats.subscribers() + " published=" + stats.published();
    });
  }
}
