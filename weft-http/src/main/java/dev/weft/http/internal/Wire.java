package dev.weft.http.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The byte stream one HTTP connection runs over, in the blocking style: a socket served on a
 * virtual thread, or memory in tests. The connection's thread calls the blocking methods; {@link
 * #shutdownInput()} and {@link #close()} may be called from any thread (a timeout, a shutdown) and
 * make a blocked {@link #read} return.
 */
public interface Wire {

  /** Reads at least one byte into {@code buffer}, waiting for it; -1 at the end of the stream. */
  int read(ByteBuffer buffer) throws IOException, InterruptedException;

  /** Writes every byte of {@code buffer}, waiting while the peer is slow. */
  void write(ByteBuffer buffer) throws IOException, InterruptedException;

  /**
   * Writes {@code count} bytes of {@code file} from {@code position}, without copying them through
   * the heap where the wire allows it.
   */
  void transferFrom(FileChannel file, long position, long count) throws IOException, InterruptedException;

  /** Ends the sending side once written bytes are out: the peer reads end of stream. */
  void shutdownOutput() throws IOException;

  /** Makes reads return end of stream from now on (a blocked read returns at once). */
  void shutdownInput();

  /** Closes the wire; idempotent. */
  void close();

  /** The address of the other end. */
  InetSocketAddress peer();
}
