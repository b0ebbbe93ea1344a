package dev.weft.net.internal;

import dev.weft.net.ConnectionOptions;
import dev.weft.net.ProtocolFactory;
import dev.weft.net.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * A client connection on its way: started on its loop, finished when the socket is connectable;
 * completes {@code result} with the transport (after {@code connectionMade}) or the failure.
 * Loop-confined.
 */
final class Connecting implements Handler, EventLoop.Registration {
  private final EventLoop loop;
  private final SocketChannel channel;
  private final InetSocketAddress address;
  private final Accepted opener;
  private final CompletableFuture<Transport> result;

  Connecting(
      EventLoop loop,
      SocketChannel channel,
      InetSocketAddress address,
      ProtocolFactory factory,
      ConnectionOptions options,
      PortCounters counters,
      CompletableFuture<Transport> result) {
    this.loop = loop;
    this.channel = channel;
    this.address = address;
    this.opener = new Accepted(loop, channel, factory, options, counters);
    this.result = result;
  }

  @Override
  public void run() {
    try {
      SelectionKey key = loop.register(channel, SelectionKey.OP_CONNECT, this);
      if (channel.connect(address)) {
        connected(key);
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  @Override
  public void ready(SelectionKey key, int readyOps) {
    try {
      if (channel.finishConnect()) {
        connected(key);
      }
    } catch (IOException | RuntimeException e) {
      key.cancel();
      fail(e);
    }
  }

  private void connected(SelectionKey key) {
    NioConnection connection = opener.open(key);
    if (connection == null) {
      result.completeExceptionally(new IOException("cannot open a connection to " + address));
    } else {
      result.complete(connection);
    }
  }

  private void fail(Throwable e) {
    opener.reject();
    result.completeExceptionally(e);
  }

  @Override
  public void abort(Throwable reason) {
    fail(reason);
  }

  @Override
  public void reject() {
    fail(new IOException("reactor closed before connecting to " + address));
  }

  @Override
  public void drain() {
    fail(new IOException("reactor closing before connecting to " + address));
  }
}
