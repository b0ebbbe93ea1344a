package dev.weft.http;

import dev.weft.http.internal.HttpDates;
import dev.weft.http.internal.SocketWire;
import dev.weft.http.internal.Wire;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.Endpoint;
import dev.weft.net.ListeningPort;
import dev.weft.net.Reactor;
import dev.weft.net.ReactorOptions;
import dev.weft.net.Transport;
import dev.weft.net.internal.Detach;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * An HTTP/1.1 server: it accepts connections on an address, reads them on weft-net's event loops,
 * and runs an {@link HttpHandler} for every request — on the loop when the handler is {@linkplain
 * HttpHandler#nonBlocking non-blocking}, on a virtual thread otherwise.
 *
 * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="httpServer" :
 * var counter = new AtomicLong();
 * HttpHandler handler = Router.builder()
 *     .get("/", HttpHandler.nonBlocking(request -> HttpResponse.text("I am request #" + counter.incrementAndGet() + "\n")))
 *     .fallback(StaticFiles.under(Path.of("public")))
 *     .build();
 * try (var server = HttpServer.start(8080, handler)) {
 *   System.out.println("serving on http://" + server.address().getHostString() + ":" + server.port());
 *   server.awaitTermination();
 * }
 * }
 *
 * <h2>Protocol</h2>
 *
 * Keep-alive (HTTP/1.1 by default, HTTP/1.0 when asked), pipelining with responses in request
 * order, Content-Length and chunked bodies both ways, {@code HEAD}, {@code Expect: 100-continue},
 * {@code Connection: close}, {@code Date}. Malformed and oversized requests are refused with their
 * status (see {@link HttpOptions}) and the connection is closed, since its framing is lost.
 *
 * <h2>Connections</h2>
 *
 * The server owns a {@code Reactor} (one event loop per processor) that accepts and reads every
 * connection. Each read is parsed on the loop; a request without a body for a non-blocking handler
 * is answered there, its response encoded into the connection's outbound buffer, and the answers to
 * one read's pipelined requests leave in one write. The first request that needs to block — a
 * handler that may block, a body to stream, {@code Expect: 100-continue}, a file or streamed
 * response — hands the connection over for good to a virtual thread of its own, which reads into a
 * reused buffer, parses incrementally and writes through a reused buffer; a file body goes out with
 * {@code FileChannel.transferTo}. Refused requests are answered from a thread too, with a lingering
 * close. Past {@link HttpOptions#maxConnections()} a new connection is answered 503 and closed. Slow
 * clients are bounded by the header read and idle timeouts, on either path.
 *
 * <h2>Closing</h2>
 *
 * {@link #close()} is {@link #shutdown(Duration) shutdown} with five seconds of grace: stop
 * accepting, close idle connections, let requests in progress finish (their responses say {@code
 * Connection: close}), then close what is left. {@link #abort()} closes everything at once.
 *
 * <p>Comparison: Twisted's {@code Site} on {@code reactor.listenTCP}, with blocking handlers instead
 * of {@code NOT_DONE_YET}; the JDK's {@code com.sun.net.httpserver.HttpServer}, with limits, a
 * graceful stop and pipelining. Thread-safe: every method may be called from any thread.
 */
public final class HttpServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
  private static final System.Logger ACCESS = System.getLogger(AccessLog.LOGGER);
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final int BACKLOG = 4096;
  private static final DateTimeFormatter LOG_DATE =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  private final Reactor reactor;
  private final ListeningPort port;
  private final InetSocketAddress address;
  private final HttpHandler handler;
  private final HttpOptions options;
  private final HttpDates dates;
  private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
  private final Set<LoopConnection> loopConnections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger open = new AtomicInteger();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition closed = lock.newCondition();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile boolean closing;

  private HttpServer(InetSocketAddress requested, HttpHandler handler, HttpOptions options) throws IOException {
    this.handler = handler;
    this.options = options;
    this.dates = new HttpDates(options.clock());
    this.reactor = Reactor.start(ReactorOptions.defaults().withClock(options.clock()).withName("weft-http"));
    try {
      String host = requested.isUnresolved() ? requested.getHostString() : requested.getAddress().getHostAddress();
      var endpoint = new Endpoint(host, requested.getPort(), BACKLOG);
      // the server counts its connections itself, to answer 503 past its limit
      var unlimited = ConnectionOptions.defaults().withMaxConnections(Integer.MAX_VALUE);
      this.port = reactor.listen(endpoint, peer -> new LoopConnection(this, this::detach), unlimited);
      this.address = port.address();
    } catch (IOException | RuntimeException e) {
      reactor.abort();
      throw e;
    }
  }

  /** Serves {@code handler} on 127.0.0.1:{@code port} (0: any free port) with the default options. */
  public static HttpServer start(int port, HttpHandler handler) throws IOException {
    return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), handler, HttpOptions.defaults());
  }

  /**
   * Binds {@code address} and serves {@code handler} with {@code options}; accepting has started
   * when this returns.
   *
   * @throws IOException if the address cannot be bound
   */
  public static HttpServer start(InetSocketAddress address, HttpHandler handler, HttpOptions options) throws IOException {
    return new HttpServer(address, handler, options);
  }

  /** The address the server is bound to (with the real port when port 0 was asked for). */
  public InetSocketAddress address() {
    return address;
  }

  /** The port the server is bound to. */
  public int port() {
    return address.getPort();
  }

  /** Counters of connections and requests, now. */
  public HttpServerStats stats() {
    return new HttpServerStats(
        accepted.sum(), rejected.sum(), open.get(), requests.sum(), refused.sum(), timeouts.sum());
  }

  /**
   * Stops accepting, closes idle connections, waits up to {@code grace} for requests in progress,
   * then closes the rest; returns whether every connection closed within the grace. Idempotent.
   */
  public boolean shutdown(Duration grace) throws InterruptedException {
    closing = true;
    port.close();
    loopConnections.forEach(LoopConnection::closeIfIdle);
    connections.forEach(HttpConnection::closeIfIdle);
    long nanos = grace.toNanos();
    lock.lock();
    try {
      while (open.get() > 0 && nanos > 0) {
        nanos = options.clock().awaitNanos(lock, closed, nanos);
      }
    } finally {
      lock.unlock();
    }
    boolean clean = open.get() == 0;
    loopConnections.forEach(LoopConnection::abort);
    connections.forEach(HttpConnection::abort);
    reactor.abort();
    terminated.countDown();
    return clean;
  }

  /**
   * {@link #shutdown(Duration) shutdown} with five seconds of grace. Like {@code
   * ExecutorService.close()} (and weft-net's {@code Reactor.close()}), it does not throw {@link
   * InterruptedException}: interrupted while waiting, it closes every connection at once and
   * leaves the thread's interrupt status set.
   */
  @Override
  public void close() {
    try {
      shutdown(GRACE);
    } catch (InterruptedException e) {
      abort();
      Thread.currentThread().interrupt();
    }
  }

  /** Stops accepting and closes every connection at once. */
  public void abort() {
    closing = true;
    port.close();
    loopConnections.forEach(LoopConnection::abort);
    connections.forEach(HttpConnection::abort);
    reactor.abort();
    terminated.countDown();
  }

  /** Waits until the server is shut down or aborted (by another thread, a signal handler...). */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  @Override
  public String toString() {
    return "HttpServer[" + address + "]";
  }

  /** Hands a loop connection over to the blocking path: its socket becomes a wire for a thread. Loop thread. */
  private void detach(Transport transport, Consumer<Wire> receiver) {
    Detach.detach(transport, channel -> {
      Wire wire;
      try {
        wire = new SocketWire(channel);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "a connection closed while it was handed over", e);
        try {
          channel.close();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
        connectionGone();
        return;
      }
      receiver.accept(wire);
    });
  }

  /** A loop connection opens: counted, or refused (false) past the connection limit. Loop thread. */
  boolean loopConnectionOpened(LoopConnection connection) {
    accepted.increment();
    if (open.incrementAndGet() > options.maxConnections()) {
      rejected.increment();
      return false; // counted as gone when its connectionLost comes
    }
    loopConnections.add(connection);
    return true;
  }

  /** A loop connection closed (lost, not handed over). Loop thread. */
  void loopConnectionClosed(LoopConnection connection) {
    loopConnections.remove(connection);
    connectionGone();
  }

  /** A loop connection is being handed over to a thread: it stays counted as open. Loop thread. */
  void loopConnectionLeaving(LoopConnection connection) {
    loopConnections.remove(connection);
  }

  /** Serves a connection handed over from its loop on a virtual thread of its own. */
  void adopt(HttpConnection connection) {
    connections.add(connection);
    if (closing) {
      connection.closeIfIdle();
    }
    // named without the port: a connection may be handed over before the constructor has stored it
    Thread.ofVirtual().name("weft-http-connection").start(connection);
  }

  /**
   * Serves one connection over {@code wire} on the calling thread, as if it had been accepted:
   * returns when the connection closes. For tests that drive a connection from memory.
   */
  void serve(Wire wire) {
    open.incrementAndGet();
    accepted.increment();
    var connection = new HttpConnection(this, wire);
    connections.add(connection);
    connection.run();
  }

  /** How many connections wait for a new request now (tests wait for this before moving a clock). */
  int idleConnections() {
    return (int) (connections.stream().filter(HttpConnection::idle).count()
        + loopConnections.stream().filter(LoopConnection::idle).count());
  }

  HttpOptions options() {
    return options;
  }

  HttpHandler handler() {
    return handler;
  }

  HttpDates dates() {
    return dates;
  }

  boolean closing() {
    return closing;
  }

  void requestStarted() {
    requests.increment();
  }

  void requestRefused() {
    refused.increment();
  }

  void timedOut() {
    timeouts.increment();
  }

  void connectionClosed(HttpConnection connection) {
    connections.remove(connection);
    connectionGone();
  }

  private void connectionGone() {
    open.decrementAndGet();
    lock.lock();
    try {
      closed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void accessLog(HttpRequest request, int status, long bytes, long nanos) {
    if (options.accessLog() == AccessLog.ON && ACCESS.isLoggable(System.Logger.Level.INFO)) {
      ACCESS.log(
          System.Logger.Level.INFO,
          String.format(
              Locale.ROOT, "%s - - [%s] \"%s\" %d %d %.1fms",
              request.peer().getAddress().getHostAddress(), LOG_DATE.format(options.clock().instant()),
              request, status, bytes, nanos / 1e6));
    }
  }
}
