package dev.weft.http.client.snippets;

import dev.weft.http.client.BodyTooLargeException;
import dev.weft.http.client.FetchRequest;
import dev.weft.http.client.FetchResponse;
import dev.weft.http.client.FetchStats;
import dev.weft.http.client.HttpFetcher;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * The examples in the javadoc of weft-http's public types, compiled. Each type's javadoc quotes
 * its region of this file in a hybrid snippet ({@code {@snippet class=... region=... :}}):
 * {@code SnippetsTest} in weft-cli checks that the quoted text and the region are the same, and
 * javadoc checks it again when it renders them.
 */
@SuppressWarnings({"try", "serial"})
final class ClientSnippets {
  private ClientSnippets() {}

  /** Context for the example on {@link BodyTooLargeException}. */
  static class BodyTooLargeExceptionExample {
    HttpFetcher fetcher = HttpFetcher.builder().build();
    URI uri = URI.create("http://127.0.0.1:8080/flags/br.gif");
    WritableByteChannel sink = Channels.newChannel(OutputStream.nullOutputStream());

    void run() throws Exception {
      try { // @start region="bodyTooLargeException"
        fetcher.fetch(FetchRequest.get(uri).withMaxBytes(10 << 20), sink, bytes -> {});
      } catch (BodyTooLargeException e) {
        System.err.println(uri + ": " + e.getMessage()); // nothing past 10 MiB reached the sink
      }
      // @end
    }
  }

  /** Context for the example on {@link FetchRequest}. */
  static class FetchRequestExample {
    void run() throws Exception {
      var get = FetchRequest.get(URI.create("http://127.0.0.1:8080/flags/br.gif")) // @start region="fetchRequest"
          .withHeader("Accept", "image/gif")
          .withTimeout(Duration.ofSeconds(5))
          .withMaxBytes(1 << 20);
      var post = FetchRequest.of("POST", URI.create("http://127.0.0.1:8080/echo"))
          .withBody("hello".getBytes(StandardCharsets.UTF_8));
      // @end
    }
  }

  /** Context for the example on {@link FetchResponse}. */
  static class FetchResponseExample {
    HttpFetcher fetcher = HttpFetcher.builder().build();
    URI uri = URI.create("http://127.0.0.1:8080/flags/br.gif");
    WritableByteChannel sink = Channels.newChannel(OutputStream.nullOutputStream());

    void run() throws Exception {
      FetchResponse response = fetcher.fetch(FetchRequest.get(uri), sink, bytes -> {}); // @start region="fetchResponse"
      switch (response.status()) {
        case 200 -> System.out.println(response.bytes() + " bytes from " + response.uri());
        case 404 -> System.out.println("not found");
        default -> System.out.println(response.headers().value("Retry-After").orElse("no Retry-After"));
      }
      // @end
    }
  }

  /** Context for the example on {@link FetchStats}. */
  static class FetchStatsExample {
    HttpFetcher fetcher = HttpFetcher.builder().build();
    URI uri = URI.create("http://127.0.0.1:8080/flags/br.gif");
    WritableByteChannel sink = Channels.newChannel(OutputStream.nullOutputStream());

    void run() throws Exception {
      FetchStats stats = fetcher.stats(); // @start region="fetchStats"
      System.out.printf("%d requests on %d connections (%d reused)%n",
          stats.requests(), stats.connectionsOpened(), stats.connectionsReused());
      // @end
    }
  }

  /** Context for the example on {@link HttpFetcher}. */
  static class HttpFetcherExample {
    void run() throws Exception {
      try (var fetcher = HttpFetcher.builder().maxConnectionsPerHost(64).build(); // @start region="httpFetcher"
          var file = FileChannel.open(Path.of("br.gif"), CREATE, WRITE, TRUNCATE_EXISTING)) {
        FetchResponse response = fetcher.fetch(
            FetchRequest.get(URI.create("http://127.0.0.1:8080/flags/br.gif")), file, bytes -> {});
        if (!response.successful()) {
          System.err.println("br.gif: " + response.status());
        }
      }
      // @end
    }
  }
}
