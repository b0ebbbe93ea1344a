package dev.weft.bench.net;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The pub/sub cell of {@link LoadGen}: one publisher, N subscribers, all on one selector. The
 * publisher sends 64-byte lines {@code #SEQ_NANOS_padding} (SEQ in eight digits) in batches and keeps at most {@link
 * #WINDOW_DELIVERIES} deliveries (50 to 2000 lines) ahead of the slowest subscriber (a closed loop: a server that loses or reorders
 * lines stalls it, and is reported). Each subscriber checks that what it receives is, byte for
 * byte, the lines published in order with the server's framing before each ({@link ExpectedStream}),
 * or, where the framing is not the same before every line, parses sequence numbers and checks
 * they arrive one by one in order. With {@code redis}, lines are {@code PUBLISH bench ...}
 * commands and subscribers {@code SUBSCRIBE bench}; the payload is found in the replies by its
 * leading {@code #}.
 */
final class PubSubLoad {
  /** Lines in flight at most, per subscriber: {@value} deliveries in all, between 50 and 2000 lines. */
  static final int WINDOW_DELIVERIES = 200_000;
  static final int LINE = 64;
  /** Sequence numbers are written with this many digits (leading zeros), so a parse reads them at once. */
  static final int SEQ_DIGITS = 8;
  private static final byte[] PADDING = "p".repeat(LINE).getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REDIS_PREFIX = "PUBLISH bench ".getBytes(StandardCharsets.US_ASCII);

  private PubSubLoad() {}

  static void run(InetSocketAddress address, String label, int subscribers, double seconds, boolean redis)
      throws IOException, InterruptedException {
    try (Selector selector = Selector.open()) {
      List<Subscriber> subs = new ArrayList<>();
      for (int i = 0; i < subscribers; i++) {
        var sub = new Subscriber(LoadGen.open(address));
        sub.learnFraming();
        if (redis) {
          writeFully(sub.channel, ByteBuffer.wrap("SUBSCRIBE bench\r\n".getBytes(StandardCharsets.US_ASCII)));
        }
        sub.channel.register(selector, SelectionKey.OP_READ, sub);
        subs.add(sub);
      }
      SocketChannel publisher = LoadGen.open(address);
      publisher.register(selector, SelectionKey.OP_READ, null);
      waitUntilEverySubscriberIsListening(selector, publisher, subs, redis);

      var latencies = new LoadGen.Latencies();
      var cpu = new LoadGen.ServerCpu();
      var reads = new Reads();
      ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
      ByteBuffer batch = ByteBuffer.allocateDirect(64 * 1024);
      var lines = new LineWriter(redis);
      long nextSeq = 1_000_000;
      int window = Math.clamp(WINDOW_DELIVERIES / subscribers, 50, 2000);
      byte[] framing = Subscriber.commonFraming(subs);
      ExpectedStream expected = framing == null ? null : new ExpectedStream(framing, nextSeq, window);
      for (Subscriber sub : subs) {
        sub.lastSeq = nextSeq - 1;
        sub.received = 0;
        sub.errors = 0;
        if (expected != null) {
          sub.expect(expected);
        }
      }
      long start = System.nanoTime();
      long measureFrom = start + (long) (LoadGen.WARMUP_SECONDS * 1e9);
      long end = measureFrom + (long) (seconds * 1e9);
      long receivedAtMeasure = -1;
      long lastProgress = start;
      while (true) {
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        if (receivedAtMeasure < 0 && now >= measureFrom) {
          receivedAtMeasure = total(subs);
          cpu.start();
          reads.startClock();
        }
        long slowest = Long.MAX_VALUE;
        for (Subscriber sub : subs) {
          slowest = Math.min(slowest, sub.lastSeq);
        }
        int room = (int) Math.min(batch.capacity() / (LINE + REDIS_PREFIX.length), window - (nextSeq - 1 - slowest));
        if (room > 0) {
          batch.clear();
          for (int i = 0; i < room; i++) {
            lines.append(batch, nextSeq++, now);
            if (expected != null) {
              expected.add(batch, now, slowest);
            }
          }
          writeFully(publisher, batch.flip());
        }
        selector.select(10);
        now = System.nanoTime();
        if (readReady(selector, in, now, latencies, now >= measureFrom, reads)) {
          lastProgress = now;
        }
        if (now - lastProgress > 5e9) {
          throw new IOException("no line delivered for 5 s: lost lines?");
        }
      }
      cpu.stop();
      reads.stopClock();
      long delivered = total(subs) - Math.max(0, receivedAtMeasure);
      // every line published must reach every subscriber: drain what is still in flight
      long lastPublished = nextSeq - 1;
      long drainDeadline = System.nanoTime() + (long) 10e9;
      while (subs.stream().anyMatch(sub -> sub.lastSeq < lastPublished) && System.nanoTime() < drainDeadline) {
        selector.select(10);
        readReady(selector, in, System.nanoTime(), latencies, false, reads);
      }
      long errors = 0;
      long lost = 0;
      for (Subscriber sub : subs) {
        errors += sub.errors;
        lost += lastPublished - sub.lastSeq;
      }
      double elapsed = (end - measureFrom) / 1e9;
      LoadGen.result(label, "pubsub subs=" + subscribers, "lines_per_s", delivered / elapsed, latencies.p99Micros(),
          cpu.perSecond(elapsed), errors + lost);
      System.out.println("  " + label + " subs=" + subscribers + ": " + (nextSeq - 1_000_000) + " lines published, "
          + errors + " out of order or missing, " + lost + " not delivered after 10 s"
          + (expected == null ? ", lines parsed (framing not the same before every line)"
              : ", " + subs.stream().filter(Subscriber::verifying).count() + " of " + subscribers
                  + " subscribers checked byte for byte to the end")
          + reads);
      publisher.close();
      for (Subscriber sub : subs) {
        sub.channel.close();
      }
    }
  }

  /** What the generator's reads cost while measuring: wake-ups of its selector, reads, bytes read. */
  private static final class Reads {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    long wakeUps;
    long reads;
    long bytes;
    private long wallStart;
    private long cpuStart;
    private double cores = Double.NaN;

    void startClock() {
      wallStart = System.nanoTime();
      cpuStart = THREADS.getCurrentThreadCpuTime();
    }

    void stopClock() {
      cores = (THREADS.getCurrentThreadCpuTime() - cpuStart) / (double) (System.nanoTime() - wallStart);
    }

    @Override
    public String toString() {
      return wakeUps == 0 ? "" : String.format(", %.1f reads per wake-up, %,d bytes per read, generator at %.2f of a core",
          (double) reads / wakeUps, reads == 0 ? 0 : bytes / reads, cores);
    }
  }

  /**
   * Reads every ready subscriber until a read leaves the buffer unfilled (the socket is then
   * drained; what arrives after is selected again); whether any line arrived.
   */
  private static boolean readReady(Selector selector, ByteBuffer in, long now, LoadGen.Latencies latencies,
      boolean measuring, Reads reads) throws IOException {
    boolean progress = false;
    if (measuring) {
      reads.wakeUps++;
    }
    for (SelectionKey key : selector.selectedKeys()) {
      SocketChannel channel = (SocketChannel) key.channel();
      int n;
      do {
        n = channel.read(in.clear());
        if (n < 0) {
          throw new IOException("server closed a connection");
        }
        if (measuring) {
          reads.reads++;
          reads.bytes += n;
        }
        if (n > 0 && key.attachment() instanceof Subscriber sub) {
          sub.receive(in.flip(), now, latencies, measuring);
          progress = true;
        }
      } while (n == in.capacity());
    }
    selector.selectedKeys().clear();
    return progress;
  }

  private static long total(List<Subscriber> subs) {
    long sum = 0;
    for (Subscriber sub : subs) {
      sum += sub.received;
    }
    return sum;
  }

  /**
   * Publishes sequence 0, 1, ... lines until every subscriber has seen two (it is then subscribed,
   * and has seen the server's framing between two lines), then waits until every subscriber has
   * seen the last one, so no warm-up line is still in flight when the measured sequence starts.
   */
  private static void waitUntilEverySubscriberIsListening(
      Selector selector, SocketChannel publisher, List<Subscriber> subs, boolean redis) throws IOException {
    ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    ByteBuffer line = ByteBuffer.allocate(256);
    var ignored = new LoadGen.Latencies();
    long deadline = System.nanoTime() + (long) 30e9;
    long seq = 0;
    while (subs.stream().anyMatch(sub -> sub.received < 2)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("subscribers not listening after 30 s");
      }
      line.clear();
      appendLine(line, seq++, System.nanoTime(), redis);
      writeFully(publisher, line.flip());
      selector.select(50);
      readReady(selector, in, System.nanoTime(), ignored, false, new Reads());
    }
    long last = seq - 1;
    while (subs.stream().anyMatch(sub -> sub.lastSeq != last)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("warm-up lines not delivered after 30 s");
      }
      selector.select(50);
      readReady(selector, in, System.nanoTime(), ignored, false, new Reads());
    }
  }

  /**
   * Writes lines as {@link #appendLine} does, faster: the lines of one batch share a timestamp, so
   * all of a line but its sequence number is written once per batch and copied.
   */
  static final class LineWriter {
    private final boolean redis;
    private final ByteBuffer template = ByteBuffer.allocate(REDIS_PREFIX.length + LINE);
    private long templateNow;
    private boolean hasTemplate;

    LineWriter(boolean redis) {
      this.redis = redis;
    }

    void append(ByteBuffer batch, long seq, long now) {
      if (!hasTemplate || now != templateNow) {
        appendLine(template.clear(), 0, now, redis);
        template.flip();
        templateNow = now;
        hasTemplate = true;
      }
      if (seq < 0 || seq >= 100_000_000) {
        throw new IllegalStateException("sequence numbers past " + SEQ_DIGITS + " digits: make the cell shorter");
      }
      int digits = batch.position() + template.limit() - LINE + 1; // after the '#'
      batch.put(template.array(), 0, template.limit());
      long rest = seq;
      for (int i = SEQ_DIGITS - 1; i >= 0; i--) {
        batch.put(digits + i, (byte) ('0' + rest % 10));
        rest /= 10;
      }
    }
  }

  static void appendLine(ByteBuffer batch, long seq, long now, boolean redis) {
    int start = batch.position();
    if (redis) {
      batch.put(REDIS_PREFIX);
    }
    int payloadStart = batch.position();
    batch.put((byte) '#');
    if (seq >= 100_000_000) {
      throw new IllegalStateException("sequence numbers past " + SEQ_DIGITS + " digits: make the cell shorter");
    }
    putNumber(batch, seq, SEQ_DIGITS);
    batch.put((byte) '_');
    putNumber(batch, now, 1);
    batch.put((byte) '_');
    batch.put(PADDING, 0, LINE - 1 - (redis ? 1 : 0) - (batch.position() - payloadStart));
    if (redis) {
      batch.put((byte) '\r');
    }
    batch.put((byte) '\n');
    assert batch.position() > start;
  }

  /** Writes {@code value} (not negative) in decimal, with leading zeros to at least {@code width} digits. */
  private static void putNumber(ByteBuffer buffer, long value, int width) {
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    int at = buffer.position() + Math.max(digits, width);
    int start = buffer.position();
    buffer.position(at);
    long rest = value;
    while (at > start) {
      buffer.put(--at, (byte) ('0' + rest % 10));
      rest /= 10;
    }
  }

  static void writeFully(SocketChannel channel, ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      channel.write(data);
    }
  }
}
