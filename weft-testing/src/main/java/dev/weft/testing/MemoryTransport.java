package dev.weft.testing;

import dev.weft.net.ConnectionAborted;
import dev.weft.net.ConnectionDone;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.ConnectionStats;
import dev.weft.net.Protocol;
import dev.weft.net.Transport;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * A {@link Transport} in memory, for testing a {@link Protocol} without sockets: the test plays the
 * peer, feeding bytes in (at any chunk size) and reading back what the protocol wrote.
 *
 * {@snippet class="dev.weft.testing.snippets.TestingSnippets" region="memoryTransport" :
 * var transport = MemoryTransport.connect(new Echo());
 * transport.receive("hello\n");
 * assertThat(transport.writtenText()).isEqualTo("hello\n");
 * transport.receiveInChunks("a long message".getBytes(UTF_8), 1); // one byte at a time
 * }
 *
 * <h2>Like a real transport</h2>
 *
 * Received bytes are handed over in one reused buffer that is overwritten after each {@code
 * dataReceived}, so a protocol that keeps a reference to it instead of copying fails its tests
 * here, not in production. By default the peer reads everything at once; after {@link
 * #stallPeer()} written bytes stay pending, {@link #isWritable()} follows the water marks of the
 * {@link ConnectionOptions}, the outbound limit aborts the connection, and {@link #drainPeer()}
 * sends them (firing {@code writabilityChanged}). Data received while paused is held and delivered
 * on {@link #resumeProducing()}.
 *
 * <p>Threads: single-threaded, like Twisted's {@code StringTransport}: the test's thread runs every
 * event; {@link #executor()} runs tasks inline. Comparison: Twisted's {@code
 * proto_helpers.StringTransport}, Netty's {@code EmbeddedChannel}.
 */
public final class MemoryTransport implements Transport {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 50000);
  private static final InetSocketAddress HOST = new InetSocketAddress("127.0.0.1", 7001);

  private final Protocol protocol;
  private final Executor inline = Runnable::run;
  private final ConnectionOptions options;
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final ArrayDeque<byte[]> heldWhilePaused = new ArrayDeque<>();
  private ByteBuffer receiveBuffer = ByteBuffer.allocate(4096);
  private Throwable lostReason;
  private boolean closing;
  private boolean writeShut;
  private boolean readEnded;
  private boolean paused;
  private boolean stalled;
  private boolean writable = true;
  private long bytesRead;
  private long reads;
  private long writes;

  private MemoryTransport(Protocol protocol, ConnectionOptions options) {
    this.protocol = protocol;
    this.options = options;
  }

  /** Connects {@code protocol} with default options: calls its {@code connectionMade}. */
  public static MemoryTransport connect(Protocol protocol) {
    return connect(protocol, ConnectionOptions.defaults());
  }

  /** Connects {@code protocol} with {@code options} (water marks and outbound limit apply). */
  public static MemoryTransport connect(Protocol protocol, ConnectionOptions options) {
    var transport = new MemoryTransport(protocol, options);
    protocol.connectionMade(transport);
    return transport;
  }

  /** The peer sent {@code data} (UTF-8), delivered in one {@code dataReceived}. */
  public void receive(String data) {
    receive(data.getBytes(StandardCharsets.UTF_8));
  }

  /** The peer sent {@code data}, delivered in one {@code dataReceived}. */
  public void receive(byte[] data) {
    if (lostReason != null || readEnded || data.length == 0) {
      return;
    }
    if (paused) {
      heldWhilePaused.addLast(data.clone());
      return;
    }
    if (receiveBuffer.capacity() < data.length) {
      receiveBuffer = ByteBuffer.allocate(data.length);
    }
    receiveBuffer.clear().put(data).flip();
    bytesRead += data.length;
    reads++;
    try {
      protocol.dataReceived(receiveBuffer);
    } finally {
      Arrays.fill(receiveBuffer.array(), (byte) '#');
    }
  }

  /** The peer sent {@code data} in pieces of {@code chunkSize} bytes (the last one shorter). */
  public void receiveInChunks(byte[] data, int chunkSize) {
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunkSize must be > 0: " + chunkSize);
    }
    for (int from = 0; from < data.length; from += chunkSize) {
      receive(Arrays.copyOfRange(data, from, Math.min(data.length, from + chunkSize)));
    }
  }

  /** The peer shut down its sending side: calls {@code readConnectionLost}. */
  public void receiveEnd() {
    if (lostReason == null && !readEnded) {
      readEnded = true;
      if (writeShut) {
        lose(new ConnectionDone("both sides shut down"));
      } else {
        protocol.readConnectionLost(this);
      }
    }
  }

  /** The connection broke under the protocol with {@code reason}: calls {@code connectionLost}. */
  public void fail(Throwable reason) {
    lose(reason);
  }

  /** Everything the peer has read so far. */
  public byte[] written() {
    return written.toByteArray();
  }

  /** Everything the peer has read so far, as UTF-8. */
  public String writtenText() {
    return written.toString(StandardCharsets.UTF_8);
  }

  /** Returns and forgets what the peer has read so far, as UTF-8. */
  public String takeWrittenText() {
    String text = writtenText();
    written.reset();
    return text;
  }

  /** From now on the peer reads nothing: written bytes stay pending. */
  public void stallPeer() {
    stalled = true;
  }

  /** The peer reads everything pending, and keeps up from now on. */
  public void drainPeer() {
    stalled = false;
    written.writeBytes(pending.toByteArray());
    pending.reset();
    afterSent();
  }

  /** Why the connection was lost, or null while it is open. */
  public Throwable lostReason() {
    return lostReason;
  }

  /** Whether reading is paused ({@link #pauseProducing()}). */
  public boolean isPaused() {
    return paused;
  }

  /** Whether the sending side was shut down ({@link #loseWriteConnection()} took effect). */
  public boolean isWriteShut() {
    return writeShut;
  }

  @Override
  public void write(ByteBuffer data) {
    if (lostReason != null || closing || writeShut || !data.hasRemaining()) {
      data.position(data.limit());
      return;
    }
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    writes++;
    if (!stalled) {
      written.writeBytes(bytes);
      return;
    }
    pending.writeBytes(bytes);
    if (pending.size() > options.outboundLimit()) {
      lose(new ConnectionAborted(
          ConnectionAborted.Cause.OUTBOUND_LIMIT,
          "outbound buffer must stay within " + options.outboundLimit() + " bytes: " + pending.size()));
    } else if (writable && pending.size() > options.highWaterMark()) {
      writable = false;
      protocol.writabilityChanged(this);
    }
  }

  private void afterSent() {
    if (!writable && pending.size() <= options.lowWaterMark()) {
      writable = true;
      protocol.writabilityChanged(this);
    }
    if (closing && pending.size() == 0) {
      lose(new ConnectionDone("closed by this side"));
    }
  }

  @Override
  public void loseConnection() {
    if (lostReason != null) {
      return;
    }
    closing = true;
    if (pending.size() == 0) {
      lose(new ConnectionDone("closed by this side"));
    }
  }

  @Override
  public void loseWriteConnection() {
    if (lostReason == null) {
      writeShut = true;
      if (readEnded) {
        lose(new ConnectionDone("both sides shut down"));
      }
    }
  }

  @Override
  public void abortConnection() {
    pending.reset();
    lose(new ConnectionAborted(ConnectionAborted.Cause.APPLICATION, "aborted by the application"));
  }

  private void lose(Throwable reason) {
    if (lostReason == null) {
      lostReason = reason;
      protocol.connectionLost(reason);
    }
  }

  @Override
  public void pauseProducing() {
    paused = true;
  }

  @Override
  public void resumeProducing() {
    paused = false;
    while (!paused && !heldWhilePaused.isEmpty()) {
      receive(heldWhilePaused.pollFirst());
    }
  }

  @Override
  public boolean isWritable() {
    return writable;
  }

  @Override
  public long pendingBytes() {
    return pending.size();
  }

  @Override
  public boolean isOpen() {
    return lostReason == null;
  }

  @Override
  public InetSocketAddress peer() {
    return PEER;
  }

  @Override
  public InetSocketAddress host() {
    return HOST;
  }

  @Override
  public Executor executor() {
    return inline;
  }

  @Override
  public ConnectionStats stats() {
    return new ConnectionStats(bytesRead, written.size(), pending.size(), reads, writes);
  }

  @Override
  public String toString() {
    return "MemoryTransport[" + (lostReason == null ? "open" : "lost: " + lostReason.getMessage()) + "]";
  }
}
