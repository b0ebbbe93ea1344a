package dev.weft.cli.fetch;

import dev.weft.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongConsumer;

/**
 * A {@link Downloader} on the JDK's {@link HttpClient}: HTTP/1.1, redirects followed as browsers
 * do (never from https to http), the client's own work on virtual threads, and the body streamed
 * from {@link BodyHandlers#ofInputStream()} into the channel on the caller's thread.
 *
 * <p>The JDK's request timeout ends when the response head arrives; a body that stalls after
 * that would block forever. A {@link Watchdog} closes the body stream when no byte came for the
 * request's timeout, which turns the blocked read into an {@link HttpTimeoutException}.
 *
 * <p>Thread contract: thread-safe; the client and its executor are shared by every download.
 */
final class JdkDownloader implements Downloader {
  private static final int CHUNK = 16 * 1024;
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client;
  private final Clock clock;

  JdkDownloader(Clock clock) {
    this.clock = clock;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .executor(executor)
            .build();
  }

  @Override
  public Response download(Request request, WritableByteChannel body, LongConsumer bytesReceived)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> response = client.send(toJdk(request), BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      int status = response.statusCode();
      var retryAfter = response.headers().firstValue("retry-after");
      if (status / 100 != 2) {
        return new Response(status, retryAfter, 0);
      }
      long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
      if (declared > request.maxBytes()) {
        throw new FetchTooLargeException(request.maxBytes(), declared);
      }
      long copied = copy(in, body, bytesReceived, request);
      if (declared >= 0 && copied != declared) {
        throw new IOException("connection closed after " + copied + " of " + declared + " bytes");
      }
      return new Response(status, retryAfter, copied);
    }
  }

  /** The JDK request; a header the JDK client refuses ({@code Host}, {@code Connection}...) is an IllegalArgumentException. */
  private HttpRequest toJdk(Request request) {
    var publisher = request.body() == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(request.body());
    var builder = HttpRequest.newBuilder(request.uri()).timeout(request.timeout()).method(request.method(), publisher);
    for (Map.Entry<String, String> header : request.headers()) {
      try {
        builder.header(header.getKey(), header.getValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("header not allowed by the JDK HTTP client: " + header.getKey(), e);
      }
    }
    return builder.build();
  }

  private long copy(InputStream in, WritableByteChannel body, LongConsumer bytesReceived, Request request)
      throws IOException, InterruptedException {
    byte[] chunk = new byte[CHUNK];
    long total = 0;
    try (var watchdog = Watchdog.start(clock, request.timeout(), in)) {
      while (true) {
        int n = read(in, chunk, watchdog, request);
        if (n < 0) {
          return total;
        }
        total += n;
        if (total > request.maxBytes()) {
          throw new FetchTooLargeException(request.maxBytes(), -1);
        }
        ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
        while (buffer.hasRemaining()) {
          body.write(buffer);
        }
        bytesReceived.accept(n);
      }
    }
  }

  private static int read(InputStream in, byte[] chunk, Watchdog watchdog, Request request)
      throws IOException, InterruptedException {
    try {
      int n = in.read(chunk);
      watchdog.progressed();
      return n;
    } catch (IOException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException("download of " + request.uri() + " interrupted");
      }
      if (watchdog.fired()) {
        throw new HttpTimeoutException("no data for " + request.timeout().toMillis() + " ms");
      }
      throw e;
    }
  }

  @Override
  public void close() {
    client.shutdownNow();
    try {
      client.awaitTermination(CLOSE_GRACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
  }
}
