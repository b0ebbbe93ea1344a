package dev.weft.net.internal;

import dev.weft.net.ConnectionOptions;
import dev.weft.net.ListeningPort;
import dev.weft.net.NetStats;
import dev.weft.net.ProtocolFactory;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A non-blocking server socket registered on one loop, which accepts and deals the new connections
 * to the reactor's loops in turn.
 *
 * <p>When an accept fails (typically {@code EMFILE}: out of file descriptors), the failure is
 * counted and logged, accepting pauses for {@link #ACCEPT_BACKOFF} and then resumes; connections
 * already open are served meanwhile, and pending connects wait in the kernel's backlog instead of
 * making the loop spin on an accept that keeps failing.
 *
 * <p>Threads: {@code key} and {@code closed} are confined to the loop thread; {@link #close()} and
 * {@link #stats()} may be called from any thread.
 */
final class NioListeningPort implements ListeningPort, Handler {
  static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);
  private static final int ACCEPTS_PER_EVENT = 64;

  private final LoopGroup group;
  private final EventLoop loop;
  private final ServerSocketChannel server;
  private final InetSocketAddress address;
  private final ProtocolFactory factory;
  private final ConnectionOptions options;
  private final PortCounters counters = new PortCounters();
  private SelectionKey key;
  private boolean closed;

  NioListeningPort(LoopGroup group, ServerSocketChannel server, ProtocolFactory factory, ConnectionOptions options)
      throws IOException {
    this.group = group;
    this.loop = group.next();
    this.server = server;
    this.address = (InetSocketAddress) server.getLocalAddress();
    this.factory = factory;
    this.options = options;
  }

  void start() {
    loop.execute(
        () -> {
          try {
            key = loop.register(server, SelectionKey.OP_ACCEPT, this);
          } catch (IOException e) {
            EventLoop.LOG.log(Level.ERROR, "cannot accept on " + address, e);
          }
        });
  }

  @Override
  public void ready(SelectionKey readyKey, int readyOps) {
    for (int i = 0; i < ACCEPTS_PER_EVENT && !closed; i++) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        acceptFailed(e);
        return;
      }
      if (channel == null) {
        return;
      }
      if (!counters.tryOpen(options.maxConnections())) {
        closeQuietly(channel);
        continue;
      }
      hand(channel);
    }
  }

  private void hand(SocketChannel channel) {
    EventLoop target = group.next();
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    } catch (IOException e) {
      closeQuietly(channel);
      counters.closed();
      return;
    }
    Runnable register = new Accepted(target, channel, factory, options, counters);
    if (target == loop) {
      register.run();
    } else {
      target.execute(register);
    }
  }

  private void acceptFailed(IOException e) {
    counters.acceptFailed();
    EventLoop.LOG.log(
        Level.WARNING, "accept on " + address + " failed, pausing for " + ACCEPT_BACKOFF.toMillis() + " ms: " + e);
    key.interestOps(0);
    loop.clock.schedule(ACCEPT_BACKOFF, () -> loop.execute(this::resumeAccepting));
  }

  private void resumeAccepting() {
    if (!closed && key.isValid()) {
      key.interestOps(SelectionKey.OP_ACCEPT);
    }
  }

  static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      EventLoop.LOG.log(Level.DEBUG, "close failed", e);
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
    loop.execute(this::closeOnLoop);
  }

  private void closeOnLoop() {
    if (closed) {
      return;
    }
    closed = true;
    if (key != null) {
      key.cancel();
    }
    try {
      server.close();
    } catch (IOException e) {
      EventLoop.LOG.log(Level.DEBUG, "close failed for " + address, e);
    }
    group.portClosed(this);
  }

  @Override
  public void abort(Throwable reason) {
    closeOnLoop();
  }

  @Override
  public void drain() {
    closeOnLoop();
  }

  @Override
  public String toString() {
    return "ListeningPort[" + address + "]";
  }
}
