package dev.weft.bench.fetch;

import dev.weft.http.HttpOptions;
import dev.weft.http.HttpResponse;
import dev.weft.http.HttpServer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The flags server of the downloader benchmark, on weft's {@link HttpServer}: {@code
 * /flags/NNNN.gif} answers after {@code latency} milliseconds (the server side of a slow network),
 * with the status and bytes {@link Flags} gives; a stalling file sends half its body, pauses 100
 * ms, then the rest. {@code /stats} answers the number of connections accepted so far, at once.
 * Prints {@code ready PORT} when listening.
 *
 * <p>Usage: {@code FlagsServer PORT LATENCY_MS}
 */
public final class FlagsServer {
  private static final Duration STALL = Duration.ofMillis(100);

  private FlagsServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Duration latency = Duration.ofMillis(Long.parseLong(args[1]));
    byte[][] files = new byte[Flags.COUNT][];
    for (int i = 0; i < Flags.COUNT; i++) {
      files[i] = Flags.content(i);
    }
    var options = HttpOptions.defaults().withIdleTimeout(Duration.ofSeconds(30));
    var holder = new HttpServer[1];
    try (var server = HttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), request -> {
      if (request.path().equals("/stats")) {
        return HttpResponse.text(holder[0].stats().accepted() + "\n");
      }
      Thread.sleep(latency);
      int index = index(request.path());
      if (index < 0) {
        return HttpResponse.text(404, "no such flag\n");
      }
      int status = Flags.status(index);
      if (status != 200) {
        return HttpResponse.text(status, status == 404 ? "no such flag\n" : "flag server failed\n");
      }
      byte[] body = files[index];
      if (!Flags.stalls(index)) {
        return HttpResponse.bytes(200, "image/gif", body);
      }
      return HttpResponse.stream(200, "image/gif", body.length, out -> {
        out.write(body, 0, body.length / 2);
        out.flush();
        pause();
        out.write(body, body.length / 2, body.length - body.length / 2);
      });
    }, options)) {
      holder[0] = server;
      System.out.println("ready " + server.port());
      server.awaitTermination();
    }
  }

  private static int index(String path) {
    if (!path.startsWith("/flags/") || !path.endsWith(".gif") || path.length() != "/flags/0000.gif".length()) {
      return -1;
    }
    try {
      int index = Integer.parseInt(path.substring(7, 11));
      return index < Flags.COUNT ? index : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void pause() throws IOException {
    try {
      Thread.sleep(STALL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("stall interrupted");
    }
  }
}
