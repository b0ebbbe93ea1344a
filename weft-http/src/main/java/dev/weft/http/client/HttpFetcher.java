package dev.weft.http.client;

import dev.weft.Clock;
import dev.weft.http.HttpHeaders;
import dev.weft.http.internal.ResponseHead;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.URI;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * weft's HTTP/1.1 client for many small downloads at once: each {@link #fetch fetch} runs on the
 * caller's (virtual) thread with blocking socket I/O, over a bounded pool of keep-alive connections
 * per host, and streams the body into a sink. {@code https:} and other schemes go to the JDK's
 * {@code HttpClient}, which does TLS and HTTP/2.
 *
 * {@snippet class="dev.weft.http.client.snippets.ClientSnippets" region="httpFetcher" :
 * try (var fetcher = HttpFetcher.builder().maxConnectionsPerHost(64).build();
 *     var file = FileChannel.open(Path.of("br.gif"), CREATE, WRITE, TRUNCATE_EXISTING)) {
 *   FetchResponse response = fetcher.fetch(
 *       FetchRequest.get(URI.create("http://127.0.0.1:8080/flags/br.gif")), file, bytes -> {});
 *   if (!response.successful()) {
 *     System.err.println("br.gif: " + response.status());
 *   }
 * }
 * }
 *
 * <h2>Exchanges</h2>
 *
 * A 2xx body is written to the sink as it arrives (with the progress callback told each piece's
 * size); the body of any other status is read and dropped, never written, so a 404 page cannot be
 * saved as a file. Bodies are framed by {@code Content-Length}, chunked coding or the server
 * closing; one that ends early (the peer closes before the announced length or in the middle of a
 * chunk) throws {@link java.io.EOFException}, never returns. Redirects (301, 302, 303, 307, 308)
 * are followed up to {@link Builder#maxRedirects}; a 303, and a 301 or 302 answering a {@code
 * POST}, continue as {@code GET} without the body. {@code Authorization} and {@code Cookie} fields
 * are not carried to another host.
 *
 * <h2>Connections</h2>
 *
 * At most {@link Builder#maxConnectionsPerHost} connections per host and port, in use or idle; a
 * caller beyond that waits for one to be given back (make the caller's own concurrency the limit
 * to wait less). Idle connections are reused most-recent first and dropped after {@link
 * Builder#idleTimeout}. A pooled connection the server had already closed is noticed when the
 * exchange finds the connection ended before any byte of the response; an idempotent request is
 * then sent once more on a new connection.
 *
 * <h2>Failures</h2>
 *
 * {@link java.net.http.HttpConnectTimeoutException} and {@link java.net.http.HttpTimeoutException}
 * (the same types as the JDK client's) for timeouts, {@link BodyTooLargeException} past {@link
 * FetchRequest#maxBytes()}, {@link ProtocolException} for a response that cannot be parsed or
 * passes the head limits (status line 8 KiB, 100 fields in 64 KiB), {@link java.io.EOFException}
 * for a response cut short, other {@link IOException}s for connection errors. A failed exchange
 * closes its connection. Interrupting the caller closes the connection and throws {@link
 * InterruptedException}.
 *
 * <p>Comparison with the JDK's {@code HttpClient}: that client runs every connection's I/O on one
 * selector thread and hands each response to an executor and a reactive body subscriber; for many
 * small responses from one host that hand-off, not the network, is the limit (see docs/design.md,
 * "The HTTP client"). Here the thread that asked does the reading, so there is no hand-off and the
 * concurrency is the caller's. Thread-safe: any number of threads may fetch at once.
 */
public final class HttpFetcher implements AutoCloseable {
  private final int maxConnectionsPerHost;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int maxRedirects;
  private final String userAgent;
  private final long idleNanos;
  private final Clock clock;
  private final Map<String, HostPool> pools = new ConcurrentHashMap<>();
  private final LongAdder requests = new LongAdder();
  private final LongAdder opened = new LongAdder();
  private final LongAdder reused = new LongAdder();
  private final LongAdder staleRetries = new LongAdder();
  private final LongAdder delegated = new LongAdder();
  private volatile JdkDelegate delegate; // built on first use, under this
  private volatile boolean closed;

  private HttpFetcher(Builder builder) {
    this.maxConnectionsPerHost = builder.maxConnectionsPerHost;
    this.connectTimeout = builder.connectTimeout;
    this.requestTimeout = builder.requestTimeout;
    this.maxRedirects = builder.maxRedirects;
    this.userAgent = builder.userAgent;
    this.idleNanos = builder.idleTimeout.toNanos();
    this.clock = builder.clock;
  }

  /** A builder with the defaults: 8 connections per host, 10 s to connect, 30 s per request. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Sends {@code request} and streams a 2xx response's body into {@code sink}, telling {@code
   * bytesReceived} the size of each piece written; waits for a connection slot, then for the
   * response. See the class comment for the exceptions.
   */
  public FetchResponse fetch(FetchRequest request, WritableByteChannel sink, LongConsumer bytesReceived)
      throws IOException, InterruptedException {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(bytesReceived, "bytesReceived");
    if (closed) {
      throw new IllegalStateException("HttpFetcher already closed");
    }
    Duration timeout = request.timeout() != null ? request.timeout() : requestTimeout;
    FetchRequest current = request;
    for (int redirects = 0; ; redirects++) {
      if (!"http".equalsIgnoreCase(current.uri().getScheme())) {
        delegated.increment();
        return delegate().fetch(current, HttpHeaders.of("User-Agent", userAgent), timeout, sink, bytesReceived);
      }
      Exchanged exchanged = exchange(current, timeout, sink, bytesReceived);
      ResponseHead head = exchanged.head;
      String location = head.field("Location");
      if (!isRedirect(head.status()) || location == null || maxRedirects == 0) {
        return new FetchResponse(head.status(), headers(head), exchanged.bytes, current.uri());
      }
      if (redirects >= maxRedirects) {
        throw new ProtocolException("more than " + maxRedirects + " redirects, the last to " + location);
      }
      current = redirected(current, head.status(), location);
    }
  }

  /** Counters of requests and connections, now. */
  public FetchStats stats() {
    int idle = pools.values().stream().mapToInt(HostPool::idle).sum();
    return new FetchStats(requests.sum(), opened.sum(), reused.sum(), staleRetries.sum(), delegated.sum(), idle);
  }

  /**
   * Closes the idle connections and the JDK client; connections in use close when their exchange
   * ends, and later fetches fail. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    pools.values().forEach(HostPool::close);
    JdkDelegate jdk = delegate;
    if (jdk != null) {
      jdk.close();
    }
  }

  @Override
  public String toString() {
    return "HttpFetcher[" + maxConnectionsPerHost + " connections per host, " + pools.size() + " hosts]";
  }

  private record Exchanged(ResponseHead head, long bytes) {}

  private Exchanged exchange(FetchRequest request, Duration timeout, WritableByteChannel sink, LongConsumer progress)
      throws IOException, InterruptedException {
    URI uri = request.uri();
    String host = uri.getHost();
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    String authority = port == 80 ? host : host + ":" + port;
    HostPool pool = pools.computeIfAbsent(authority.toLowerCase(Locale.ROOT),
        key -> new HostPool(maxConnectionsPerHost, idleNanos, clock));
    byte[] bytes = encode(request, authority);
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    Connection connection = pool.acquire();
    boolean pooled = connection != null;
    try {
      if (!pooled) {
        connection = open(host, port, authority);
      }
      Connection.Result result;
      try {
        requests.increment();
        if (pooled) {
          reused.increment();
        }
        result = connection.exchange(bytes, request.method(), timeoutMillis, request.maxBytes(), sink, progress, pooled);
      } catch (Connection.StaleException stale) {
        if (!request.idempotent()) {
          throw stale;
        }
        connection.close();
        connection = null;
        staleRetries.increment();
        requests.increment();
        connection = open(host, port, authority);
        result = connection.exchange(bytes, request.method(), timeoutMillis, request.maxBytes(), sink, progress, false);
      }
      pool.release(connection, result.reusable() && !closed);
      return new Exchanged(result.head(), result.bytes());
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (connection != null) {
        connection.close();
      }
      pool.discard();
      throw e;
    }
  }

  private Connection open(String host, int port, String authority) throws IOException, InterruptedException {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
    Connection connection = Connection.open(new InetSocketAddress(bare, port), authority, millis, clock);
    opened.increment();
    return connection;
  }

  /** The request's bytes: request line, fields, body. */
  private byte[] encode(FetchRequest request, String authority) {
    URI uri = request.uri();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    StringBuilder head = new StringBuilder(128)
        .append(request.method()).append(' ').append(path);
    if (uri.getRawQuery() != null) {
      head.append('?').append(uri.getRawQuery());
    }
    head.append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
    HttpHeaders fields = request.headers();
    if (!fields.contains("User-Agent")) {
      head.append("User-Agent: ").append(userAgent).append("\r\n");
    }
    if (!fields.contains("Accept")) {
      head.append("Accept: */*\r\n");
    }
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.name(i);
      if (!framing(name)) {
        head.append(name).append(": ").append(fields.value(i)).append("\r\n");
      }
    }
    byte[] body = request.body();
    if (body.length > 0 || request.method().equals("POST") || request.method().equals("PUT")) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (body.length == 0) {
      return headBytes;
    }
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }

  private static boolean framing(String name) {
    return name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Content-Length")
        || name.equalsIgnoreCase("Transfer-Encoding") || name.equalsIgnoreCase("Connection");
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static FetchRequest redirected(FetchRequest request, int status, String location) throws ProtocolException {
    URI target;
    try {
      target = request.uri().resolve(location.replace(" ", "%20"));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("redirect to an invalid location: " + location);
    }
    if (!target.isAbsolute() || target.getHost() == null) {
      throw new ProtocolException("redirect to a location without a host: " + location);
    }
    boolean toGet = status == 303 || ((status == 301 || status == 302) && request.method().equals("POST"));
    HttpHeaders headers = request.headers();
    if (!target.getHost().equalsIgnoreCase(request.uri().getHost())) {
      headers = headers.without("Authorization").without("Cookie");
    }
    return new FetchRequest(
        toGet && !request.method().equals("HEAD") ? "GET" : request.method(), target, headers,
        toGet ? new byte[0] : request.body(), request.timeout(), request.maxBytes());
  }

  private static HttpHeaders headers(ResponseHead head) {
    String[] fields = head.fields();
    HttpHeaders headers = HttpHeaders.empty();
    for (int i = 0; i < fields.length; i += 2) {
      headers = headers.with(fields[i], fields[i + 1]);
    }
    return headers;
  }

  private JdkDelegate delegate() {
    JdkDelegate jdk = delegate;
    if (jdk == null) {
      synchronized (this) {
        jdk = delegate;
        if (jdk == null) {
          jdk = new JdkDelegate(connectTimeout, maxRedirects, clock);
          delegate = jdk;
        }
      }
    }
    return jdk;
  }

  /**
   * Settings of an {@link HttpFetcher}. Not thread-safe; {@link #build()} may be called more than
   * once.
   */
  public static final class Builder {
    private int maxConnectionsPerHost = 8;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration idleTimeout = Duration.ofSeconds(30);
    private int maxRedirects = 5;
    private String userAgent = "weft/0.1";
    private Clock clock = Clock.system();

    private Builder() {}

    /** The most connections to one host and port, in use or idle (default 8). */
    public Builder maxConnectionsPerHost(int connections) {
      if (connections <= 0) {
        throw new IllegalArgumentException("maxConnectionsPerHost must be > 0: " + connections);
      }
      this.maxConnectionsPerHost = connections;
      return this;
    }

    /** The longest wait for a TCP connection (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * The longest wait for a response head, and then for each piece of its body, unless the request
     * sets its own (default 30 s).
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /** How long an unused keep-alive connection stays in the pool (default 30 s). */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive("idleTimeout", timeout);
      return this;
    }

    /** The most redirects followed for one fetch; 0 returns every 3xx as it is (default 5). */
    public Builder maxRedirects(int redirects) {
      if (redirects < 0) {
        throw new IllegalArgumentException("maxRedirects must be >= 0: " + redirects);
      }
      this.maxRedirects = redirects;
      return this;
    }

    /** The {@code User-Agent} sent when a request has none (default {@code weft/0.1}). */
    public Builder userAgent(String agent) {
      HttpHeaders.of("User-Agent", agent); // refuses CR, LF and other controls
      this.userAgent = agent;
      return this;
    }

    /** The clock that times idle connections and response heads (default the system clock). */
    public Builder clock(Clock newClock) {
      this.clock = Objects.requireNonNull(newClock, "clock");
      return this;
    }

    /** A fetcher with these settings. */
    public HttpFetcher build() {
      return new HttpFetcher(this);
    }

    private static Duration positive(String name, Duration duration) {
      if (!duration.isPositive()) {
        throw new IllegalArgumentException(name + " must be > 0: " + duration);
      }
      return duration;
    }
  }
}
