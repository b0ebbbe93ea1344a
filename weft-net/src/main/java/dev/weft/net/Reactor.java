package dev.weft.net;

import dev.weft.Clock;
import dev.weft.net.internal.LoopGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The event loops that drive network connections: servers {@link #listen}, clients {@link
 * #connect}, and each connection's {@link Protocol} receives its events on the loop that owns it.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="reactor" :
 * try (var reactor = Reactor.start()) {
 *   ListeningPort port = reactor.listen(Endpoint.parse("tcp:7001"), peer -> new Echo());
 *   System.out.println("echo on " + port.address());
 *   awaitShutdownSignal();
 * } // graceful: stop accepting, finish sending, close
 * }
 *
 * <h2>How connections are driven</h2>
 *
 * By NIO selector loops: {@link ReactorOptions#loops()} platform threads (one per processor by
 * default), each owning a selector and the connections dealt to it in turn. This was chosen by
 * measurement against a virtual thread per connection (see {@code docs/design.md}, "Network"):
 * loops batch every connection's writes of a pass into one system call each, which a thread per
 * connection cannot do for a fan-out, and they hold no stack per idle connection. The blocking
 * style is still offered, for code that reads better as a loop: {@link #listenBlocking} gives each
 * connection its own virtual thread, with the same limits and counters.
 *
 * <h2>Closing</h2>
 *
 * {@link #close()} is {@link #shutdown(Duration) shutdown} with {@link #DEFAULT_GRACE}: stop
 * accepting, let every connection send what it has queued and close cleanly ({@link
 * ConnectionDone}) within the grace period, then abort what is left ({@link ConnectionAborted},
 * {@code REACTOR_CLOSED}) and stop the loops. {@link #abort()} skips the grace period.
 *
 * <h2>Comparison with Twisted and Netty</h2>
 *
 * Twisted's reactor is one global loop on one thread, started with {@code reactor.run()}; here a
 * reactor is an object, several can coexist (tests start their own), and it uses every core. Like
 * Netty's {@code EventLoopGroup}, but protocols are plain objects instead of pipelines, and writes
 * need no explicit flush. Thread-safe: every method may be called from any thread.
 */
public final class Reactor implements AutoCloseable {
  /** How long {@link #close()} lets connections finish sending. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

  private final LoopGroup group;

  private Reactor(LoopGroup group) {
    this.group = group;
  }

  /** A reactor with {@link ReactorOptions#defaults()}, its loops running. */
  public static Reactor start() {
    return start(ReactorOptions.defaults());
  }

  /** A reactor with {@code options}, its loops running. */
  public static Reactor start(ReactorOptions options) {
    return new Reactor(new LoopGroup(options));
  }

  /** Listens on {@code endpoint} with {@link ConnectionOptions#defaults()}. */
  public ListeningPort listen(Endpoint endpoint, ProtocolFactory factory) throws IOException {
    return listen(endpoint, factory, ConnectionOptions.defaults());
  }

  /**
   * Binds {@code endpoint} and accepts connections, each with a protocol from {@code factory}.
   * The socket is bound when this returns (connects queue in its backlog), accepting starts on a
   * loop at once.
   *
   * @throws IOException if the address cannot be bound (in use, not local)
   */
  public ListeningPort listen(Endpoint endpoint, ProtocolFactory factory, ConnectionOptions options)
      throws IOException {
    return group.listen(endpoint, factory, options);
  }

  /** Listens in the blocking style with {@link ConnectionOptions#defaults()}. */
  public ListeningPort listenBlocking(Endpoint endpoint, ConnectionHandler handler) throws IOException {
    return listenBlocking(endpoint, handler, ConnectionOptions.defaults());
  }

  /** Binds {@code endpoint} and runs {@code handler} on a new virtual thread for each connection. */
  public ListeningPort listenBlocking(Endpoint endpoint, ConnectionHandler handler, ConnectionOptions options)
      throws IOException {
    return group.listenBlocking(endpoint, handler, options);
  }

  /** Connects to {@code endpoint} with {@link ConnectionOptions#defaults()}. */
  public CompletableFuture<Transport> connect(Endpoint endpoint, ProtocolFactory factory) {
    return connect(endpoint, factory, ConnectionOptions.defaults());
  }

  /**
   * Connects to {@code endpoint}; the future completes with the transport once the protocol's
   * {@code connectionMade} has run, or with the failure (refused, unreachable, unresolvable). The
   * host name is resolved on the calling thread.
   */
  public CompletableFuture<Transport> connect(Endpoint endpoint, ProtocolFactory factory, ConnectionOptions options) {
    return group.connect(endpoint, factory, options);
  }

  /**
   * Runs {@code action} on the first event loop after {@code delay} on the reactor's clock; it must
   * not block. Cancel it with the returned alarm.
   */
  public Clock.Alarm callLater(Duration delay, Runnable action) {
    return group.callLater(delay, action);
  }

  /** Counters summed over every port and client connection of this reactor. */
  public NetStats stats() {
    return group.stats();
  }

  /** The number of event loops. */
  public int loops() {
    return group.loopCount();
  }

  /** The clock idle timeouts and {@link #callLater} read. */
  public Clock clock() {
    return group.clock();
  }

  /**
   * Stops accepting, lets connections finish sending and close for up to {@code grace}, then
   * aborts the rest and stops the loops; returns whether every connection closed in time.
   * Idempotent.
   */
  public boolean shutdown(Duration grace) throws InterruptedException {
    return group.shutdown(grace);
  }

  /**
   * {@link #shutdown(Duration) shutdown(DEFAULT_GRACE)}. Like {@code ExecutorService.close()}, it
   * does not throw {@link InterruptedException} (that would make every try-with-resources block
   * handle it): if interrupted while waiting, it aborts what is left and returns with the thread's
   * interrupt status set.
   */
  @Override
  public void close() {
    try {
      shutdown(DEFAULT_GRACE);
    } catch (InterruptedException e) {
      abort();
      Thread.currentThread().interrupt();
    }
  }

  /** Stops at once: every connection is aborted. Returns without waiting for the loops to end. */
  public void abort() {
    group.abort();
  }

  /** Waits up to {@code timeout} for the loops to end after a close; whether they did. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return group.awaitTermination(timeout);
  }

  @Override
  public String toString() {
    return "Reactor[" + group.loopCount() + " loops]";
  }
}
