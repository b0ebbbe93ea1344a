package dev.weft.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link OutboundBuffer} with copied and shared bytes, sent through a channel that takes a few bytes at a time. */
class OutboundBufferTest {

  /** Takes at most {@code perWrite} bytes per call, like a socket whose send buffer is nearly full. */
  private static final class TrickleChannel implements GatheringByteChannel {
    final ByteArrayOutputStream taken = new ByteArrayOutputStream();
    int perWrite;

    TrickleChannel(int perWrite) {
      this.perWrite = perWrite;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
      long n = 0;
      for (int i = offset; i < offset + length && n < perWrite; i++) {
        n += write(srcs[i], (int) (perWrite - n));
      }
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs) {
      return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(ByteBuffer src) {
      return write(src, perWrite);
    }

    private int write(ByteBuffer src, int max) {
      int n = Math.min(max, src.remaining());
      for (int i = 0; i < n; i++) {
        taken.write(src.get());
      }
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void sharedAndCopiedBytesGoOutInOrderAndTheSharedBufferIsFreedOnceBothHoldersSentIt() throws Exception {
    List<ByteBuffer> freed = new ArrayList<>();
    var shared = new SharedBuffer(ByteBuffer.allocateDirect(32).put(bytes("shared|")).flip(), freed::add);
    var pool = new ChunkPool();
    var gather = new ByteBuffer[4];
    var one = new OutboundBuffer();
    var two = new OutboundBuffer();
    one.append(bytes("one|"), pool);
    one.appendShared(shared);
    one.append(bytes("tail"), pool);
    two.appendShared(shared);
    shared.release(); // the broadcast lets go once it has queued the batch everywhere
    assertThat(one.size()).isEqualTo(15);

    var channel = new TrickleChannel(3);
    while (!one.isEmpty()) {
      one.writeTo(channel, gather, pool);
    }
    assertThat(channel.taken.toString(StandardCharsets.US_ASCII)).isEqualTo("one|shared|tail");
    assertThat(freed).isEmpty(); // two still holds it

    var other = new TrickleChannel(100);
    two.writeTo(other, gather, pool);
    assertThat(other.taken.toString(StandardCharsets.US_ASCII)).isEqualTo("shared|");
    assertThat(freed).hasSize(1);
  }

  @Test
  void copiedChunksGoBackToThePoolOnceSent() throws Exception {
    var pool = new ChunkPool();
    var gather = new ByteBuffer[4];
    var outbound = new OutboundBuffer();
    var channel = new TrickleChannel(ChunkPool.CHUNK_SIZE);
    for (int round = 0; round < 3; round++) {
      outbound.append(ByteBuffer.wrap(new byte[ChunkPool.CHUNK_SIZE + 1]), pool);
      while (!outbound.isEmpty()) {
        outbound.writeTo(channel, gather, pool);
      }
    }
    assertThat(channel.taken.size()).isEqualTo(3 * (ChunkPool.CHUNK_SIZE + 1));
    assertThat(pool.allocated()).isEqualTo(2);
  }

  @Test
  void aHandedOverReadBufferIsFilledOnSentInOrderAndGoesBackToThePool() throws Exception {
    var pool = new ChunkPool();
    var gather = new ByteBuffer[4];
    var outbound = new OutboundBuffer();
    outbound.append(bytes("head|"), pool);
    ByteBuffer read = pool.takeRead().put(bytes("xxread|")).flip().position(2); // two bytes consumed
    outbound.appendOwned(read);
    long taken = pool.taken();
    outbound.append(bytes("tail"), pool); // into the read buffer's free space: no chunk taken
    assertThat(pool.taken()).isEqualTo(taken);
    assertThat(outbound.size()).isEqualTo(14);

    var channel = new TrickleChannel(4);
    while (!outbound.isEmpty()) {
      outbound.writeTo(channel, gather, pool);
    }
    assertThat(channel.taken.toString(StandardCharsets.US_ASCII)).isEqualTo("head|read|tail");
    assertThat(pool.takeRead()).isSameAs(read);
  }

  @Test
  void aClosedConnectionLetsGoOfWhatItHolds() {
    List<ByteBuffer> freed = new ArrayList<>();
    var shared = new SharedBuffer(ByteBuffer.allocateDirect(8).put(bytes("abc")).flip(), freed::add);
    var pool = new ChunkPool();
    var outbound = new OutboundBuffer();
    outbound.append(bytes("x"), pool);
    outbound.appendShared(shared);
    shared.release();
    outbound.release(pool);
    assertThat(freed).hasSize(1);
    assertThat(outbound.isEmpty()).isTrue();
  }
}
