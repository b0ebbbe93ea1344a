package dev.weft.http;

import dev.weft.http.internal.Wire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A wire whose writes and file transfers go out in pieces of at most {@value #PIECE} bytes, each
 * between a {@link Deadlines#begin()} and {@link Deadlines#end()}: how a connection on a thread
 * bounds the wait for a client that stops reading (nginx's {@code send_timeout}, per write) while
 * a slow client still gets the whole timeout for each piece. Reads and the rest pass through.
 *
 * <p>Thread contract: writes come from the connection's thread only, as for any {@link Wire}.
 */
final class PiecedWire implements Wire {
  /** The most sent under one deadline. */
  static final int PIECE = 64 * 1024;

  /** What brackets each piece: the connection's send deadline. */
  interface Deadlines {
    /** A piece starts; throws if the connection already gave up on the client. */
    void begin() throws IOException;

    /** The piece was taken by the socket. */
    void end();
  }

  private final Wire wire;
  private final Deadlines deadlines;

  PiecedWire(Wire wire, Deadlines deadlines) {
    this.wire = wire;
    this.deadlines = deadlines;
  }

  @Override
  public void write(ByteBuffer buffer) throws IOException, InterruptedException {
    int end = buffer.limit();
    try {
      while (buffer.position() < end) {
        buffer.limit(Math.min(end, buffer.position() + PIECE));
        deadlines.begin();
        try {
          wire.write(buffer);
        } finally {
          deadlines.end();
        }
      }
    } finally {
      buffer.limit(end);
    }
  }

  @Override
  public void transferFrom(FileChannel file, long position, long count) throws IOException, InterruptedException {
    for (long sent = 0; sent < count; sent += PIECE) {
      deadlines.begin();
      try {
        wire.transferFrom(file, position + sent, Math.min(PIECE, count - sent));
      } finally {
        deadlines.end();
      }
    }
  }

  @Override
  public int read(ByteBuffer buffer) throws IOException, InterruptedException {
    return wire.read(buffer);
  }

  @Override
  public void shutdownOutput() throws IOException {
    wire.shutdownOutput();
  }

  @Override
  public void shutdownInput() {
    wire.shutdownInput();
  }

  @Override
  public void close() {
    wire.close();
  }

  @Override
  public InetSocketAddress peer() {
    return wire.peer();
  }
}
