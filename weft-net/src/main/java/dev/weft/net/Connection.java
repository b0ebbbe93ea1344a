package dev.weft.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One connection served in the blocking style on its own virtual thread, by a {@link
 * ConnectionHandler}: plain {@code read}, {@code readLine} and {@code write} calls that park the
 * virtual thread, not a platform thread.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="connection" :
 * reactor.listenBlocking(Endpoint.parse("tcp:7001"), connection -> {
 *   for (String line; (line = connection.readLine(1024)) != null; ) {
 *     connection.write(ByteBuffer.wrap((line + "\n").getBytes(UTF_8)));
 *   }
 * });
 * }
 *
 * <p>The {@link ConnectionOptions} of the port apply: the idle timeout is the read timeout (a read
 * that waits longer throws {@link java.net.SocketTimeoutException}) and the write timeout (a write
 * the peer does not drain in time closes the socket); the connection limit and the counters are
 * the same as for protocols.
 *
 * <p>Threads: one thread, the handler's, uses a connection; {@link #abort()} may be called from any
 * thread to unblock it. Comparison: a gevent socket or {@code socketserver}'s {@code rfile}/{@code
 * wfile}; {@link #readLine} never returns a truncated line (it throws {@link
 * LineTooLongException}). A blocking connection has no non-blocking write: writes wait for the
 * kernel to take the bytes, which is the backpressure. {@link #tryRead} and {@link #tryReadLine}
 * return only what is already buffered.
 */
public interface Connection extends AutoCloseable {

  /**
   * Reads at least one byte into {@code buffer}, waiting for data; returns the count, or -1 at the
   * end of the stream.
   */
  int read(ByteBuffer buffer) throws IOException, InterruptedException;

  /** Moves bytes already buffered into {@code buffer} without waiting; returns the count, maybe 0. */
  int tryRead(ByteBuffer buffer);

  /**
   * Reads one line (UTF-8, ended by LF, a CR before the LF removed), waiting for it; returns it
   * without its ending, or null at the end of the stream (a last line without LF is returned).
   *
   * @throws LineTooLongException when the line is longer than {@code maxLength} bytes
   */
  String readLine(int maxLength) throws IOException, InterruptedException;

  /** A complete line already buffered, or null, without waiting. */
  String tryReadLine(int maxLength) throws LineTooLongException;

  /** Writes every byte of {@code data}, waiting while the peer is slow; moves its position to the limit. */
  void write(ByteBuffer data) throws IOException, InterruptedException;

  /** Shuts down the sending side (half-close): the peer reads end of stream, this side can still read. */
  void shutdownOutput() throws IOException;

  /** Closes the connection now with a reset, from any thread; a blocked read or write fails. */
  void abort();

  /** Closes the connection. */
  @Override
  void close() throws IOException;

  /** The address of the other end. */
  InetSocketAddress peer();

  /** The address of this end. */
  InetSocketAddress host();

  /** Counters for this connection. */
  ConnectionStats stats();
}
