package dev.weft.cli.fetch;

import dev.weft.Clock;
import dev.weft.http.client.BodyTooLargeException;
import dev.weft.http.client.FetchRequest;
import dev.weft.http.client.FetchResponse;
import dev.weft.http.client.HttpFetcher;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * A {@link Downloader} on weft's own {@link HttpFetcher} for {@code http:} URLs, with as many
 * keep-alive connections per host as the run has transfers, so no transfer waits for a
 * connection; {@code https:} goes to a {@link JdkDownloader} (TLS and HTTP/2 are the JDK client's
 * strength), made on first use.
 *
 * <p>Thread contract: thread-safe; the fetcher and the JDK downloader are shared by every
 * download, and {@code jdk} is written once under {@code this}.
 */
final class WeftDownloader implements Downloader {
  private static final int MAX_REDIRECTS = 5;
  /** The fields the fetcher writes itself, refused from callers as the JDK client refuses them. */
  private static final Set<String> FRAMING =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");

  private final HttpFetcher fetcher;
  private final Clock clock;
  private volatile JdkDownloader jdk;

  WeftDownloader(int concurrency, Clock clock) {
    this.fetcher = HttpFetcher.builder()
        .maxConnectionsPerHost(Math.max(1, concurrency))
        .maxRedirects(MAX_REDIRECTS)
        .build();
    this.clock = clock;
  }

  @Override
  public Response download(Request request, WritableByteChannel body, LongConsumer bytesReceived)
      throws IOException, InterruptedException {
    if (!"http".equalsIgnoreCase(request.uri().getScheme())) {
      return jdk().download(request, body, bytesReceived);
    }
    FetchRequest fetch = FetchRequest.of(request.method(), request.uri())
        .withTimeout(request.timeout())
        .withMaxBytes(request.maxBytes());
    if (request.body() != null) {
      fetch = fetch.withBody(request.body());
    }
    for (Map.Entry<String, String> header : request.headers()) {
      fetch = withHeader(fetch, header.getKey(), header.getValue());
    }
    try {
      FetchResponse response = fetcher.fetch(fetch, body, bytesReceived);
      return new Response(response.status(), response.retryAfter(), response.bytes());
    } catch (BodyTooLargeException e) {
      throw new FetchTooLargeException(request.maxBytes(), -1);
    }
  }

  /**
   * {@code fetch} with one more header; a malformed one, or one that frames the message (which
   * the fetcher sets itself), is refused as the JDK client refuses it: an IllegalArgumentException,
   * which the command reports as a bad request without retrying.
   */
  private static FetchRequest withHeader(FetchRequest fetch, String name, String value) {
    if (FRAMING.contains(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("header not allowed by the weft HTTP client: " + name);
    }
    try {
      return fetch.withHeader(name, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("header not allowed by the weft HTTP client: " + name, e);
    }
  }

  private JdkDownloader jdk() {
    JdkDownloader current = jdk;
    if (current == null) {
      synchronized (this) {
        current = jdk;
        if (current == null) {
          current = new JdkDownloader(clock);
          jdk = current;
        }
      }
    }
    return current;
  }

  @Override
  public void close() {
    fetcher.close();
    JdkDownloader current = jdk;
    if (current != null) {
      current.close();
    }
  }
}
