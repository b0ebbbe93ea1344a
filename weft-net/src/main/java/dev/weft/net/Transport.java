package dev.weft.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/**
 * One connection, as its {@link Protocol} sees it: where to write, how to close, how to apply
 * backpressure. A reactor makes one per socket; {@code dev.weft.testing.MemoryTransport} makes one
 * in memory for tests.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="transport" :
 * public void dataReceived(ByteBuffer data) {
 *   transport.write(data);
 *   if (!transport.isWritable()) {
 *     transport.pauseProducing(); // the peer reads slower than it sends: stop reading
 *   }
 * }
 *
 * public void writabilityChanged(Transport transport) {
 *   if (transport.isWritable()) {
 *     transport.resumeProducing();
 *   }
 * }
 * }
 *
 * <h2>Writing never loses bytes</h2>
 *
 * {@link #write} copies the bytes into the connection's outbound buffer and returns at once;
 * everything written is sent, in order, or the connection is lost with a reason (Python's {@code
 * sendall}, without blocking). Writes made during one pass of the event loop go out together in
 * one system call per connection at the end of the pass (a connection that has 64 KiB or more
 * queued starts sending between its reads). The outbound buffer is bounded by {@link
 * ConnectionOptions#outboundLimit()}: a peer that stops reading while the protocol keeps writing is
 * aborted with {@link ConnectionAborted.Cause#OUTBOUND_LIMIT}. To slow down instead, watch {@link
 * #isWritable()} and {@link Protocol#writabilityChanged}: the transport turns unwritable above the
 * high water mark and writable again at the low one.
 *
 * <h2>Threads</h2>
 *
 * Every method may be called from any thread. Called from the connection's own thread (inside its
 * protocol's events, or in a task given to {@link #executor()}) they act at once; from another
 * thread they are handed to that thread, {@link #write} first copying the data, so the order of one
 * caller's calls is kept.
 *
 * <h2>Comparison with Twisted and sockets</h2>
 *
 * Twisted's {@code ITransport} with {@code IConsumer}/{@code IPushProducer} and {@code
 * loseWriteConnection}; unlike {@code socket.send}, a write is never partial; unlike Netty's {@code
 * Channel.write}, there is no separate flush to forget.
 */
public interface Transport {

  /** Queues the bytes between {@code data}'s position and limit, and moves its position to the limit. */
  void write(ByteBuffer data);

  /** Queues each buffer in turn, as {@link #write} would. */
  default void writeSequence(Iterable<ByteBuffer> data) {
    for (ByteBuffer buffer : data) {
      write(buffer);
    }
  }

  /** Closes the connection once everything written has been sent: a clean close. */
  void loseConnection();

  /**
   * Half-close: once everything written has been sent, shuts down the sending side (the peer reads
   * end of stream) and keeps reading until the peer closes too.
   */
  void loseWriteConnection();

  /** Closes the connection now, discarding what waits to be sent; the peer sees a reset. */
  void abortConnection();

  /** Stops reading from the peer until {@link #resumeProducing()}: the peer's sends then block. */
  void pauseProducing();

  /** Reads from the peer again after {@link #pauseProducing()}. */
  void resumeProducing();

  /**
   * Whether the bytes waiting to be sent are at or below the low water mark, or have not passed the
   * high one since they were.
   */
  boolean isWritable();

  /** How many written bytes are still waiting to be sent. */
  long pendingBytes();

  /** Whether the connection is still open (not yet lost). */
  boolean isOpen();

  /** The address of the other end. */
  InetSocketAddress peer();

  /** The address of this end. */
  InetSocketAddress host();

  /**
   * Runs tasks on the thread that runs this connection's protocol, one at a time with its events:
   * the way another thread acts on a protocol's state without a lock.
   */
  Executor executor();

  /** Counters for this connection. */
  ConnectionStats stats();
}
