package dev.weft.cli.serve;

import dev.weft.net.Broadcast;
import dev.weft.net.ConnectionAborted;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.Endpoint;
import dev.weft.net.LineReceiver;
import dev.weft.net.ListeningPort;
import dev.weft.net.Protocol;
import dev.weft.net.ProtocolFactory;
import dev.weft.net.Reactor;
import dev.weft.net.ReactorOptions;
import dev.weft.net.Transport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The two classic servers, as reusable pieces: {@link #echo()} and {@link #pubsub} protocol
 * factories, and {@link #start} to run one on its own reactor (what the commands and the tests
 * use).
 */
public final class Servers {
  static final System.Logger LOG = System.getLogger("weft.serve");
  private static final ByteBuffer NEWLINE = ByteBuffer.wrap(new byte[] {'\n'}).asReadOnlyBuffer();

  private Servers() {}

  /** A running server: its reactor and port. */
  public record Running(Reactor reactor, ListeningPort port) {}

  /** Starts a reactor with {@code loops} loops (0: default) and listens with {@code factory}. */
  public static Running start(Endpoint endpoint, ProtocolFactory factory, ConnectionOptions options, int loops)
      throws IOException {
    ReactorOptions reactorOptions = ReactorOptions.defaults();
    if (loops > 0) {
      reactorOptions = reactorOptions.withLoops(loops);
    }
    Reactor reactor = Reactor.start(reactorOptions);
    try {
      return new Running(reactor, reactor.listen(endpoint, factory, options));
    } catch (IOException | RuntimeException e) {
      reactor.abort();
      throw e;
    }
  }

  /** Echoes every byte back. */
  public static ProtocolFactory echo() {
    return peer -> new Echo();
  }

  /**
   * The broadcast chat: every line a client sends goes to every client (the sender too), tagged
   * with the sender's address, in the order the server received them. Slow clients are dropped by
   * the connection options' outbound limit, with a logged reason.
   */
  public static ProtocolFactory pubsub(Broadcast room, int maxLine) {
    return peer -> new Subscriber(room, maxLine, peer);
  }

  private static final class Echo implements Protocol {
    private Transport transport;

    @Override
    public void connectionMade(Transport newTransport) {
      transport = newTransport;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      transport.write(data);
    }
  }

  private static final class Subscriber extends LineReceiver {
    private final Broadcast room;
    private final ByteBuffer tag;
    private final InetSocketAddress peer;

    Subscriber(Broadcast room, int maxLine, InetSocketAddress peer) {
      super(maxLine);
      this.room = room;
      this.peer = peer;
      String address = peer.getAddress().getHostAddress() + ":" + peer.getPort();
      this.tag = ByteBuffer.wrap(("[" + address + "] ").getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    }

    @Override
    protected void connectionMade() {
      room.subscribe(transport());
    }

    @Override
    protected void lineReceived(ByteBuffer line) {
      room.publish(tag, line, NEWLINE);
    }

    @Override
    protected void lineLengthExceeded(ByteBuffer start) {
      LOG.log(Level.WARNING, "disconnecting " + peer + ": line longer than " + maxLineLength() + " bytes");
      super.lineLengthExceeded(start);
    }

    @Override
    public void connectionLost(Throwable reason) {
      room.unsubscribe(transport());
      if (reason instanceof ConnectionAborted aborted && aborted.cause() == ConnectionAborted.Cause.OUTBOUND_LIMIT) {
        LOG.log(Level.WARNING, "disconnected slow subscriber " + peer + ": " + aborted.getMessage());
      }
    }
  }
}
