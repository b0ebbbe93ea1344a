package dev.weft.http.client;

import dev.weft.http.HttpHeaders;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One request for an {@link HttpFetcher}: a method, an absolute URI, header fields, an optional
 * body, and the per-request limits. Built from a static factory and {@code with} methods.
 *
 * {@snippet class="dev.weft.http.client.snippets.ClientSnippets" region="fetchRequest" :
 * var get = FetchRequest.get(URI.create("http://127.0.0.1:8080/flags/br.gif"))
 *     .withHeader("Accept", "image/gif")
 *     .withTimeout(Duration.ofSeconds(5))
 *     .withMaxBytes(1 << 20);
 * var post = FetchRequest.of("POST", URI.create("http://127.0.0.1:8080/echo"))
 *     .withBody("hello".getBytes(StandardCharsets.UTF_8));
 * }
 *
 * <p>The fetcher frames the message itself: {@code Host}, {@code Content-Length}, {@code
 * Transfer-Encoding} and {@code Connection} fields given here are left out. Immutable (the body
 * array is not copied: do not change it afterwards).
 *
 * @param method the method, upper case ({@code GET}, {@code HEAD}, {@code POST}...)
 * @param uri the absolute {@code http:} or {@code https:} URI
 * @param headers fields to send besides the ones the fetcher adds
 * @param body the body to send; empty for none
 * @param timeout the longest wait for the response head, and then for each piece of the body; null
 *     for the fetcher's {@link HttpFetcher.Builder#requestTimeout request timeout}
 * @param maxBytes the most body bytes accepted; more fail with {@link BodyTooLargeException}
 */
public record FetchRequest(String method, URI uri, HttpHeaders headers, byte[] body, Duration timeout, long maxBytes) {
  private static final byte[] NO_BODY = new byte[0];

  public FetchRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    if (method.isEmpty() || !method.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
      throw new IllegalArgumentException("method must be upper-case letters: " + method);
    }
    if (!uri.isAbsolute() || uri.getHost() == null) {
      throw new IllegalArgumentException("uri must be absolute with a host: " + uri);
    }
    if (timeout != null && !timeout.isPositive()) {
      throw new IllegalArgumentException("timeout must be > 0: " + timeout);
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
    }
  }

  /** A {@code GET} of {@code uri}. */
  public static FetchRequest get(URI uri) {
    return of("GET", uri);
  }

  /** A {@code method} request for {@code uri}, without body, fields or limits of its own. */
  public static FetchRequest of(String method, URI uri) {
    return new FetchRequest(method, uri, HttpHeaders.empty(), NO_BODY, null, Long.MAX_VALUE);
  }

  /** This request with one more header field. */
  public FetchRequest withHeader(String name, String value) {
    return new FetchRequest(method, uri, headers.with(name, value), body, timeout, maxBytes);
  }

  /** This request with {@code bytes} as its body. */
  public FetchRequest withBody(byte[] bytes) {
    return new FetchRequest(method, uri, headers, bytes, timeout, maxBytes);
  }

  /** This request with its own timeout. */
  public FetchRequest withTimeout(Duration duration) {
    return new FetchRequest(method, uri, headers, body, duration, maxBytes);
  }

  /** This request accepting at most {@code bytes} of body. */
  public FetchRequest withMaxBytes(long bytes) {
    return new FetchRequest(method, uri, headers, body, timeout, bytes);
  }

  /** Whether the request may be sent twice with the effect of once (RFC 9110 section 9.2.2). */
  public boolean idempotent() {
    return switch (method) {
      case "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE" -> true;
      default -> false;
    };
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
