package dev.weft.net.internal;

import dev.weft.net.ConnectionOptions;
import dev.weft.net.Protocol;
import dev.weft.net.ProtocolFactory;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * The task that brings an accepted (or connected) channel to life on the loop that will own it:
 * builds its protocol, registers it and calls {@code connectionMade}. If the loop stops before the
 * task runs, the channel is closed and counted.
 */
final class Accepted implements EventLoop.Registration {
  private final EventLoop loop;
  private final SocketChannel channel;
  private final ProtocolFactory factory;
  private final ConnectionOptions options;
  private final PortCounters counters;

  Accepted(EventLoop loop, SocketChannel channel, ProtocolFactory factory, ConnectionOptions options, PortCounters counters) {
    this.loop = loop;
    this.channel = channel;
    this.factory = factory;
    this.options = options;
    this.counters = counters;
  }

  @Override
  public void run() {
    open();
  }

  /** Opens the connection; null (the channel closed and counted) when that failed. */
  NioConnection open() {
    return open(null);
  }

  /** Opens the connection on {@code existing} key if not null (a client that was connecting). */
  NioConnection open(java.nio.channels.SelectionKey existing) {
    try {
      var peer = (InetSocketAddress) channel.getRemoteAddress();
      var host = (InetSocketAddress) channel.getLocalAddress();
      Protocol protocol = factory.buildProtocol(peer);
      if (protocol == null) {
        throw new IllegalStateException("buildProtocol returned null for " + peer);
      }
      var connection = new NioConnection(loop, channel, protocol, options, counters, peer, host);
      if (existing == null) {
        connection.start();
      } else {
        connection.start(existing);
      }
      return connection;
    } catch (IOException | RuntimeException e) {
      EventLoop.LOG.log(Level.WARNING, "cannot open a connection on " + loop, e);
      reject();
      return null;
    }
  }

  @Override
  public void reject() {
    NioListeningPort.closeQuietly(channel);
    counters.closed();
  }
}
