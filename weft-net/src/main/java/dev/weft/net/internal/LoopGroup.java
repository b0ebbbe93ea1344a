package dev.weft.net.internal;

import dev.weft.Clock;
import dev.weft.net.ConnectionHandler;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.Endpoint;
import dev.weft.net.ListeningPort;
import dev.weft.net.NetStats;
import dev.weft.net.ProtocolFactory;
import dev.weft.net.ReactorOptions;
import dev.weft.net.Transport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The implementation behind {@code Reactor}: the event loops, the ports, the client counters, and
 * the graceful and abrupt ways to stop them.
 *
 * <p>Threads: any thread may call the public methods. {@code ports} and {@code blockingServers} are
 * concurrent sets; {@code next} is an atomic counter; {@code lock} guards {@code drainedLoops} and
 * is never held across I/O or a callback.
 */
public final class LoopGroup {
  private final EventLoop[] loops;
  private final Clock clock;
  private final AtomicInteger next = new AtomicInteger();
  private final PortCounters clients = new PortCounters();
  private final Set<NioListeningPort> ports = ConcurrentHashMap.newKeySet();
  private final Set<ListeningPort> allPorts = ConcurrentHashMap.newKeySet();
  private final Set<BlockingServer> blockingServers = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition drained = lock.newCondition();
  private int drainedLoops;
  private volatile boolean closed;

  public LoopGroup(ReactorOptions options) {
    this.clock = options.clock();
    this.loops = new EventLoop[options.loops()];
    for (int i = 0; i < loops.length; i++) {
      loops[i] = new EventLoop(options.name() + "-" + i, clock, this::loopDrained);
    }
    for (EventLoop loop : loops) {
      loop.start();
    }
  }

  EventLoop next() {
    return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
  }

  public Clock clock() {
    return clock;
  }

  public int loopCount() {
    return loops.length;
  }

  public ListeningPort listen(Endpoint endpoint, ProtocolFactory factory, ConnectionOptions options)
      throws IOException {
    checkOpen();
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(endpoint.address(), endpoint.backlog());
      server.configureBlocking(false);
      var port = new NioListeningPort(this, server, factory, options);
      ports.add(port);
      allPorts.add(port);
      port.start();
      return port;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  public ListeningPort listenBlocking(Endpoint endpoint, ConnectionHandler handler, ConnectionOptions options)
      throws IOException {
    checkOpen();
    var server = BlockingServer.open(endpoint, handler, options, clock, closedServer -> {});
    blockingServers.add(server);
    allPorts.add(server);
    return server;
  }

  public CompletableFuture<Transport> connect(Endpoint endpoint, ProtocolFactory factory, ConnectionOptions options) {
    var result = new CompletableFuture<Transport>();
    try {
      checkOpen();
      InetSocketAddress address = endpoint.address();
      if (address.isUnresolved()) {
        throw new IOException("cannot resolve host: " + endpoint.host());
      }
      SocketChannel channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      clients.tryOpen(Integer.MAX_VALUE);
      EventLoop loop = next();
      loop.execute(new Connecting(loop, channel, address, factory, options, clients, result));
    } catch (IOException | RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  public Clock.Alarm callLater(Duration delay, Runnable action) {
    checkOpen();
    EventLoop loop = loops[0];
    return clock.schedule(delay, () -> loop.execute(action));
  }

  void portClosed(NioListeningPort port) {
    ports.remove(port);
  }

  public NetStats stats() {
    NetStats total = clients.stats();
    for (ListeningPort port : allPorts) {
      total = total.plus(port.stats());
    }
    return total;
  }

  /**
   * Stops accepting, lets every connection finish sending (up to {@code grace}), then aborts what
   * is left and stops the loops. Returns whether every connection finished in time.
   */
  public boolean shutdown(Duration grace) throws InterruptedException {
    if (closed) {
      return awaitTermination(grace);
    }
    closed = true;
    long deadline = clock.nanoTime() + grace.toNanos();
    for (BlockingServer server : blockingServers) {
      server.close();
    }
    for (EventLoop loop : loops) {
      loop.execute(loop::drain);
    }
    boolean clean = awaitDrained(deadline);
    for (BlockingServer server : blockingServers) {
      clean &= server.awaitHandlers(Math.max(0, deadline - clock.nanoTime()));
      server.abortAll();
    }
    for (EventLoop loop : loops) {
      loop.stop();
    }
    awaitTermination(Duration.ofNanos(Math.max(0, deadline - clock.nanoTime())).plusSeconds(5));
    return clean;
  }

  /** Stops at once: ports close, connections are aborted with a reset. Does not wait. */
  public void abort() {
    closed = true;
    for (BlockingServer server : blockingServers) {
      server.close();
      server.abortAll();
    }
    for (EventLoop loop : loops) {
      loop.stop();
    }
  }

  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = clock.nanoTime() + timeout.toNanos();
    for (EventLoop loop : loops) {
      if (!loop.awaitTermination(Math.max(0, deadline - clock.nanoTime()))) {
        return false;
      }
    }
    return true;
  }

  private boolean awaitDrained(long deadline) throws InterruptedException {
    lock.lock();
    try {
      while (drainedLoops < loops.length) {
        long left = deadline - clock.nanoTime();
        if (left <= 0) {
          return false;
        }
        clock.awaitNanos(lock, drained, left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void loopDrained() {
    lock.lock();
    try {
      drainedLoops++;
      drained.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Reactor[" + loops[0] + "] already closed");
    }
  }

  static void logDebug(String message, Throwable e) {
    EventLoop.LOG.log(Level.DEBUG, message, e);
  }
}
