package dev.weft.http.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * A {@link Wire} over a blocking {@link SocketChannel} used from a virtual thread, which parks in
 * {@code read} and {@code write} instead of holding a platform thread. File bodies go through
 * {@link FileChannel#transferTo}, which uses {@code sendfile} on Linux.
 */
public final class SocketWire implements Wire {
  private final SocketChannel channel;
  private final InetSocketAddress peer;

  public SocketWire(SocketChannel channel) throws IOException {
    this.channel = channel;
    this.peer = (InetSocketAddress) channel.getRemoteAddress();
  }

  @Override
  public int read(ByteBuffer buffer) throws IOException {
    return channel.read(buffer);
  }

  @Override
  public void write(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  @Override
  public void transferFrom(FileChannel file, long position, long count) throws IOException {
    long end = position + count;
    while (position < end) {
      long n = file.transferTo(position, end - position, channel);
      if (n <= 0 && position >= file.size()) {
        throw new EOFException("file ended at " + position + " before the " + count + " bytes announced");
      }
      position += n;
    }
  }

  @Override
  public void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public void shutdownInput() {
    try {
      channel.shutdownInput();
    } catch (IOException e) {
      close();
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing: nothing more to do with this socket
    }
  }

  @Override
  public InetSocketAddress peer() {
    return peer;
  }
}
