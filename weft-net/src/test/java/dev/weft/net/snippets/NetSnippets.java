package dev.weft.net.snippets;

import dev.weft.net.Broadcast;
import dev.weft.net.BroadcastStats;
import dev.weft.net.Connection;
import dev.weft.net.ConnectionAborted;
import dev.weft.net.ConnectionAborted.Cause;
import dev.weft.net.ConnectionDone;
import dev.weft.net.ConnectionHandler;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.ConnectionStats;
import dev.weft.net.Endpoint;
import dev.weft.net.LineEnding;
import dev.weft.net.LineReceiver;
import dev.weft.net.LineTooLongException;
import dev.weft.net.ListeningPort;
import dev.weft.net.NetStats;
import dev.weft.net.Protocol;
import dev.weft.net.ProtocolFactory;
import dev.weft.net.Reactor;
import dev.weft.net.ReactorOptions;
import dev.weft.net.Transport;
import java.lang.System.Logger;
import java.nio.ByteBuffer;
import java.time.Duration;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The examples in the javadoc of weft-net's public types, compiled. Each type's javadoc quotes
 * its region of this file in a hybrid snippet ({@code {@snippet class=... region=... :}}):
 * {@code SnippetsTest} in weft-cli checks that the quoted text and the region are the same, and
 * javadoc checks it again when it renders them.
 */
@SuppressWarnings({"try", "serial"})
final class NetSnippets {
  private NetSnippets() {}

  /** Context for the example on {@link ConnectionHandler}. */
  static class ConnectionHandlerExample {
    Reactor reactor = Reactor.start();

    void run() throws Exception {
      ConnectionHandler echo = connection -> { // @start region="connectionHandler"
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (connection.read(buffer.clear()) >= 0) {
          connection.write(buffer.flip());
        }
      };
      reactor.listenBlocking(Endpoint.parse("tcp:7001"), echo);
      // @end
    }
  }

  /** Context for the example on {@link Connection}. */
  static class ConnectionExample {
    Reactor reactor = Reactor.start();

    void run() throws Exception {
      reactor.listenBlocking(Endpoint.parse("tcp:7001"), connection -> { // @start region="connection"
        for (String line; (line = connection.readLine(1024)) != null; ) {
          connection.write(ByteBuffer.wrap((line + "\n").getBytes(UTF_8)));
        }
      });
      // @end
    }
  }

  /** Context for the example on {@link ListeningPort}. */
  static class ListeningPortExample {
    Reactor reactor = Reactor.start();
    static final class Echo implements Protocol {}

