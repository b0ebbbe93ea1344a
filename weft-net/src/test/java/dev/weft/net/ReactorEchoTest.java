package dev.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReactorEchoTest {
  private final Reactor reactor = Reactor.start(ReactorOptions.defaults().withLoops(2));

  @AfterEach
  void close() {
    reactor.close();
  }

  @Test
  void echoesEveryByteOnLoopback() throws IOException {
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Echo());
    try (SocketChannel client = Clients.connect(port)) {
      assertThat(Clients.roundTrip(client, "hello\n")).isEqualTo("hello\n");
      String big = "x".repeat(1_000_000);
      Clients.send(client, big);
      assertThat(Clients.receive(client, big.length())).isEqualTo(big);
    }
    assertThat(port.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    await().atMost(Duration.ofSeconds(10)).until(() -> port.stats().closed() == 1);
    assertThat(port.stats().bytesRead()).isEqualTo(1_000_006);
    assertThat(port.stats().bytesWritten()).isEqualTo(1_000_006);
  }

  @Test
  void servesAThousandConcurrentConnections() throws Exception {
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Echo());
    List<SocketChannel> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 1000; i++) {
        clients.add(Clients.connect(port));
      }
      for (int i = 0; i < clients.size(); i++) {
        Clients.send(clients.get(i), "client " + i + "\n");
      }
      for (int i = 0; i < clients.size(); i++) {
        String expected = "client " + i + "\n";
        assertThat(Clients.receive(clients.get(i), expected.length())).isEqualTo(expected);
      }
      assertThat(port.stats().open()).isEqualTo(1000);
      assertThat(port.stats().accepted()).isEqualTo(1000);
    } finally {
      for (SocketChannel client : clients) {
        client.close();
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> port.stats().open() == 0);
  }

  @Test
  void halfCloseLetsEchoFinishSendingThenCloses() throws IOException {
    var reasons = new CopyOnWriteArrayList<Throwable>();
    ListeningPort port =
        reactor.listen(Endpoint.parse("tcp:0"), peer -> new Echo(reasons::add));
    try (SocketChannel client = Clients.connect(port)) {
      String payload = "y".repeat(300_000);
      Clients.send(client, payload);
      client.shutdownOutput();
      assertThat(Clients.receiveAll(client)).isEqualTo(payload);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> !reasons.isEmpty());
    assertThat(reasons.getFirst()).isInstanceOf(ConnectionDone.class);
  }

  @Test
  void clientConnectsThroughTheReactor() throws Exception {
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Echo());
    var received = new CompletableFuture<String>();
    Transport transport =
        reactor.connect(Endpoint.parse("tcp:127.0.0.1:" + port.port()), peer -> new Protocol() {
              @Override
              public void dataReceived(ByteBuffer data) {
                received.complete(LineReceiver.text(data));
              }
            })
            .get(10, TimeUnit.SECONDS);
    transport.write(ByteBuffer.wrap("ping".getBytes()));
    assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("ping");
    transport.loseConnection();
    await().atMost(Duration.ofSeconds(10)).until(() -> reactor.stats().closed() == 2);
  }

  @Test
  void connectToAClosedPortFailsTheFuture() throws Exception {
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Echo());
    int free = port.port();
    port.close();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      var future = reactor.connect(Endpoint.tcp("127.0.0.1", free), peer -> new Echo());
      assertThat(future).failsWithin(Duration.ofSeconds(10));
    });
  }

  @Test
  void blockingStyleEchoesWithTheSameCounters() throws IOException {
    ListeningPort port =
        reactor.listenBlocking(Endpoint.parse("tcp:0"), connection -> {
          for (String line; (line = connection.readLine(100)) != null; ) {
            connection.write(ByteBuffer.wrap((line.toUpperCase() + "\n").getBytes()));
          }
        });
    try (SocketChannel client = Clients.connect(port)) {
      Clients.send(client, "hello\r\n");
      assertThat(Clients.receive(client, 6)).isEqualTo("HELLO\n");
      assertThat(Clients.roundTrip(client, "again\n")).isEqualTo("AGAIN\n");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> port.stats().closed() == 1);
    assertThat(port.stats().accepted()).isEqualTo(1);
    assertThat(port.stats().bytesRead()).isEqualTo(13);
    assertThat(reactor.stats().bytesWritten()).isEqualTo(12);
  }
}
