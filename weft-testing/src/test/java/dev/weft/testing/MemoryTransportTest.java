package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.net.ConnectionAborted;
import dev.weft.net.ConnectionDone;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.Protocol;
import dev.weft.net.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryTransportTest {

  /** Echo, recording every event. */
  static final class Echo implements Protocol {
    final List<String> events = new ArrayList<>();
    Transport transport;

    @Override
    public void connectionMade(Transport newTransport) {
      transport = newTransport;
      events.add("made");
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      transport.write(data);
    }

    @Override
    public void readConnectionLost(Transport t) {
      events.add("readLost");
      Protocol.super.readConnectionLost(t);
    }

    @Override
    public void writabilityChanged(Transport t) {
      events.add(t.isWritable() ? "writable" : "unwritable");
    }

    @Override
    public void connectionLost(Throwable reason) {
      events.add("lost " + reason.getClass().getSimpleName());
    }
  }

  @Test
  void echoReturnsEveryByteAtEveryChunkSize() {
    byte[] input = new byte[300];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) i;
    }
    for (int chunk = 1; chunk <= input.length; chunk++) {
      var transport = MemoryTransport.connect(new Echo());
      transport.receiveInChunks(input, chunk);
      assertThat(transport.written()).as("chunk size %d", chunk).isEqualTo(input);
    }
  }

  @Test
  void theReceiveBufferIsReusedSoAProtocolThatKeepsItSeesGarbage() {
    var kept = new ArrayList<ByteBuffer>();
    var transport = MemoryTransport.connect(new Protocol() {
      @Override
      public void dataReceived(ByteBuffer data) {
        kept.add(data);
      }
    });
    transport.receive("secret");
    assertThat(StandardCharsets.UTF_8.decode(kept.getFirst().rewind()).toString()).isEqualTo("######");
  }

  @Test
  void halfCloseByDefaultLosesTheConnectionCleanly() {
    var echo = new Echo();
    var transport = MemoryTransport.connect(echo);
    transport.receive("bye");
    transport.receiveEnd();
    assertThat(echo.events).containsExactly("made", "readLost", "lost ConnectionDone");
    assertThat(transport.writtenText()).isEqualTo("bye");
  }

  @Test
  void waterMarksAndTheOutboundLimitApplyWhenThePeerStalls() {
    var echo = new Echo();
    var options = ConnectionOptions.defaults().withWaterMarks(4, 8).withOutboundLimit(20);
    var transport = MemoryTransport.connect(echo, options);
    transport.stallPeer();
    transport.receive("123456789");
    assertThat(transport.isWritable()).isFalse();
    transport.drainPeer();
    assertThat(transport.writtenText()).isEqualTo("123456789");
    transport.stallPeer();
    transport.receive("x".repeat(21));
    assertThat(echo.events).containsExactly("made", "unwritable", "writable", "lost ConnectionAborted");
    assertThat(transport.lostReason())
        .isInstanceOfSatisfying(ConnectionAborted.class, aborted -> assertThat(aborted.cause())
            .isEqualTo(ConnectionAborted.Cause.OUTBOUND_LIMIT))
        .hasMessage("outbound buffer must stay within 20 bytes: 21");
  }

  @Test
  void dataReceivedWhilePausedWaitsForResume() {
    var echo = new Echo();
    var transport = MemoryTransport.connect(echo);
    transport.pauseProducing();
    transport.receive("held");
    assertThat(transport.writtenText()).isEmpty();
    transport.resumeProducing();
    assertThat(transport.writtenText()).isEqualTo("held");
  }

  @Test
  void loseConnectionWaitsForPendingBytes() {
    var echo = new Echo();
    var transport = MemoryTransport.connect(echo);
    transport.stallPeer();
    transport.receive("last words");
    echo.transport.loseConnection();
    assertThat(transport.isOpen()).isTrue();
    transport.drainPeer();
    assertThat(transport.lostReason()).isInstanceOf(ConnectionDone.class);
    assertThat(transport.writtenText()).isEqualTo("last words");
  }

  @Test
  void abortDiscardsPendingBytes() {
    var echo = new Echo();
    var transport = MemoryTransport.connect(echo);
    transport.stallPeer();
    transport.receive("dropped");
    echo.transport.abortConnection();
    assertThat(transport.lostReason()).isInstanceOf(ConnectionAborted.class).hasMessage("aborted by the application");
    assertThat(transport.pendingBytes()).isZero();
  }

  @Test
  void chunkSizeMustBePositive() {
    var transport = MemoryTransport.connect(new Echo());
    assertThatThrownBy(() -> transport.receiveInChunks(new byte[1], 0)).hasMessage("chunkSize must be > 0: 0");
  }

  @Test
  void writesAfterTheConnectionIsLostAreDropped() {
    var echo = new Echo();
    var transport = MemoryTransport.connect(echo);
    transport.fail(new java.io.IOException("reset"));
    echo.transport.write(ByteBuffer.wrap(new byte[] {1}));
    assertThat(transport.written()).isEmpty();
    assertThat(echo.events).containsExactly("made", "lost IOException");
    assertThat(new ConnectionDone("x")).hasMessage("x");
  }
}
