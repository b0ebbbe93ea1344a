package dev.weft.http.internal;

import dev.weft.net.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The writing half of a {@link Wire} over a weft-net {@link Transport}, for the responses a
 * connection encodes on its event loop: a write copies into the transport's outbound buffer and
 * never waits. Reading, files and shutdowns belong to the blocking path and are refused here.
 * Used by the connection's loop thread only.
 */
public final class TransportWire implements Wire {
  private final Transport transport;

  public TransportWire(Transport transport) {
    this.transport = transport;
  }

  @Override
  public int read(ByteBuffer buffer) {
    throw new UnsupportedOperationException("a transport delivers its input as events");
  }

  @Override
  public void write(ByteBuffer buffer) {
    transport.write(buffer);
  }

  @Override
  public void transferFrom(FileChannel file, long position, long count) {
    throw new UnsupportedOperationException("files are sent from a virtual thread");
  }

  @Override
  public void shutdownOutput() {
    transport.loseWriteConnection();
  }

  @Override
  public void shutdownInput() {
    transport.pauseProducing();
  }

  @Override
  public void close() {
    transport.loseConnection();
  }

  @Override
  public InetSocketAddress peer() {
    return transport.peer();
  }
}
