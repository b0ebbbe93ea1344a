package dev.weft.http.client;

import dev.weft.Clock;
import dev.weft.http.HttpHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * What {@link HttpFetcher} hands to the JDK's {@link HttpClient}: {@code https:} (TLS, HTTP/2) and
 * any scheme weft's own client does not speak. The body is read on the caller's thread from the
 * JDK's stream, under the same contract as weft's exchanges: 2xx bodies to the sink with the size
 * guard and progress, others dropped, and each wait for body bytes bounded by the timeout (an alarm
 * closes the stream), since the JDK's own timeout stops at the response head.
 *
 * <p>Threads: any; the JDK client is thread-safe and built once.
 */
final class JdkDelegate {
  /** Fields the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");

  private final HttpClient client;
  private final Clock clock;

  JdkDelegate(Duration connectTimeout, int maxRedirects, Clock clock) {
    this.client = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(maxRedirects > 0 ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
        .build();
    this.clock = clock;
  }

  FetchResponse fetch(FetchRequest request, HttpHeaders extra, Duration timeout, WritableByteChannel sink,
      LongConsumer progress) throws IOException, InterruptedException {
    var builder = HttpRequest.newBuilder(request.uri())
        .timeout(timeout)
        .method(request.method(), request.body().length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    for (HttpHeaders headers : List.of(extra, request.headers())) {
      for (int i = 0; i < headers.size(); i++) {
        if (!RESTRICTED.contains(headers.name(i).toLowerCase(java.util.Locale.ROOT))) {
          builder.header(headers.name(i), headers.value(i));
        }
      }
    }
    HttpResponse<InputStream> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    HttpHeaders headers = headers(response.headers().map());
    boolean deliver = response.statusCode() >= 200 && response.statusCode() <= 299;
    long bytes = 0;
    try (InputStream body = response.body()) {
      if (deliver) {
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (length > request.maxBytes()) {
          throw new BodyTooLargeException("response body of " + length + " bytes is longer than the "
              + request.maxBytes() + " allowed", request.maxBytes());
        }
        bytes = copy(body, request.maxBytes(), timeout, sink, progress);
      }
    }
    return new FetchResponse(response.statusCode(), headers, bytes, response.uri());
  }

  private long copy(InputStream body, long maxBytes, Duration timeout, WritableByteChannel sink, LongConsumer progress)
      throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long bytes = 0;
    while (true) {
      var expired = new java.util.concurrent.atomic.AtomicBoolean();
      Clock.Alarm alarm = clock.schedule(timeout, () -> {
        expired.set(true);
        closeQuietly(body);
      });
      int n;
      try {
        n = body.read(buffer);
      } catch (IOException e) {
        if (expired.get()) {
          throw new HttpTimeoutException("no body bytes within " + timeout.toMillis() + " ms");
        }
        throw e;
      } finally {
        alarm.cancel();
      }
      if (n < 0) {
        if (expired.get()) {
          throw new HttpTimeoutException("no body bytes within " + timeout.toMillis() + " ms");
        }
        return bytes;
      }
      if (n > maxBytes - bytes) {
        throw new BodyTooLargeException("response body is longer than the " + maxBytes + " bytes allowed", maxBytes);
      }
      ByteBuffer slice = ByteBuffer.wrap(buffer, 0, n);
      while (slice.hasRemaining()) {
        sink.write(slice);
      }
      bytes += n;
      progress.accept(n);
    }
  }

  private static HttpHeaders headers(Map<String, List<String>> map) {
    HttpHeaders headers = HttpHeaders.empty();
    for (var entry : map.entrySet()) {
      if (entry.getKey().startsWith(":")) {
        continue; // HTTP/2 pseudo-headers
      }
      for (String value : entry.getValue()) {
        headers = headers.with(entry.getKey(), value);
      }
    }
    return headers;
  }

  private static void closeQuietly(InputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // the alarm only needs the blocked read to return
    }
  }

  void close() {
    client.close();
  }
}
