package dev.weft.cli.fetch;

import dev.weft.http.AccessLog;
import dev.weft.http.HttpOptions;
import dev.weft.http.HttpRequest;
import dev.weft.http.HttpResponse;
import dev.weft.http.HttpServer;
import dev.weft.http.Router;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A weft-http server that injects each failure {@code weft fetch} must handle, and counts the
 * requests for every path.
 */
final class TestServer implements AutoCloseable {
  static final int BIG = 1 << 20;

  final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch slowArrived;
  final Map<String, String> posted = new ConcurrentHashMap<>();
  private final HttpServer server;

  TestServer(int slowExpected) throws IOException {
    slowArrived = new CountDownLatch(slowExpected);
    var router = Router.builder()
        .get("/ok/{name}", request -> HttpResponse.text("hello " + count(request).pathParameter("name")))
        .get("/other/{name}", request -> HttpResponse.text("other " + count(request).pathParameter("name")))
        .get("/empty", request -> HttpResponse.text(200, count(request).path().isEmpty() ? "?" : ""))
        .get("/missing", request -> HttpResponse.text(404, "no " + count(request).path()))
        .get("/forbidden", request -> HttpResponse.text(403, "no " + count(request).path()))
        .get("/flaky", request -> hits(count(request)) == 1 ? HttpResponse.text(500, "once\n") : HttpResponse.text("recovered"))
        .get("/busy", request -> hits(count(request)) == 1
            ? HttpResponse.text(503, "later\n").withHeader("Retry-After", "7")
            : HttpResponse.text("served"))
        .get("/broken", request -> HttpResponse.text(500, "always " + count(request).path()))
        .get("/stall", request -> stall(count(request)))
        .get("/slow", request -> {
          count(request);
          slowArrived.countDown();
          release.await();
          return HttpResponse.text("late");
        })
        .get("/big", request -> HttpResponse.bytes(200, count(request).header("x").orElse("application/octet-stream"), new byte[BIG]))
        .get("/bigchunked", request -> HttpResponse.stream(200, "application/octet-stream", out -> {
          byte[] chunk = new byte[8192];
          for (int i = 0; i < BIG / chunk.length; i++) {
            out.write(chunk);
          }
        }))
        .post("/echo", request -> {
          count(request);
          posted.put("body", new String(request.readBody(), StandardCharsets.UTF_8));
          posted.put("x-token", request.header("x-token").orElse(""));
          posted.put("content-type", request.header("content-type").orElse(""));
          posted.put("method", request.method());
          return HttpResponse.text("posted");
        })
        .fallback(request -> HttpResponse.text("any " + count(request).path()))
        .build();
    server = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), router, HttpOptions.defaults().withAccessLog(AccessLog.OFF));
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  int hitsOf(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  private HttpRequest count(HttpRequest request) {
    hits.computeIfAbsent(request.path(), path -> new AtomicInteger()).incrementAndGet();
    return request;
  }

  private int hits(HttpRequest request) {
    return hitsOf(request.path());
  }

  private HttpResponse stall(HttpRequest request) {
    return HttpResponse.stream(200, "text/plain", 100, out -> {
      out.write(new byte[50]);
      out.flush();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException();
      }
      throw new IOException("released");
    });
  }

  @Override
  public void close() {
    release.countDown();
    try {
      server.shutdown(Duration.ofMillis(100));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.abort();
    }
  }
}
