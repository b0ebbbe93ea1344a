package dev.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Broadcast} over loopback, with subscribers spread over two event loops. */
class BroadcastTest {
  private static final ByteBuffer NEWLINE = ByteBuffer.wrap(new byte[] {'\n'}).asReadOnlyBuffer();

  private final Reactor reactor = Reactor.start(ReactorOptions.defaults().withLoops(2));
  private final Broadcast room = Broadcast.create();
  /** Messages whose parts publish moved: it must leave them as they were. */
  private final AtomicInteger partsMoved = new AtomicInteger();

  @AfterEach
  void close() {
    reactor.close();
  }

  private ListeningPort chat() throws IOException {
    return chat(ConnectionOptions.defaults());
  }

  private ListeningPort chat(ConnectionOptions options) throws IOException {
    return chat(options, 1024);
  }

  private ListeningPort chat(ConnectionOptions options, int maxLine) throws IOException {
    return reactor.listen(Endpoint.parse("tcp:0"), peer -> new LineReceiver(maxLine) {
      @Override
      protected void connectionMade() {
        room.subscribe(transport());
      }

      @Override
      protected void lineReceived(ByteBuffer line) {
        int start = line.position();
        room.publish(line, NEWLINE); // one constant part, shared by both loops
        if (line.position() != start || NEWLINE.position() != 0) {
          partsMoved.incrementAndGet();
        }
      }

      @Override
      public void connectionLost(Throwable reason) {
        room.unsubscribe(transport());
      }
    }, options);
  }

  private static String lines(int from, int count) {
    var text = new StringBuilder();
    for (int i = from; i < from + count; i++) {
      text.append("line ").append(i).append('\n');
    }
    return text.toString();
  }

