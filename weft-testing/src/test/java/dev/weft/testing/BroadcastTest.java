package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.net.Broadcast;
import dev.weft.net.ConnectionAborted;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.LineReceiver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BroadcastTest {
  private static final ByteBuffer NEWLINE = ByteBuffer.wrap(new byte[] {'\n'}).asReadOnlyBuffer();

  /** A chat member: every line it receives goes to the whole room. */
  static final class Member extends LineReceiver {
    private final Broadcast room;

    Member(Broadcast room) {
      super(1024);
      this.room = room;
    }

    @Override
    protected void connectionMade() {
      room.subscribe(transport());
    }

    @Override
    protected void lineReceived(ByteBuffer line) {
      room.publish(line, NEWLINE);
    }

    @Override
    public void connectionLost(Throwable reason) {
      room.unsubscribe(transport());
    }
  }

  @Test
  void everyLineReachesEverySubscriberInOrderAtEveryChunkSize() {
    byte[] input = "one\ntwo\r\nthree\n".getBytes(StandardCharsets.UTF_8);
    for (int chunk = 1; chunk <= input.length; chunk++) {
      var room = Broadcast.create();
      var sender = MemoryTransport.connect(new Member(room));
      var listener = MemoryTransport.connect(new Member(room));
      sender.receiveInChunks(input, chunk);
      assertThat(sender.writtenText()).as("chunk %d", chunk).isEqualTo("one\ntwo\nthree\n");
      assertThat(listener.writtenText()).as("chunk %d", chunk).isEqualTo("one\ntwo\nthree\n");
      assertThat(room.stats().published()).isEqualTo(3);
    }
  }

  @Test
  void aSlowSubscriberIsDroppedWhileTheOthersGetEverything() {
    var room = Broadcast.create();
    var options = ConnectionOptions.defaults().withOutboundLimit(1000);
    var slow = MemoryTransport.connect(new Member(room), options);
    List<MemoryTransport> fast = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      fast.add(MemoryTransport.connect(new Member(room), options));
    }
    slow.stallPeer();
    var expected = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      fast.get(i % 5).receive("message " + i + "\n");
      expected.append("message ").append(i).append('\n');
    }
    assertThat(slow.lostReason())
        .isInstanceOfSatisfying(ConnectionAborted.class, aborted -> assertThat(aborted.cause())
            .isEqualTo(ConnectionAborted.Cause.OUTBOUND_LIMIT));
    for (MemoryTransport transport : fast) {
      assertThat(transport.writtenText()).isEqualTo(expected.toString());
    }
    assertThat(room.stats().subscribers()).isEqualTo(5);
  }
}
