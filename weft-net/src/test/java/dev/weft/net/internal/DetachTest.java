package dev.weft.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.net.Endpoint;
import dev.weft.net.ListeningPort;
import dev.weft.net.Protocol;
import dev.weft.net.Reactor;
import dev.weft.net.ReactorOptions;
import dev.weft.net.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DetachTest {
  private final Reactor reactor = Reactor.start(ReactorOptions.defaults().withLoops(1));

  @AfterEach
  void close() {
    reactor.close();
  }

  /** Answers its first read on the loop, then hands the socket to a virtual thread that echoes in upper case. */
  private static final class HandsOver implements Protocol {
    final AtomicReference<Throwable> lost = new AtomicReference<>();
    final CompletableFuture<Boolean> blockingMode = new CompletableFuture<>();
    private Transport transport;

    @Override
    public void connectionMade(Transport transport) {
      this.transport = transport;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      transport.write(ByteBuffer.wrap(("loop:" + StandardCharsets.US_ASCII.decode(data)).getBytes(StandardCharsets.US_ASCII)));
      Detach.detach(transport, channel -> {
        blockingMode.complete(channel.isBlocking());
        Thread.ofVirtual().start(() -> upperCaseEcho(channel));
      });
    }

    @Override
    public void connectionLost(Throwable reason) {
      lost.set(reason);
    }
  }

  private static void upperCaseEcho(SocketChannel channel) {
    try (channel) {
      ByteBuffer buffer = ByteBuffer.allocate(64);
      while (channel.read(buffer.clear()) > 0) {
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
        channel.write(ByteBuffer.wrap(("thread:" + text.toUpperCase(java.util.Locale.ROOT)).getBytes(StandardCharsets.US_ASCII)));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void handsTheSocketToAThreadAfterWhatWasWrittenOnTheLoop() throws Exception {
    var protocol = new HandsOver();
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> protocol);
    try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port.port()))) {
      client.write(ByteBuffer.wrap("one\n".getBytes(StandardCharsets.US_ASCII)));
      assertThat(receive(client, "loop:one\n".length())).isEqualTo("loop:one\n");
      assertThat(protocol.blockingMode.get(10, TimeUnit.SECONDS)).isTrue();
      client.write(ByteBuffer.wrap("two\n".getBytes(StandardCharsets.US_ASCII)));
      assertThat(receive(client, "thread:TWO\n".length())).isEqualTo("thread:TWO\n");
    }
    assertThat(protocol.lost.get()).isNull();
    assertThat(port.stats().open()).isZero();
  }

  @Test
  void waitsForWhatTheLoopQueuedToBeSentBeforeHandingOver() throws Exception {
    int size = 32 << 20; // more than the socket buffers hold: the loop must wait for the client to read
    var handedOver = new CompletableFuture<SocketChannel>();
    Protocol protocol = new Protocol() {
      private Transport transport;

      @Override
      public void connectionMade(Transport transport) {
        this.transport = transport;
        transport.write(ByteBuffer.allocate(size));
        Detach.detach(transport, handedOver::complete);
      }
    };
    ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> protocol);
    try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port.port()))) {
      assertThat(handedOver).as("not handed over while bytes wait to be sent").isNotDone();
      ByteBuffer buffer = ByteBuffer.allocate(size);
      while (buffer.hasRemaining()) {
        assertThat(client.read(buffer)).isNotNegative();
      }
      try (SocketChannel server = handedOver.get(10, TimeUnit.SECONDS)) {
        assertThat(server.isBlocking()).isTrue();
        server.write(ByteBuffer.wrap("after".getBytes(StandardCharsets.US_ASCII)));
        assertThat(receive(client, 5)).isEqualTo("after");
      }
    }
  }

  @Test
  void refusesATransportThatIsNotAReactorConnection() {
    Transport other = java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {Transport.class}, (proxy, method, args) -> null) instanceof Transport t ? t : null;
    assertThatThrownBy(() -> Detach.detach(other, channel -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("only a reactor's connection can be detached");
  }

  private static String receive(SocketChannel channel, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("end of stream after " + buffer.position() + " bytes");
      }
    }
    return new String(buffer.array(), StandardCharsets.US_ASCII);
  }
}
