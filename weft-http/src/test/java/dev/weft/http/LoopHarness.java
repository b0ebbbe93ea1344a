package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.MemoryTransport;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;

/**
 * Drives a {@link LoopConnection} in memory: the client's bytes arrive through a {@link
 * MemoryTransport} in pieces of the given sizes (cycling), as reads on an event loop would. When
 * the connection hands itself over to a thread, the bytes not yet delivered go to a {@link
 * MemoryWire} instead, and the harness waits for the blocking connection to close it. What the
 * client received is the transport's output followed by the wire's.
 */
final class LoopHarness {
  private final HttpServer server;
  private final byte[] input;
  private final int[] sizes;
  private int offset;
  private MemoryWire wire;
  private MemoryTransport transport;

  private LoopHarness(HttpServer server, byte[] input, int[] sizes) {
    this.server = server;
    this.input = input;
    this.sizes = sizes;
  }

  /** What the client receives for {@code input} sent in pieces of {@code sizes}, then a half-close. */
  static Outcome serve(HttpServer server, byte[] input, int[] sizes) throws InterruptedException {
    var harness = new LoopHarness(server, input, sizes);
    harness.run();
    return harness.outcome();
  }

  /** What one connection's client received, and how the connection was served. */
  record Outcome(byte[] received, boolean handedOver, long transportWrites) {
    String text() {
      return new String(received, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  /** A connection in memory whose input the test sends itself (timeouts, shutdown). */
  static LoopHarness open(HttpServer server) {
    var harness = new LoopHarness(server, new byte[0], new int[] {1});
    harness.transport = MemoryTransport.connect(new LoopConnection(server, harness::detach));
    return harness;
  }

  MemoryTransport transport() {
    return transport;
  }

  /** Everything received, once the blocking connection (if handed over) has closed. */
  Outcome outcome() throws InterruptedException {
    var received = new ByteArrayOutputStream();
    received.writeBytes(transport.written());
    if (wire != null) {
      assertThat(wire.awaitClosed(Duration.ofSeconds(10))).as("the blocking connection closed").isTrue();
      received.writeBytes(wire.output());
    }
    return new Outcome(received.toByteArray(), wire != null, transport.stats().writes());
  }

  private void run() {
    transport = MemoryTransport.connect(new LoopConnection(server, this::detach));
    int piece = 0;
    while (offset < input.length && wire == null && transport.isOpen()) {
      int n = Math.min(sizes[piece++ % sizes.length], input.length - offset);
      int from = offset;
      offset += n; // before delivering: a hand-over during this read takes the bytes after it
      transport.receive(Arrays.copyOfRange(input, from, offset));
    }
    if (wire == null && transport.isOpen()) {
      transport.receiveEnd();
    }
  }

  private void detach(dev.weft.net.Transport detached, java.util.function.Consumer<dev.weft.http.internal.Wire> receiver) {
    assertThat(detached).isSameAs(transport);
    wire = new MemoryWire(Arrays.copyOfRange(input, offset, input.length), sizes);
    receiver.accept(wire);
  }
}
