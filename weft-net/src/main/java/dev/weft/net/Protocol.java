package dev.weft.net;

import java.nio.ByteBuffer;

/**
 * The code that handles one connection: it receives events from its {@link Transport} and asks the
 * transport to write or to close. A {@link ProtocolFactory} builds one protocol per connection.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="protocol" :
 * final class Echo implements Protocol {
 *   private Transport transport;
 *
 *   @Override
 *   public void connectionMade(Transport transport) {
 *     this.transport = transport;
 *   }
 *
 *   @Override
 *   public void dataReceived(ByteBuffer data) {
 *     transport.write(data); // copies: the buffer is reused after this call returns
 *   }
 * }
 * }
 *
 * <h2>Events</h2>
 *
 * {@link #connectionMade} comes first and exactly once; then any number of {@link #dataReceived},
 * at most one {@link #readConnectionLost} (the peer shut down its sending side), and any number of
 * {@link #writabilityChanged}; {@link #connectionLost} comes last and exactly once, whether the
 * connection closed cleanly ({@link ConnectionDone}) or failed (any other reason).
 *
 * <h2>Threads</h2>
 *
 * All the events of one connection run on one thread, one at a time, never concurrently: on a
 * reactor, the event loop that owns the connection ({@code weft-net-N}); on a memory transport, the
 * test's thread. Nothing else guards a protocol's fields, and nothing else is needed. An event must
 * not block: it delays every connection on the same loop. A protocol that throws from an event
 * loses its connection with the exception as the reason.
 *
 * <h2>Comparison with Twisted and Netty</h2>
 *
 * The same events as Twisted's {@code IProtocol} (with {@code IHalfCloseableProtocol} and the
 * consumer side of {@code IPushProducer} folded in), on a Java interface with default methods.
 * Unlike a Netty handler there is no pipeline: a protocol is one object, composed by plain Java.
 */
public interface Protocol {

  /** The connection is open; {@code transport} is how this protocol writes and closes. */
  default void connectionMade(Transport transport) {}

  /**
   * Bytes arrived: {@code data} holds them between its position and limit. The buffer belongs to
   * the transport and is reused for the next read as soon as this method returns: copy what you
   * keep (writing it to a transport keeps it). The protocol may move the buffer's position and
   * limit; it may be read-only (a reactor's is: a transport may send the very buffer that was
   * written back, without copying it).
   */
  default void dataReceived(ByteBuffer data) {}

  /**
   * The peer shut down its sending side (end of stream) but may still read. The default loses the
   * connection once what was written has been sent, as a protocol that does not know half-close
   * expects; override to keep writing, then call {@link Transport#loseConnection()}.
   */
  default void readConnectionLost(Transport transport) {
    transport.loseConnection();
  }

  /**
   * {@link Transport#isWritable()} changed: the data waiting to be sent passed the high water mark
   * (stop producing) or fell back to the low water mark (produce again).
   */
  default void writabilityChanged(Transport transport) {}

  /**
   * The connection is closed. {@code reason} is a {@link ConnectionDone} when it closed cleanly
   * (either side closed after sending everything); anything else says why it failed: a {@link
   * ConnectionAborted} with its {@link ConnectionAborted#cause() cause}, or the I/O error.
   */
  default void connectionLost(Throwable reason) {}
}