  @Test
  void linesOfOneReadReachEverySubscriberOnEveryLoopInOrder() throws IOException {
    ListeningPort port = chat();
    List<SocketChannel> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 7; i++) {
        clients.add(Clients.connect(port));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> room.stats().subscribers() == 7);
      String burst = lines(0, 2000);
      Clients.send(clients.getFirst(), burst);
      for (SocketChannel client : clients) {
        assertThat(Clients.receive(client, burst.length())).isEqualTo(burst);
      }
      assertThat(room.stats().published()).isEqualTo(2000);
    } finally {
      for (SocketChannel client : clients) {
        client.close();
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"true, false", "true, true", "false, false", "false, true"})
  void aClosedReactorLeavesNoSubscribersNorGroupsBehind(boolean unsubscribeOnLoss, boolean abort)
      throws IOException, InterruptedException {
    List<SocketChannel> clients = new ArrayList<>();
    try (Reactor other = Reactor.start(ReactorOptions.defaults().withLoops(1))) {
      ListeningPort port = other.listen(Endpoint.parse("tcp:0"), peer -> new LineReceiver(1024) {
        @Override
        protected void connectionMade() {
          room.subscribe(transport());
        }

        @Override
        protected void lineReceived(ByteBuffer line) {}

        @Override
        public void connectionLost(Throwable reason) {
          if (unsubscribeOnLoss) {
            room.unsubscribe(transport());
          }
        }
      });
      clients.add(Clients.connect(port));
      clients.add(Clients.connect(port));
      await().atMost(Duration.ofSeconds(10)).until(() -> room.stats().subscribers() == 2);
      assertThat(room.groupCount()).isEqualTo(1);
      if (abort) { // the loop ends first and then drops its connections: no task of theirs runs
        other.abort();
        assertThat(other.awaitTermination(Duration.ofSeconds(10))).isTrue();
      }
    } // the clients stay open: the reactor's close drops them
    try {
      // connectionLost ran on the loop as the reactor closed: unsubscribing there takes effect at once
      assertThat(room.stats().subscribers()).isEqualTo(unsubscribeOnLoss ? 0 : 2);
      room.publish(ByteBuffer.wrap("after\n".getBytes(StandardCharsets.US_ASCII)));
      assertThat(room.stats().subscribers()).isZero();
      assertThat(room.groupCount()).isZero();
    } finally {
      for (SocketChannel client : clients) {
        client.close();
      }
    }
  }

  @Test
  void linesLargerThanABatchBufferArriveWholeAmongSmallOnes() throws IOException {
    ListeningPort port = chat(ConnectionOptions.defaults(), 64 * 1024);
    try (SocketChannel one = Clients.connect(port); SocketChannel two = Clients.connect(port)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> room.stats().subscribers() == 2);
      String big = "x".repeat(40_000);
      String burst = lines(0, 10) + big + "\n" + lines(10, 10) + big.replace('x', 'y') + "\n" + lines(20, 10);
      Clients.send(one, burst);
      assertThat(Clients.receive(one, burst.length())).isEqualTo(burst);
      assertThat(Clients.receive(two, burst.length())).isEqualTo(burst);
      assertThat(room.stats().published()).isEqualTo(32);
      assertThat(room.stats().publishedBytes()).isEqualTo(burst.length());
      assertThat(partsMoved).hasValue(0);
      // and from a thread that is no loop's
      ByteBuffer note = ByteBuffer.wrap("note".getBytes(StandardCharsets.US_ASCII));
      room.publish(note, NEWLINE);
      assertThat(note.remaining()).isEqualTo(4);
      assertThat(NEWLINE.remaining()).isEqualTo(1);
      assertThat(Clients.receive(one, 5)).isEqualTo("note\n");
      assertThat(Clients.receive(two, 5)).isEqualTo("note\n");
    }
  }

  @Test
  void publishersOnBothLoopsKeepOneOrderForEverySubscriber() throws IOException {
    ListeningPort port = chat();
    List<SocketChannel> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        clients.add(Clients.connect(port));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> room.stats().subscribers() == 4);
      // connections are dealt to the loops in turn: the first two publish from different loops
      String a = lines(0, 300).replace("line", "a");
      String b = lines(0, 300).replace("line", "b");
      Clients.send(clients.get(0), a);
      Clients.send(clients.get(1), b);
      String first = Clients.receive(clients.get(2), a.length() + b.length());
      assertThat(Clients.receive(clients.get(3), first.length())).isEqualTo(first);
      assertThat(first.lines().filter(l -> l.startsWith("a")).toList()).isEqualTo(a.lines().toList());
      assertThat(first.lines().filter(l -> l.startsWith("b")).toList()).isEqualTo(b.lines().toList());
    } finally {
      for (SocketChannel client : clients) {
        client.close();
      }
    }
  }

  @Test
  void publishFromAThreadThatIsNoLoopIsDelivered() throws IOException {
    ListeningPort port = chat();
    try (SocketChannel one = Clients.connect(port); SocketChannel two = Clients.connect(port)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> room.stats().subscribers() == 2);
      room.publish(ByteBuffer.wrap("from the test\n".getBytes(StandardCharsets.US_ASCII)));
      assertThat(Clients.receive(one, 14)).isEqualTo("from the test\n");
      assertThat(Clients.receive(two, 14)).isEqualTo("from the test\n");
      assertThat(room.stats().publishedBytes()).isEqualTo(14);
    }
  }

  @Test
  void aSubscriberThatStopsReadingIsDroppedAtTheOutboundLimitWhileTheOthersGetEverything() throws IOException {
    ListeningPort port = chat(ConnectionOptions.defaults().withOutboundLimit(4 << 20));
    try (SocketChannel slow = Clients.connect(port); SocketChannel fast = Clients.connect(port)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> room.stats().subscribers() == 2);
      byte[] message = new byte[1024];
      for (int round = 0; round < 64; round++) {
        for (int i = 0; i < 256; i++) {
          java.util.Arrays.fill(message, (byte) ('a' + (round + i) % 26));
          room.publish(ByteBuffer.wrap(message));
        }
        ByteBuffer got = ByteBuffer.wrap(Clients.receive(fast, 256 * 1024).getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 256; i++) {
          assertThat(got.get(i * 1024)).isEqualTo((byte) ('a' + (round + i) % 26));
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> room.stats().subscribers() == 1);
      assertThat(port.stats().closed()).isEqualTo(1);
      assertThat(bytesUntilClosed(slow)).isLessThan(64 * 256 * 1024);
    }
  }

  /** Reads until end of stream or reset; what was read. */
  private static long bytesUntilClosed(SocketChannel channel) {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    long total = 0;
    try {
      for (int n; (n = channel.read(buffer.clear())) >= 0; ) {
        total += n;
      }
    } catch (IOException reset) {
      // aborted: the server reset the connection
    }
    return total;
  }
}
