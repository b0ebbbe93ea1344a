package dev.weft.cli.serve;

import dev.weft.http.AccessLog;
import dev.weft.http.HttpHandler;
import dev.weft.http.HttpOptions;
import dev.weft.http.HttpServer;
import dev.weft.http.HttpServerStats;
import dev.weft.http.Router;
import dev.weft.http.StaticFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft serve http}: {@code GET /} answers {@code I am request #N}; with {@code --root}, the
 * files under it are served at their paths. Prints its address, serves until SIGINT or SIGTERM,
 * then shuts down gracefully and prints its counters.
 */
@Command(
    name = "http",
    mixinStandardHelpOptions = true,
    description = "HTTP/1.1 server: GET / answers 'I am request #N'; files under --root at their paths.")
public final class ServeHttp implements Callable<Integer> {
  @Option(names = "--port", required = true, description = "TCP port (0: any free port).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--root", description = "Directory whose files are served.")
  Path root;

  @Option(names = "--listing", description = "List directories without index.html under --root.")
  boolean listing;

  @Option(names = "--max-connections", defaultValue = "10000", description = "Connections open at once (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(names = "--idle-timeout", defaultValue = "60", description = "Seconds a kept-alive connection may wait (default: ${DEFAULT-VALUE}).")
  long idleSeconds;

  @Option(names = "--header-timeout", defaultValue = "10", description = "Seconds to receive a request's head (default: ${DEFAULT-VALUE}).")
  long headerSeconds;

  @Option(names = "--access-log", description = "Log every request (System.Logger dev.weft.http.access).")
  boolean accessLog;

  private final RequestCounter counter = new RequestCounter();

  @Override
  public Integer call() throws IOException, InterruptedException {
    HttpServer server = start();
    PrintStream out = System.out;
    out.println("weft serve http: listening on http://" + server.address().getHostString() + ":" + server.port() + "/");
    out.flush();
    Thread hook = new Thread(() -> {
      server.close();
      out.println("weft serve http: stopped; " + describe(server.stats()));
      out.flush();
    }, "weft-serve-http-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    server.awaitTermination();
    return 0;
  }

  /** Starts the server these options describe (the command without waiting, for tests). */
  HttpServer start() throws IOException {
    HttpOptions options = HttpOptions.defaults()
        .withMaxConnections(maxConnections)
        .withIdleTimeout(Duration.ofSeconds(idleSeconds))
        .withHeaderReadTimeout(Duration.ofSeconds(headerSeconds))
        .withAccessLog(accessLog ? AccessLog.ON : AccessLog.OFF);
    return HttpServer.start(new InetSocketAddress(host, port), handler(), options);
  }

  HttpHandler handler() {
    Router.Builder routes = Router.builder().get("/", counter);
    if (root != null) {
      StaticFiles files = StaticFiles.under(root);
      routes.fallback(listing ? files.withDirectoryListing() : files);
    }
    return routes.build();
  }

  long requestsCounted() {
    return counter.count();
  }

  static String describe(HttpServerStats stats) {
    return stats.accepted() + " connections (" + stats.rejected() + " rejected), " + stats.requests()
        + " requests, " + stats.refused() + " refused, " + stats.timeouts() + " timeouts";
  }
}
