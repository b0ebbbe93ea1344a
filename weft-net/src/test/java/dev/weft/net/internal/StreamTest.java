package dev.weft.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.net.ConnectionOptions;
import dev.weft.net.Echo;
import dev.weft.net.Endpoint;
import dev.weft.net.ListeningPort;
import dev.weft.net.Protocol;
import dev.weft.net.ReactorOptions;
import dev.weft.net.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Megabytes through one connection of one loop: what a protocol writes back is sent whole and in
 * order, whether the loop hands its read buffer over (a protocol that writes back the buffer it was
 * given) or copies, and whether the peer keeps up or falls megabytes behind.
 */
class StreamTest {
  private static final int MIB = 1 << 20;

  private final LoopGroup group = new LoopGroup(ReactorOptions.defaults().withLoops(1));

  @AfterEach
  void shutdown() throws InterruptedException {
    group.shutdown(Duration.ofSeconds(5));
  }

  /** Byte {@code i} of every stream sent: lower-case letters, never a frame mark. */
  private static byte pattern(long i) {
    return (byte) ('a' + (i * 7 + i / 251) % 26);
  }

  @Test
  void anEchoedStreamArrivesWholeAndInOrderAtAPeerThatFallsBehind() throws Exception {
    ListeningPort port = group.listen(Endpoint.tcp(0), peer -> new Echo(), ConnectionOptions.defaults());
    EventLoop loop = group.next();
    int total = 24 * MIB;
    int readAfter = 12 * MIB;
    try (SocketChannel client = connect(port)) {
      var halfSent = new CountDownLatch(1);
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> send(client, total, readAfter, halfSent));
      // nothing read until half is sent: the server queues megabytes (hundreds of buffers, several
      // gathering writes' worth), then sends them as this side reads a kilobyte at a time
      assertThat(halfSent.await(30, TimeUnit.SECONDS)).isTrue();
      ByteBuffer in = ByteBuffer.allocate(1000);
      long received = 0;
      while (received < total) {
        int n = client.read(in.clear());
        assertThat(n).isPositive();
        for (int i = 0; i < n; i++, received++) {
          if (in.get(i) != pattern(received)) {
            throw new AssertionError("byte " + received + " is " + in.get(i) + ", not " + pattern(received));
          }
        }
      }
      writer.get(30, TimeUnit.SECONDS);
    }
    assertThat(onLoop(loop, () -> loop.handOvers)).as("read buffers handed over").isPositive();
  }

  @Test
  void writesAroundAHandedOverReadBufferKeepTheirOrder() throws Exception {
    var readOnly = new AtomicBoolean(true);
    // each read comes back as <data|data>: the first copy hands the read buffer over (for a large
    // read), the second is made from the view after that, the marks are copied around them
    Protocol framing = reacting((transport, data) -> {
      readOnly.compareAndSet(true, data.isReadOnly());
      int from = data.position();
      transport.write(ByteBuffer.wrap(new byte[] {'<'}));
      transport.write(data);
      transport.write(ByteBuffer.wrap(new byte[] {'|'}));
      transport.write(data.position(from));
      transport.write(ByteBuffer.wrap(new byte[] {'>'}));
    });
    ListeningPort port = group.listen(Endpoint.tcp(0), peer -> framing, ConnectionOptions.defaults());
    EventLoop loop = group.next();
    int total = 8 * MIB;
    var frames = new ByteArrayOutputStream();
    try (SocketChannel client = connect(port)) {
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> send(client, total, 0, new CountDownLatch(1)));
      ByteBuffer in = ByteBuffer.allocate(64 * 1024);
      int marks = 0;
      while (frames.size() - marks < 2L * total) {
        int n = client.read(in.clear());
        assertThat(n).isPositive();
        for (int i = 0; i < n; i++) {
          byte b = in.get(i);
          if (b == '<' || b == '|' || b == '>') {
            marks++;
          }
        }
        frames.write(in.array(), 0, n);
      }
      writer.get(30, TimeUnit.SECONDS);
    }
    long checked = checkFrames(frames.toByteArray());
    assertThat(checked).isEqualTo(total);
    assertThat(readOnly).as("protocols see a read-only view").isTrue();
    assertThat(onLoop(loop, () -> loop.handOvers)).as("read buffers handed over").isPositive();
  }

  @Test
  void aLargeReplyFollowedByLoseConnectionArrivesWholeBeforeTheClose() throws Exception {
    int total = 3 * MIB + 5;
    Protocol answer = reacting((transport, data) -> {
      data.position(data.limit());
      ByteBuffer reply = ByteBuffer.allocate(total);
      for (int i = 0; i < total; i++) {
        reply.put(pattern(i));
      }
      transport.write(reply.flip()); // far past 64 KiB: sent between reads, then at the pass's end
      transport.loseConnection();
    });
    ListeningPort port = group.listen(Endpoint.tcp(0), peer -> answer, ConnectionOptions.defaults());
    try (SocketChannel client = connect(port)) {
      client.write(ByteBuffer.wrap(new byte[] {'?'}));
      ByteBuffer in = ByteBuffer.allocate(4096);
      long received = 0;
      for (int n; (n = client.read(in.clear())) >= 0; ) {
        for (int i = 0; i < n; i++, received++) {
          if (in.get(i) != pattern(received)) {
            throw new AssertionError("byte " + received + " is " + in.get(i) + ", not " + pattern(received));
          }
        }
      }
      assertThat(received).isEqualTo(total);
    }
  }

  /** Checks a run of {@code <data|data>} frames against the pattern; returns the bytes of data. */
  private static long checkFrames(byte[] frames) {
    long next = 0;
    int at = 0;
    while (at < frames.length) {
      assertThat(frames[at]).as("frame start at %d", at).isEqualTo((byte) '<');
      int bar = at + 1;
      while (frames[bar] != '|') {
        bar++;
      }
      int length = bar - at - 1;
      assertThat(length).as("frame at %d", at).isPositive();
      for (int i = 0; i < length; i++) {
        byte first = frames[at + 1 + i];
        byte second = frames[bar + 1 + i];
        if (first != pattern(next + i) || second != first) {
          throw new AssertionError("frame at " + at + ", byte " + i + ": " + first + " and " + second + ", not " + pattern(next + i));
        }
      }
      assertThat(frames[bar + 1 + length]).as("frame end after %d", bar).isEqualTo((byte) '>');
      next += length;
      at = bar + length + 2;
    }
    return next;
  }

  private static SocketChannel connect(ListeningPort port) throws IOException {
    return SocketChannel.open(new InetSocketAddress("127.0.0.1", port.port()));
  }

  /** Sends {@code total} bytes of the pattern in 100,000-byte writes; counts down once {@code mark} are sent. */
  private static void send(SocketChannel client, int total, int mark, CountDownLatch marked) {
    ByteBuffer out = ByteBuffer.allocate(100_000);
    try {
      for (long sent = 0; sent < total; ) {
        out.clear();
        for (int i = 0; i < out.capacity() && sent + i < total; i++) {
          out.put(pattern(sent + i));
        }
        out.flip();
        sent += out.remaining();
        while (out.hasRemaining()) {
          client.write(out);
        }
        if (sent >= mark) {
          marked.countDown();
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static <T> T onLoop(EventLoop loop, java.util.function.Supplier<T> read)
      throws InterruptedException, ExecutionException {
    var result = new CompletableFuture<T>();
    loop.execute(() -> result.complete(read.get()));
    return result.get();
  }

  /** A protocol that hands each read, with its connection's transport, to {@code onData}. */
  private static Protocol reacting(BiConsumer<Transport, ByteBuffer> onData) {
    return new Protocol() {
      private Transport transport;

      @Override
      public void connectionMade(Transport newTransport) {
        transport = newTransport;
      }

      @Override
      public void dataReceived(ByteBuffer data) {
        onData.accept(transport, data);
      }
    };
  }
}
