package dev.weft.http;

import dev.weft.http.internal.Wire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A {@link Wire} over memory for driving a connection without a socket: reads hand out a fixed
 * input in pieces of the given sizes, then end of stream (the client half-closes); writes are
 * collected. It fails the test if the connection keeps reading after the end or writes after
 * shutting its output down.
 */
final class MemoryWire implements Wire {
  private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

  private final byte[] input;
  private final int[] sizes;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private int offset;
  private int piece;
  private int readsAfterEnd;
  private boolean inputShut;
  private boolean outputShut;
  private boolean closed;
  private final java.util.concurrent.CountDownLatch closedLatch = new java.util.concurrent.CountDownLatch(1);

  MemoryWire(byte[] input, int[] sizes) {
    this.input = input;
    this.sizes = sizes;
  }

  @Override
  public int read(ByteBuffer buffer) {
    if (closed || inputShut || offset == input.length) {
      if (++readsAfterEnd > 8) {
        throw new AssertionError("connection keeps reading after the end of its input");
      }
      return -1;
    }
    if (!buffer.hasRemaining()) {
      throw new AssertionError("read into a full buffer");
    }
    int n = Math.min(Math.min(sizes[piece++ % sizes.length], input.length - offset), buffer.remaining());
    buffer.put(input, offset, n);
    offset += n;
    return n;
  }

  @Override
  public void write(ByteBuffer buffer) throws IOException {
    if (closed || outputShut) {
      throw new AssertionError("write after the output was shut down");
    }
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    output.writeBytes(bytes);
  }

  @Override
  public void transferFrom(FileChannel file, long position, long count) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(count));
    while (buffer.hasRemaining() && file.read(buffer, position + buffer.position()) > 0) {
      // reading the region
    }
    write(buffer.flip());
  }

  @Override
  public void shutdownOutput() {
    outputShut = true;
  }

  @Override
  public void shutdownInput() {
    inputShut = true;
  }

  @Override
  public void close() {
    closed = true;
    closedLatch.countDown();
  }

  /** Waits until the connection closed the wire (it runs on another thread); whether it did in time. */
  boolean awaitClosed(java.time.Duration timeout) throws InterruptedException {
    return closedLatch.await(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  @Override
  public InetSocketAddress peer() {
    return PEER;
  }

  /** Everything the connection wrote. */
  byte[] output() {
    return output.toByteArray();
  }
}
