package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.net.ConnectionDone;
import dev.weft.net.LineEnding;
import dev.weft.net.LineReceiver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReceiverTest {
  private static final String INPUT = "first\nsecond\r\n\nwith\rinner CR\r\nlast line é\n";
  private static final List<String> LINES = List.of("first", "second", "", "with\rinner CR", "last line é");

  /** Records lines as text; answers each with its length. */
  static final class Recorder extends LineReceiver {
    final List<String> lines = new ArrayList<>();
    final List<String> exceeded = new ArrayList<>();

    Recorder(int max) {
      super(max);
    }

    Recorder(int max, LineEnding ending) {
      super(max, ending);
    }

    @Override
    protected void lineReceived(ByteBuffer line) {
      lines.add(text(line));
      sendLine(Integer.toString(line.remaining()));
    }

    @Override
    protected void lineLengthExceeded(ByteBuffer start) {
      exceeded.add(text(start));
      super.lineLengthExceeded(start);
    }
  }

  @Test
  void splitsLinesAtEveryChunkSizeAndHandlesCrlfAndLf() {
    byte[] input = INPUT.getBytes(StandardCharsets.UTF_8);
    for (int chunk = 1; chunk <= input.length; chunk++) {
      var receiver = new Recorder(100);
      var transport = MemoryTransport.connect(receiver);
      transport.receiveInChunks(input, chunk);
      assertThat(receiver.lines).as("chunk size %d", chunk).isEqualTo(LINES);
      assertThat(transport.writtenText()).as("chunk size %d", chunk).isEqualTo("5\n6\n0\n13\n12\n");
    }
  }

  @Test
  void aLineOfExactlyTheLimitPassesAtEveryChunkSize() {
    String line = "x".repeat(16);
    byte[] input = (line + "\r\n" + line + "\n").getBytes(StandardCharsets.UTF_8);
    for (int chunk = 1; chunk <= input.length; chunk++) {
      var receiver = new Recorder(16);
      MemoryTransport.connect(receiver).receiveInChunks(input, chunk);
      assertThat(receiver.lines).as("chunk size %d", chunk).containsExactly(line, line);
      assertThat(receiver.exceeded).isEmpty();
    }
  }

  @Test
  void aLongerLineIsReportedOnceAndLosesTheConnectionAtEveryChunkSize() {
    byte[] input = ("ok\n" + "y".repeat(17) + "\nafter\n").getBytes(StandardCharsets.UTF_8);
    for (int chunk = 1; chunk <= input.length; chunk++) {
      var receiver = new Recorder(16);
      var transport = MemoryTransport.connect(receiver);
      transport.receiveInChunks(input, chunk);
      assertThat(receiver.lines).as("chunk size %d", chunk).containsExactly("ok");
      assertThat(receiver.exceeded).as("chunk size %d", chunk).hasSize(1);
      assertThat(receiver.exceeded.getFirst()).startsWith("y".repeat(16));
      assertThat(transport.writtenText()).isEqualTo("2\n");
      assertThat(transport.lostReason()).isInstanceOf(ConnectionDone.class);
    }
  }

  @Test
  void anEndlessLineIsCutOffWithoutBufferingPastTheLimit() {
    var receiver = new Recorder(1000);
    var transport = MemoryTransport.connect(receiver);
    transport.receiveInChunks("z".repeat(100_000).getBytes(StandardCharsets.UTF_8), 7);
    assertThat(receiver.exceeded).singleElement().satisfies(start -> assertThat(start.length()).isLessThanOrEqualTo(1008));
    assertThat(transport.isOpen()).isFalse();
  }

  @Test
  void aPartialLineAtTheEndIsNotDelivered() {
    var receiver = new Recorder(100);
    var transport = MemoryTransport.connect(receiver);
    transport.receive("whole\npart");
    transport.receiveEnd();
    assertThat(receiver.lines).containsExactly("whole");
    assertThat(transport.lostReason()).isInstanceOf(ConnectionDone.class);
  }

  @Test
  void sendLineUsesTheChosenEnding() {
    var receiver = new Recorder(100, LineEnding.CRLF);
    var transport = MemoryTransport.connect(receiver);
    receiver.sendLine("hello");
    receiver.sendLine(ByteBuffer.wrap(new byte[] {'h', 'i'}));
    assertThat(transport.writtenText()).isEqualTo("hello\r\nhi\r\n");
  }

  @Test
  void theMaximumLengthMustBePositive() {
    assertThatThrownBy(() -> new Recorder(0)).hasMessage("maxLineLength must be > 0: 0");
  }
}
