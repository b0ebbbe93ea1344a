package dev.weft.cli.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Clock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.channels.Channels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The same {@link Downloader} contract on both clients: weft's for http:, and the JDK's. */
@Timeout(30)
class WeftDownloaderTest {
  private TestServer server;

  @BeforeEach
  void start() throws IOException {
    server = new TestServer(3);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Downloader.Request get(String url, Duration timeout, long maxBytes) {
    return get(url, timeout, maxBytes, List.of());
  }

  private static Downloader.Request get(String url, Duration timeout, long maxBytes, List<Map.Entry<String, String>> headers) {
    return new Downloader.Request("GET", URI.create(url), headers, null, timeout, maxBytes);
  }

  @Test
  void bothClientsKeepTheContract() throws Exception {
    for (Downloaders.Client client : Downloaders.Client.values()) {
      try (Downloader downloader = Downloaders.create(client, 4, Clock.system())) {
        var body = new ByteArrayOutputStream();
        var progress = new AtomicLong();
        Downloader.Response ok = downloader.download(
            get(server.url("/ok/a"), Duration.ofSeconds(5), Long.MAX_VALUE), Channels.newChannel(body), progress::addAndGet);
        assertThat(ok.status()).as(client.toString()).isEqualTo(200);
        assertThat(body.toString()).isEqualTo("hello a");
        assertThat(ok.bytes()).isEqualTo(7);
        assertThat(progress.get()).isEqualTo(7);

        body.reset();
        Downloader.Response missing = downloader.download(
            get(server.url("/missing"), Duration.ofSeconds(5), Long.MAX_VALUE), Channels.newChannel(body), n -> { });
        assertThat(missing.status()).isEqualTo(404);
        assertThat(body.size()).as("%s: nothing written for a 404", client).isZero();

        assertThatThrownBy(() -> downloader.download(
            get(server.url("/big"), Duration.ofSeconds(5), 1000), Channels.newChannel(new ByteArrayOutputStream()), n -> { }))
            .as(client.toString()).isInstanceOf(FetchTooLargeException.class);
        assertThatThrownBy(() -> downloader.download(
            get(server.url("/stall"), Duration.ofMillis(300), Long.MAX_VALUE), Channels.newChannel(new ByteArrayOutputStream()), n -> { }))
            .as(client.toString()).isInstanceOf(HttpTimeoutException.class).hasMessageContaining("no data for 300 ms");
      }
    }
  }

  @Test
  void headersTheClientCannotSendAreBadRequests() {
    try (Downloader downloader = Downloaders.create(Downloaders.Client.WEFT, 4, Clock.system())) {
      assertThatThrownBy(() -> downloader.download(
          get(server.url("/ok/a"), Duration.ofSeconds(5), Long.MAX_VALUE, List.of(Map.entry("Bad Name", "x"))),
          Channels.newChannel(new ByteArrayOutputStream()), n -> { }))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("header not allowed by the weft HTTP client: Bad Name");
      assertThatThrownBy(() -> downloader.download(
          get(server.url("/ok/a"), Duration.ofSeconds(5), Long.MAX_VALUE, List.of(Map.entry("Content-Length", "1"))),
          Channels.newChannel(new ByteArrayOutputStream()), n -> { }))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("header not allowed by the weft HTTP client: Content-Length");
    }
  }

  @Test
  void httpsGoesToTheJdkClient() {
    try (Downloader downloader = Downloaders.create(Downloaders.Client.WEFT, 4, Clock.system())) {
      String url = server.url("/ok/a").replace("http:", "https:");
      assertThatThrownBy(() -> downloader.download(
          get(url, Duration.ofSeconds(5), Long.MAX_VALUE), Channels.newChannel(new ByteArrayOutputStream()), n -> { }))
          .isInstanceOf(IOException.class)
          .satisfies(e -> assertThat(e.getStackTrace()).anyMatch(frame -> frame.getClassName().endsWith("JdkDownloader")));
    }
  }
}