    void run() throws Exception {
      ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Echo()); // @start region="listeningPort"
      System.out.println("listening on " + port.address());
      port.close(); // no new connections
      // @end
    }
  }

  /** Context for the example on {@link Broadcast}. */
  static class BroadcastExample {
    static final ByteBuffer NEWLINE = ByteBuffer.wrap(new byte[] {'\n'});

    void run() throws Exception {
      var room = Broadcast.create(); // @start region="broadcast"
      ProtocolFactory chat = peer -> new LineReceiver(1024) {
        protected void connectionMade() { room.subscribe(transport()); }
        protected void lineReceived(ByteBuffer line) { room.publish(line, NEWLINE); }
        public void connectionLost(Throwable reason) { room.unsubscribe(transport()); }
      };
      // @end
    }
  }

  /** Context for the example on {@link LineEnding}. */
  static class LineEndingExample {
    void run() throws Exception {
      final class Smtp extends LineReceiver { // @start region="lineEnding"
        Smtp() {
          super(1000, LineEnding.CRLF); // the internet's text protocols want CRLF
        }

        @Override
        protected void lineReceived(ByteBuffer line) {
          sendLine("250 OK"); // ends with CRLF too
        }
      }
      // @end
    }
  }

  /** Context for the example on {@link Protocol}. */
  static class ProtocolExample {
    void run() throws Exception {
      final class Echo implements Protocol { // @start region="protocol"
        private Transport transport;

        @Override
        public void connectionMade(Transport transport) {
          this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
          transport.write(data); // copies: the buffer is reused after this call returns
        }
      }
      // @end
    }
  }

  /** Context for the example on {@link ProtocolFactory}. */
  static class ProtocolFactoryExample {
    Reactor reactor = Reactor.start();
    static final class Echo implements Protocol {}

    void run() throws Exception {
      ProtocolFactory echo = peer -> new Echo(); // @start region="protocolFactory"
      reactor.listen(Endpoint.parse("tcp:7001"), echo);
      // @end
    }
  }

  /** Context for the example on {@link LineTooLongException}. */
  static class LineTooLongExceptionExample {
    Connection connection;

    void run() throws Exception {
      try { // @start region="lineTooLongException"
        String line = connection.readLine(1024);
      } catch (LineTooLongException e) {
        connection.write(ByteBuffer.wrap("line too long\n".getBytes(UTF_8)));
      }
      // @end
    }
  }

  /** Context for the example on {@link ConnectionDone}. */
  abstract static class ConnectionDoneExample implements Protocol {
    final Logger log = System.getLogger("chat");
    String peer;

    public void connectionLost(Throwable reason) { // @start region="connectionDone"
      if (!(reason instanceof ConnectionDone)) {
        log.log(WARNING, "lost " + peer, reason);
      }
    }
    // @end
  }

  /** Context for the example on {@link NetStats}. */
  static class NetStatsExample {
    ListeningPort port;

    void run() throws Exception {
      NetStats stats = port.stats(); // @start region="netStats"
      System.out.println(stats.accepted() + " connections, " + stats.bytesRead() + " bytes in");
      // @end
    }
  }

  /** Context for the example on {@link Reactor}. */
  static class ReactorExample {
    static final class Echo implements Protocol {}

    void awaitShutdownSignal() {}

    void run() throws Exception {
      try (var reactor = Reactor.start()) { // @start region="reactor"
        ListeningPort port = reactor.listen(Endpoint.parse("tcp:7001"), peer -> new Echo());
        System.out.println("echo on " + port.address());
        awaitShutdownSignal();
      } // graceful: stop accepting, finish sending, close
      // @end
    }
  }

  /** Context for the example on {@link LineReceiver}. */
  static class LineReceiverExample {
    void run() throws Exception {
      final class Shout extends LineReceiver { // @start region="lineReceiver"
        Shout() {
          super(1024);
        }

        @Override
        protected void lineReceived(ByteBuffer line) {
          sendLine(LineReceiver.text(line).toUpperCase());
        }
      }
      // @end
    }
  }

  /** Context for the example on {@link ConnectionOptions}. */
  static class ConnectionOptionsExample {
    Reactor reactor = Reactor.start();
    ProtocolFactory factory = peer -> new Protocol() {};

    void run() throws Exception {
      var options = ConnectionOptions.defaults() // @start region="connectionOptions"
          .withMaxConnections(1_000)
          .withIdleTimeout(Duration.ofMinutes(5))
          .withOutboundLimit(1 << 20); // drop a subscriber that falls 1 MiB behind
      reactor.listen(Endpoint.parse("tcp:7002"), factory, options);
      // @end
    }
  }

  /** Context for the example on {@link ConnectionStats}. */
  static class ConnectionStatsExample {
    Transport transport;
    final Logger log = System.getLogger("chat");

    void run() throws Exception {
      ConnectionStats stats = transport.stats(); // @start region="connectionStats"
      log.log(INFO, "read " + stats.bytesRead() + " wrote " + stats.bytesWritten());
      // @end
    }
  }

  /** Context for the example on {@link Transport}. */
  abstract static class TransportExample implements Protocol {
    Transport transport;

    public void dataReceived(ByteBuffer data) { // @start region="transport"
      transport.write(data);
      if (!transport.isWritable()) {
        transport.pauseProducing(); // the peer reads slower than it sends: stop reading
      }
    }

    public void writabilityChanged(Transport transport) {
      if (transport.isWritable()) {
        transport.resumeProducing();
      }
    }
    // @end
  }

  /** Context for the example on {@link ReactorOptions}. */
  static class ReactorOptionsExample {
    void run() throws Exception {
      try (var reactor = Reactor.start(ReactorOptions.defaults().withLoops(1))) { // @start region="reactorOptions"
        // one loop: every protocol of this reactor runs on one thread, like Twisted
      }
      // @end
    }
  }

  /** Context for the example on {@link ConnectionAborted}. */
  abstract static class ConnectionAbortedExample implements Protocol {
    final Logger log = System.getLogger("chat");

    public void connectionLost(Throwable reason) { // @start region="connectionAborted"
      if (reason instanceof ConnectionAborted aborted && aborted.cause() == Cause.OUTBOUND_LIMIT) {
        log.log(INFO, "dropped slow subscriber: " + aborted.getMessage());
      }
    }
    // @end
  }

  /** Context for the example on {@link BroadcastStats}. */
  static class BroadcastStatsExample {
    Broadcast room = Broadcast.create();

    void run() throws Exception {
      BroadcastStats stats = room.stats(); // @start region="broadcastStats"
      System.out.println(stats.subscribers() + " subscribers, " + stats.published() + " messages");
      // @end
    }
  }

  /** Context for the example on {@link Endpoint}. */
  static class EndpointExample {
    void run() throws Exception {
      Endpoint.parse("tcp:7001");                          // 127.0.0.1:7001, backlog 4096 // @start region="endpoint"
      Endpoint.parse("tcp:7001:interface=0.0.0.0");        // every interface
      Endpoint.parse("tcp:7001:backlog=1024");
      Endpoint.parse("tcp:host=example.org:port=80");      // a client's endpoint
      Endpoint.parse("tcp:example.org:80");                // the same, positionally
      // @end
    }
  }
}
