package dev.weft.http.snippets;

import dev.weft.http.AccessLog;
import dev.weft.http.HttpException;
import dev.weft.http.HttpHandler;
import dev.weft.http.HttpHeaders;
import dev.weft.http.HttpOptions;
import dev.weft.http.HttpRequest;
import dev.weft.http.HttpResponse;
import dev.weft.http.HttpServer;
import dev.weft.http.HttpServerStats;
import dev.weft.http.HttpVersion;
import dev.weft.http.Router;
import dev.weft.http.StaticFiles;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The examples in the javadoc of weft-http's public types, compiled. Each type's javadoc quotes
 * its region of this file in a hybrid snippet ({@code {@snippet class=... region=... :}}):
 * {@code SnippetsTest} in weft-cli checks that the quoted text and the region are the same, and
 * javadoc checks it again when it renders them.
 */
@SuppressWarnings({"try", "serial"})
final class HttpSnippets {
  private HttpSnippets() {}

  /** Context for the example on {@link HttpHeaders}. */
  static class HttpHeadersExample {
    void run() throws Exception {
      HttpHeaders headers = HttpHeaders.of("Cache-Control", "no-store").with("X-Request", "42"); // @start region="httpHeaders"
      Optional<String> cache = headers.value("cache-control"); // "no-store"
      // @end
    }
  }

  /** Context for the example on {@link HttpResponse}. */
  static class HttpResponseExample {
    long size = 1024;

    void run() throws Exception {
      HttpResponse hello = HttpResponse.text("hello\n"); // @start region="httpResponse"
      HttpResponse created = HttpResponse.text(201, "made\n").withHeader("Location", "/files/a");
      HttpResponse json = HttpResponse.bytes(200, "application/json", "{}".getBytes(UTF_8));
      HttpResponse file = HttpResponse.file(200, "text/html", Path.of("index.html"), 0, size);
      // @end
    }
  }

  /** Context for the example on {@link StaticFiles}. */
  static class StaticFilesExample {
    void run() throws Exception {
      HttpHandler site = Router.builder() // @start region="staticFiles"
          .get("/api/time", request -> HttpResponse.text(Instant.now() + "\n"))
          .fallback(StaticFiles.under(Path.of("public")))
          .build();
      // @end
    }
  }

  /** Context for the example on {@link HttpHandler}. */
  static class HttpHandlerExample {
    void run() throws Exception {
      HttpHandler hello = request -> HttpResponse.text("hello " + request.path() + "\n"); // @start region="httpHandler"
      try (var server = HttpServer.start(0, hello)) {
        System.out.println("serving on " + server.address());
        server.awaitTermination();
      }
      // @end
    }
  }

  /** Context for the example on {@link HttpServer}. */
  static class HttpServerExample {
    void run() throws Exception {
      var counter = new AtomicLong(); // @start region="httpServer"
      HttpHandler handler = Router.builder()
          .get("/", HttpHandler.nonBlocking(request -> HttpResponse.text("I am request #" + counter.incrementAndGet() + "\n")))
          .fallback(StaticFiles.under(Path.of("public")))
          .build();
      try (var server = HttpServer.start(8080, handler)) {
        System.out.println("serving on http://" + server.address().getHostString() + ":" + server.port());
        server.awaitTermination();
      }
      // @end
    }
  }

  /** Context for the example on {@link HttpHandler#nonBlocking}. */
  static class NonBlockingExample {
    void run() throws Exception {
      var counter = new AtomicLong(); // @start region="nonBlocking"
      HttpHandler count = HttpHandler.nonBlocking(
          request -> HttpResponse.text("I am request #" + counter.incrementAndGet() + "\n"));
      // @end
      count.handle(HttpRequest.create("GET", "/"));
    }
  }

  /** Context for the example on {@link Router}. */
  static class RouterExample {
    HttpResponse store(HttpRequest request) {
      return HttpResponse.text(201, "stored\n");
    }

    void run() throws Exception {
      HttpHandler app = Router.builder() // @start region="router"
          .get("/", request -> HttpResponse.text("home\n"))
          .get("/files/{name}", request -> HttpResponse.text(request.pathParameter("name") + "\n"))
          .post("/files/{name}", request -> store(request))
          .fallback(StaticFiles.under(Path.of("public")))
          .build();
      // @end
    }
  }

  /** Context for the example on {@link AccessLog}. */
  static class AccessLogExample {
    void run() throws Exception {
      var options = HttpOptions.defaults().withAccessLog(AccessLog.ON); // @start region="accessLog"
      // 127.0.0.1 - - [22/Nov/2026:09:00:00 +0000] "GET / HTTP/1.1" 200 18 0.2ms
      // @end
    }
  }

  /** Context for the example on {@link HttpServerStats}. */
  static class HttpServerStatsExample {
    HttpServer server;

    void run() throws Exception {
      HttpServerStats stats = server.stats(); // @start region="httpServerStats"
      System.out.printf("%d open, %d requests%n", stats.open(), stats.requests());
      // @end
    }
  }

  /** Context for the example on {@link HttpRequest}. */
  static class HttpRequestExample {
    void run() throws Exception {
      HttpHandler upload = request -> { // @start region="httpRequest"
        String name = request.pathParameter("name");
        try (InputStream body = request.body()) {
          long size = body.transferTo(OutputStream.nullOutputStream());
          return HttpResponse.text(201, name + ": " + size + " bytes\n");
        }
      };
      // @end
    }
  }

  /** Context for the example on {@link HttpOptions}. */
  static class HttpOptionsExample {
    void run() throws Exception {
      var options = HttpOptions.defaults() // @start region="httpOptions"
          .withMaxBodySize(100L << 20)                 // 100 MiB uploads
          .withHeaderReadTimeout(Duration.ofSeconds(5))
          .withAccessLog(AccessLog.ON);
      // @end
    }
  }

  /** Context for the example on {@link HttpException}. */
  static class HttpExceptionExample {
    void run() throws Exception {
      HttpHandler handler = request -> { // @start region="httpException"
        String name = request.pathParameter("name");
        if (name.length() > 64) {
          throw new HttpException(400, "name must be at most 64 characters: " + name.length());
        }
        return HttpResponse.text("hello " + name);
      };
      // @end
    }
  }

  /** Context for the example on {@link BodyWriter}. */
  static class BodyWriterExample {
    void run() throws Exception {
      HttpResponse ticks = HttpResponse.stream(200, "text/plain", out -> { // @start region="bodyWriter"
        for (int i = 0; i < 3; i++) {
          out.write(("tick " + i + "\n").getBytes(StandardCharsets.US_ASCII));
          out.flush(); // sends what was written so far
        }
      });
      // @end
    }
  }

  /** Context for the example on {@link HttpVersion}. */
  static class HttpVersionExample {
    HttpRequest request;

    void run() throws Exception {
      boolean persistentByDefault = request.version() == HttpVersion.HTTP_1_1; // @start region="httpVersion"
      // @end
    }
  }
}
