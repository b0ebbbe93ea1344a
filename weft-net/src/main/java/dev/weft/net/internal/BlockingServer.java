package dev.weft.net.internal;

import dev.weft.Clock;
import dev.weft.net.ConnectionHandler;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.Endpoint;
import dev.weft.net.ListeningPort;
import dev.weft.net.NetStats;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A listening socket served in the blocking style: one virtual thread accepts, and each connection
 * gets its own virtual thread running the {@link ConnectionHandler}. Limits and counters are the
 * ones the event loops use ({@link PortCounters}, {@link ConnectionOptions}).
 *
 * <p>Threads: the accepting thread and the handler threads; {@code live} is a concurrent set;
 * {@code lock} guards the wait for handlers to end and is never held across I/O.
 */
final class BlockingServer implements ListeningPort {
  private final ServerSocket server;
  private final InetSocketAddress address;
  private final ConnectionHandler handler;
  private final ConnectionOptions options;
  private final Clock clock;
  private final Consumer<BlockingServer> onClosed;
  private final PortCounters counters = new PortCounters();
  private final Set<BlockingConnectionImpl> live = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition handlerEnded = lock.newCondition();
  private volatile boolean closed;

  private BlockingServer(
      ServerSocket server, ConnectionHandler handler, ConnectionOptions options, Clock clock, Consumer<BlockingServer> onClosed) {
    this.server = server;
    this.address = (InetSocketAddress) server.getLocalSocketAddress();
    this.handler = handler;
    this.options = options;
    this.clock = clock;
    this.onClosed = onClosed;
  }

  static BlockingServer open(
      Endpoint endpoint, ConnectionHandler handler, ConnectionOptions options, Clock clock, Consumer<BlockingServer> onClosed)
      throws IOException {
    var socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(endpoint.address(), endpoint.backlog());
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
    var server = new BlockingServer(socket, handler, options, clock, onClosed);
    Thread.ofVirtual().name("weft-accept-" + server.address.getPort()).start(server::acceptLoop);
    return server;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        acceptFailed(e);
        continue;
      }
      if (!counters.tryOpen(options.maxConnections())) {
        closeQuietly(socket);
        continue;
      }
      try {
        socket.setTcpNoDelay(true);
        var connection = new BlockingConnectionImpl(socket, options, clock, counters);
        live.add(connection);
        Thread.ofVirtual().name("weft-conn-" + socket.getPort()).start(() -> serve(connection));
      } catch (IOException | RuntimeException e) {
        closeQuietly(socket);
        counters.closed();
      }
    }
  }

  private void acceptFailed(IOException e) {
    counters.acceptFailed();
    EventLoop.LOG.log(Level.WARNING, "accept on " + address + " failed, pausing: " + e);
    try {
      clock.sleep(NioListeningPort.ACCEPT_BACKOFF);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  private void serve(BlockingConnectionImpl connection) {
    try {
      handler.handle(connection);
    } catch (SocketException | java.net.SocketTimeoutException e) {
      EventLoop.LOG.log(Level.DEBUG, "connection from " + connection.peer() + " ended: " + e);
    } catch (Exception e) {
      if (connection.isOpen()) {
        EventLoop.LOG.log(Level.WARNING, "handler failed for " + connection.peer(), e);
      }
    } finally {
      connection.closeQuietly();
      counters.closed();
      live.remove(connection);
      lock.lock();
      try {
        handlerEnded.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Waits up to {@code nanos} for every handler to return; whether they all did. */
  boolean awaitHandlers(long nanos) throws InterruptedException {
    long deadline = clock.nanoTime() + nanos;
    lock.lock();
    try {
      while (!live.isEmpty()) {
        long left = deadline - clock.nanoTime();
        if (left <= 0) {
          return false;
        }
        clock.awaitNanos(lock, handlerEnded, left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Aborts every open connection, unblocking its handler. */
  void abortAll() {
    for (BlockingConnectionImpl connection : live) {
      connection.abort();
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      LoopGroup.logDebug("close failed", e);
    }
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public NetStats stats() {
    return counters.stats();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LoopGroup.logDebug("close failed for " + address, e);
    }
    onClosed.accept(this);
  }

  @Override
  public String toString() {
    return "ListeningPort[" + address + ", blocking]";
  }
}
