package dev.weft.cli.serve;

import dev.weft.net.ConnectionOptions;
import dev.weft.net.Endpoint;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every {@code weft serve} server takes (a picocli mixin). */
public final class ServerOptions {
  @Option(names = "--port", description = "TCP port to listen on (0: any free port; default: 7001 for echo, 7002 for pubsub).")
  int port = -1;

  @Option(names = "--host", defaultValue = Endpoint.LOOPBACK, description = "Interface to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String host;

  @Option(names = "--backlog", defaultValue = "4096", description = "Listen backlog (default: ${DEFAULT-VALUE}).")
  int backlog;

  @Option(names = "--max-connections", defaultValue = "65536", description = "Connections kept open at once; more are closed at once and counted (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--idle-timeout",
      defaultValue = "0",
      converter = DurationConverter.class,
      description = "Close a connection idle this long, e.g. 30s, 5m, 500ms (default: never).")
  Duration idleTimeout;

  @Option(names = "--loops", description = "Event loops (default: one per processor).")
  int loops;

  @Option(names = "--grace", defaultValue = "5s", converter = DurationConverter.class, description = "How long shutdown lets connections finish sending (default: ${DEFAULT-VALUE}).")
  Duration grace;

  Endpoint endpoint(int defaultPort) {
    return new Endpoint(host, port < 0 ? defaultPort : port, backlog);
  }

  ConnectionOptions connectionOptions() {
    return ConnectionOptions.defaults().withMaxConnections(maxConnections).withIdleTimeout(idleTimeout);
  }

  /** Reads {@code 30s}, {@code 5m}, {@code 250ms}, {@code 1h}, {@code 0}, or ISO-8601 {@code PT30S}. */
  static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parse(value);
    }

    static Duration parse(String value) {
      String text = value.trim().toLowerCase(java.util.Locale.ROOT);
      try {
        if (text.startsWith("pt")) {
          return Duration.parse(text);
        }
        if (text.equals("0")) {
          return Duration.ZERO;
        }
        if (text.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
          case 's' -> Duration.ofSeconds(amount);
          case 'm' -> Duration.ofMinutes(amount);
          case 'h' -> Duration.ofHours(amount);
          default -> throw new IllegalArgumentException();
        };
      } catch (RuntimeException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "duration must look like 30s, 5m, 500ms or PT30S: " + value);
      }
    }
  }
}
