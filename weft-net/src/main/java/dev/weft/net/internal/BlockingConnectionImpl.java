package dev.weft.net.internal;

import dev.weft.Clock;
import dev.weft.net.Connection;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.ConnectionStats;
import dev.weft.net.LineTooLongException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A {@link Connection} over a {@link Socket} on a virtual thread. Reads go through one reused
 * 16 KiB buffer ({@code in}, kept in read mode: position..limit is what is buffered), so lines are
 * found without reading byte by byte and a plain {@code read} with an empty buffer reads straight
 * into the caller's array.
 *
 * <p>Threads: confined to the handler's thread, except {@link #abort()}, which closes the socket
 * (thread-safe in the JDK) to unblock it, and {@link #stats()}, whose figures may lag.
 */
final class BlockingConnectionImpl implements Connection {
  private static final int BUFFER_SIZE = 16 * 1024;

  private final Socket socket;
  private final InputStream input;
  private final OutputStream output;
  private final ConnectionOptions options;
  private final Clock clock;
  private final PortCounters counters;
  private final InetSocketAddress peer;
  private final InetSocketAddress host;
  private final ByteBuffer in = ByteBuffer.allocate(BUFFER_SIZE).limit(0);
  private long bytesRead;
  private long bytesWritten;
  private long reads;
  private long writes;

  BlockingConnectionImpl(Socket socket, ConnectionOptions options, Clock clock, PortCounters counters) throws IOException {
    this.socket = socket;
    this.input = socket.getInputStream();
    this.output = socket.getOutputStream();
    this.options = options;
    this.clock = clock;
    this.counters = counters;
    this.peer = (InetSocketAddress) socket.getRemoteSocketAddress();
    this.host = (InetSocketAddress) socket.getLocalSocketAddress();
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, options.idleTimeout().toMillis()));
  }

  @Override
  public int read(ByteBuffer buffer) throws IOException, InterruptedException {
    if (in.hasRemaining()) {
      return tryRead(buffer);
    }
    if (buffer.hasArray() && buffer.remaining() >= BUFFER_SIZE / 4) {
      int n = fill(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
      if (n > 0) {
        buffer.position(buffer.position() + n);
      }
      return n;
    }
    if (refill() < 0) {
      return -1;
    }
    return tryRead(buffer);
  }

  @Override
  public int tryRead(ByteBuffer buffer) {
    int n = Math.min(in.remaining(), buffer.remaining());
    buffer.put(buffer.position(), in, in.position(), n);
    buffer.position(buffer.position() + n);
    in.position(in.position() + n);
    return n;
  }

  @Override
  public String readLine(int maxLength) throws IOException, InterruptedException {
    while (true) {
      String line = tryReadLine(maxLength);
      if (line != null) {
        return line;
      }
      if (refill() < 0) {
        if (!in.hasRemaining()) {
          return null;
        }
        String last = decode(in.position(), in.limit());
        in.position(in.limit());
        return last;
      }
    }
  }

  @Override
  public String tryReadLine(int maxLength) throws LineTooLongException {
    if (maxLength <= 0) {
      throw new IllegalArgumentException("maxLength must be > 0: " + maxLength);
    }
    for (int i = in.position(); i < in.limit(); i++) {
      if (in.get(i) == '\n') {
        int end = i > in.position() && in.get(i - 1) == '\r' ? i - 1 : i;
        if (end - in.position() > maxLength) {
          in.position(i + 1);
          throw new LineTooLongException(maxLength);
        }
        String line = decode(in.position(), end);
        in.position(i + 1);
        return line;
      }
    }
    if (in.remaining() > maxLength + 1 || in.remaining() >= in.capacity()) {
      in.position(in.limit());
      throw new LineTooLongException(maxLength);
    }
    return null;
  }

  private String decode(int from, int to) {
    return new String(in.array(), in.arrayOffset() + from, to - from, StandardCharsets.UTF_8);
  }

  /** Reads more into {@code in} after what it holds (compacting first); -1 at end of stream. */
  private int refill() throws IOException, InterruptedException {
    in.compact();
    int n;
    try {
      n = fill(in.array(), in.arrayOffset() + in.position(), in.remaining());
      if (n > 0) {
        in.position(in.position() + n);
      }
    } finally {
      in.flip();
    }
    return n;
  }

  private int fill(byte[] array, int offset, int length) throws IOException, InterruptedException {
    int n;
    try {
      n = input.read(array, offset, length);
    } catch (InterruptedIOException e) {
      throw interruptedOr(e);
    } catch (IOException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException("read interrupted on " + peer);
      }
      throw e;
    }
    if (n > 0) {
      bytesRead += n;
      reads++;
      counters.read(n);
    }
    return n;
  }

  private static IOException interruptedOr(InterruptedIOException e) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException(e.getMessage());
    }
    return e;
  }

  @Override
  public void write(ByteBuffer data) throws IOException, InterruptedException {
    int n = data.remaining();
    Duration timeout = options.idleTimeout();
    Clock.Alarm alarm = timeout.isZero() ? null : clock.schedule(timeout, this::abort);
    try {
      if (data.hasArray()) {
        output.write(data.array(), data.arrayOffset() + data.position(), n);
      } else {
        byte[] copy = new byte[n];
        data.get(data.position(), copy);
        output.write(copy);
      }
    } catch (IOException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException("write interrupted on " + peer);
      }
      throw e;
    } finally {
      if (alarm != null) {
        alarm.cancel();
      }
    }
    data.position(data.limit());
    bytesWritten += n;
    writes++;
    counters.wrote(n);
  }

  @Override
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void abort() {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // closing anyway
    }
    closeQuietly();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  void closeQuietly() {
    try {
      socket.close();
    } catch (IOException e) {
      LoopGroup.logDebug("close failed for " + peer, e);
    }
  }

  boolean isOpen() {
    return !socket.isClosed();
  }

  @Override
  public InetSocketAddress peer() {
    return peer;
  }

  @Override
  public InetSocketAddress host() {
    return host;
  }

  @Override
  public ConnectionStats stats() {
    return new ConnectionStats(bytesRead, bytesWritten, 0, reads, writes);
  }

  @Override
  public String toString() {
    return "Connection[" + host + " <-> " + peer + "]";
  }
}
