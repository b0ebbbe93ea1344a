package dev.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RobustnessTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private final Reactor reactor = Reactor.start(ReactorOptions.defaults().withLoops(2));
  private final List<Throwable> reasons = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    reactor.close();
  }

  /** Writes {@code size} bytes as soon as connected, whatever the peer does. */
  private final class Firehose implements Protocol {
    private final int size;

    Firehose(int size) {
      this.size = size;
    }

    @Override
    public void connectionMade(Transport transport) {
      transport.write(ByteBuffer.allocate(size));
    }

    @Override
    public void connectionLost(Throwable reason) {
      reasons.add(reason);
    }
  }

  @Test
  void aClientThatVanishesMidWriteLosesItsConnectionWithAReason() throws IOException {
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Firehose(32 * 1024 * 1024));
    try (SocketChannel client = Clients.connect(port)) {
      client.read(ByteBuffer.allocate(1000));
      client.setOption(StandardSocketOptions.SO_LINGER, 0);
    }
    await().atMost(WAIT).until(() -> !reasons.isEmpty());
    assertThat(reasons.getFirst()).isInstanceOf(IOException.class).isNotInstanceOf(ConnectionDone.class);
    assertThat(port.stats().open()).isZero();
    try (SocketChannel other = SocketChannel.open(port.address())) {
      assertThat(other.read(ByteBuffer.allocate(10))).isPositive();
    }
  }

  @Test
  void aReaderThatStopsReadingIsAbortedAtTheOutboundLimit() throws IOException {
    var options = ConnectionOptions.defaults().withOutboundLimit(1024 * 1024);
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Protocol() {
      private Transport transport;

      @Override
      public void connectionMade(Transport newTransport) {
        transport = newTransport;
      }

      @Override
      public void dataReceived(ByteBuffer data) {
        for (int i = 0; i < 1000; i++) {
          transport.write(ByteBuffer.allocate(64 * 1024));
        }
      }

      @Override
      public void connectionLost(Throwable reason) {
        reasons.add(reason);
      }
    }, options);
    try (SocketChannel client = Clients.connect(port)) {
      Clients.send(client, "go");
      await().atMost(WAIT).until(() -> !reasons.isEmpty());
    }
    assertThat(reasons.getFirst())
        .isInstanceOfSatisfying(ConnectionAborted.class, aborted -> assertThat(aborted.cause())
            .isEqualTo(ConnectionAborted.Cause.OUTBOUND_LIMIT))
        .hasMessageStartingWith("outbound buffer must stay within 1048576 bytes: ");
  }

  @Test
  void anOversizedLineLosesTheConnectionAfterEarlierRepliesAreSent() throws IOException {
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new LineReceiver(64) {
      @Override
      protected void lineReceived(ByteBuffer line) {
        sendLine("ok " + text(line));
      }

      @Override
      public void connectionLost(Throwable reason) {
        reasons.add(reason);
      }
    });
    try (SocketChannel client = Clients.connect(port)) {
      Clients.send(client, "short\n" + "z".repeat(10_000) + "\nnever\n");
      assertThat(Clients.receiveAll(client)).isEqualTo("ok short\n");
    }
    await().atMost(WAIT).until(() -> !reasons.isEmpty());
    assertThat(reasons.getFirst()).isInstanceOf(ConnectionDone.class);
  }

  @Test
  void excessConnectionsAreClosedCleanlyAndCounted() throws IOException {
    var options = ConnectionOptions.defaults().withMaxConnections(3);
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Echo(), options);
    List<SocketChannel> kept = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        kept.add(Clients.connect(port));
        assertThat(Clients.roundTrip(kept.getLast(), "hi")).isEqualTo("hi");
      }
      try (SocketChannel excess = Clients.connect(port)) {
        assertThat(excess.read(ByteBuffer.allocate(10))).isEqualTo(-1);
      }
      assertThat(port.stats().rejected()).isEqualTo(1);
      assertThat(port.stats().open()).isEqualTo(3);
      kept.removeFirst().close();
      await().atMost(WAIT).until(() -> port.stats().open() == 2);
      kept.add(Clients.connect(port));
      assertThat(Clients.roundTrip(kept.getLast(), "again")).isEqualTo("again");
    } finally {
      for (SocketChannel channel : kept) {
        channel.close();
      }
    }
  }

  @Test
  void anIdleConnectionIsAbortedAfterTheIdleTimeout() throws IOException {
    var options = ConnectionOptions.defaults().withIdleTimeout(Duration.ofMillis(200));
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Echo(reasons::add), options);
    try (SocketChannel client = Clients.connect(port)) {
      assertThat(Clients.roundTrip(client, "still here")).isEqualTo("still here");
      await().atMost(WAIT).until(() -> !reasons.isEmpty());
      assertThat(client.read(ByteBuffer.allocate(10))).isEqualTo(-1);
    } catch (IOException reset) {
      // the abort may reach the client as a reset instead of an end of stream
    }
    assertThat(reasons.getFirst())
        .isInstanceOfSatisfying(ConnectionAborted.class, aborted -> assertThat(aborted.cause())
            .isEqualTo(ConnectionAborted.Cause.IDLE_TIMEOUT))
        .hasMessage("idle for longer than PT0.2S");
  }

  @Test
  void writabilityFollowsTheWaterMarks() throws Exception {
    var options = ConnectionOptions.defaults().withWaterMarks(16 * 1024, 64 * 1024);
    var changes = new CopyOnWriteArrayList<String>();
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Protocol() {
      private long produced;

      private void produce(Transport transport) {
        while (transport.isWritable() && produced < 64L * 1024 * 1024) {
          transport.write(ByteBuffer.allocate(8192));
          produced += 8192;
        }
      }

      @Override
      public void connectionMade(Transport transport) {
        produce(transport);
      }

      @Override
      public void writabilityChanged(Transport transport) {
        changes.add(transport.isWritable() ? "writable" : "unwritable");
        produce(transport);
      }
    }, options);
    try (SocketChannel client = Clients.connect(port)) {
      await().atMost(WAIT).until(() -> changes.contains("unwritable"));
      int unwritableAt = changes.indexOf("unwritable");
      ByteBuffer sink = ByteBuffer.allocate(256 * 1024);
      while (changes.lastIndexOf("writable") < unwritableAt) {
        assertThat(client.read(sink.clear())).isPositive();
      }
    }
    assertThat(changes.indexOf("unwritable")).isLessThan(changes.lastIndexOf("writable"));
  }

  @Test
  void gracefulCloseSendsWhatIsQueuedThenCloses() throws Exception {
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Firehose(4 * 1024 * 1024));
    try (SocketChannel client = Clients.connect(port)) {
      await().atMost(WAIT).until(() -> port.stats().open() == 1);
      var closing = CompletableFuture.supplyAsync(() -> {
        try {
          return reactor.shutdown(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(Clients.receiveAll(client)).hasSize(4 * 1024 * 1024);
      assertThat(closing.get(20, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(reasons).singleElement().isInstanceOf(ConnectionDone.class);
  }

  @Test
  void abortResetsEveryConnection() throws Exception {
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Echo(reasons::add));
    try (SocketChannel client = Clients.connect(port)) {
      assertThat(Clients.roundTrip(client, "a")).isEqualTo("a");
      reactor.abort();
      assertThat(reactor.awaitTermination(WAIT)).isTrue();
    }
    assertThat(reasons)
        .singleElement()
        .isInstanceOfSatisfying(ConnectionAborted.class, aborted -> assertThat(aborted.cause())
            .isEqualTo(ConnectionAborted.Cause.REACTOR_CLOSED));
  }

  @Test
  void aProtocolThatThrowsLosesOnlyItsOwnConnection() throws IOException {
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Protocol() {
      @Override
      public void dataReceived(ByteBuffer data) {
        throw new IllegalStateException("boom");
      }

      @Override
      public void connectionLost(Throwable reason) {
        reasons.add(reason);
      }
    });
    try (SocketChannel client = Clients.connect(port)) {
      Clients.send(client, "x");
      await().atMost(WAIT).until(() -> !reasons.isEmpty());
    }
    assertThat(reasons.getFirst())
        .isInstanceOf(ConnectionAborted.class)
        .hasMessage("protocol failed in dataReceived: java.lang.IllegalStateException: boom");
  }

  @Test
  void aClosedReactorRefusesNewWork() throws InterruptedException {
    reactor.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> reactor.listen(Endpoint.parse("tcp:0"), peer -> new Echo()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Reactor[weft-net-0] already closed");
  }

  static String utf8(ByteBuffer buffer) {
    return StandardCharsets.UTF_8.decode(buffer).toString();
  }
}
