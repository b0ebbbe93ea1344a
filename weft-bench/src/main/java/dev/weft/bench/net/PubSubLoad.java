package dev.weft.bench.net;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pub/sub cell of {@link LoadGen}: one publisher, N subscribers, all on one selector. The
 * publisher sends 64-byte lines {@code #SEQ_NANOS_padding} (SEQ in eight digits) in batches and keeps at most {@link
 * #WINDOW_DELIVERIES} deliveries (50 to 2000 lines) ahead of the slowest subscriber (a closed loop: a server that loses or reorders
 * lines stalls it, and is reported). Each subscriber checks that what it receives is, byte for
 * byte, the lines published in order with the server's framing before each ({@link Expected}),
 * or, where the framing is not the same before every line, parses sequence numbers and checks
 * they arrive one by one in order. With {@code redis}, lines are {@code PUBLISH bench ...}
 * commands and subscribers {@code SUBSCRIBE bench}; the payload is found in the replies by its
 * leading {@code #}.
 */
final class PubSubLoad {
  /** Lines in flight at most, per subscriber: {@value} deliveries in all, between 50 and 2000 lines. */
  static final int WINDOW_DELIVERIES = 200_000;
  private static final int LINE = 64;
  /** Sequence numbers are written with this many digits (leading zeros), so a parse reads them at once. */
  static final int SEQ_DIGITS = 8;
  private static final byte[] PADDING = "p".repeat(LINE).getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REDIS_PREFIX = "PUBLISH bench ".getBytes(StandardCharsets.US_ASCII);

  private PubSubLoad() {}

  /** A subscriber's parser state across reads. */
  static final class Subscriber {
    final SocketChannel channel;
    long lastSeq = -1;
    long received;
    long errors;
    int state; // 0 seek '#', 1 sequence, 2 timestamp, 3 skip the padding to the LF
    long seq;
    long stamp;
    /** Bytes of the current payload seen ('#' counts), or left to skip in state 3. */
    int count;
    /** The bytes a server put before the last whole payload (its tag): where the next {@code #} is looked for first. */
    private int framing;
    /** What this subscriber must receive, once the framing is known; null while it parses. */
    private Expected expected;
    /** Bytes of {@link #expected}'s stream received and found equal. */
    private long matched;
    /** The last bytes received while the framing is learnt (a rolling window); null when not learning. */
    private byte[] recent;
    private int recentLength;
    /** A view of the last buffer received, kept while the generator reuses that buffer. */
    private ByteBuffer viewed;
    private MemorySegment view;

    Subscriber(SocketChannel channel) {
      this.channel = channel;
    }

    /** Takes what a server delivered: checked against {@link #expected} once it is known, else parsed. */
    void receive(ByteBuffer data, long now, LoadGen.Latencies latencies, boolean measuring) {
      if (expected != null) {
        verify(data, now, latencies, measuring);
        return;
      }
      if (recent != null) {
        remember(data);
      }
      parse(data, now, latencies, measuring);
    }

    /** Whether this subscriber checks bytes against the expected stream (else it parses). */
    boolean verifying() {
      return expected != null;
    }

    /** Keeps the last bytes received, from which {@link #framing()} reads the server's framing. */
    void learnFraming() {
      recent = new byte[4 * LINE + 256];
      recentLength = 0;
    }

    /**
     * The bytes the server put before the last payload received, found between the end of the
     * payload before it and that payload's {@code #}; null if two whole payloads are not among
     * the last bytes received.
     */
    byte[] framing() {
      if (recent == null || recentLength < LINE || recent[recentLength - LINE] != '#') {
        return null;
      }
      int last = recentLength - LINE;
      for (int previous = last - LINE; previous >= 0; previous--) {
        if (recent[previous] == '#') {
          return Arrays.copyOfRange(recent, previous + LINE, last);
        }
      }
      return null;
    }

    private void remember(ByteBuffer data) {
      int n = Math.min(data.remaining(), recent.length);
      int keep = Math.min(recentLength, recent.length - n);
      System.arraycopy(recent, recentLength - keep, recent, 0, keep);
      data.get(data.limit() - n, recent, keep, n);
      recentLength = keep + n;
    }

    /**
     * From now on checks every byte received against {@code expected}, whose first line is the
     * next this subscriber must receive; stops learning the framing.
     */
    void expect(Expected expected) {
      this.expected = expected;
      this.matched = 0;
      this.lastSeq = expected.firstSeq - 1;
      this.recent = null;
    }

    /**
     * Compares {@code data} with the expected stream where this subscriber is in it, a vector
     * compare per read instead of a parse per line; whole lines are counted, and the latency of
     * every sixteenth is taken from the time it was published. At the first difference (a lost,
     * reordered or changed line, or a framing that is not the same every time) the subscriber
     * goes back to parsing, from the start of the line the difference is in. A difference in a
     * payload is one error (the parse would not see one in the padding, and would count a lost
     * line again as a gap); one in the framing is left to the parse to judge.
     */
    private void verify(ByteBuffer data, long now, LoadGen.Latencies latencies, boolean measuring) {
      if (data != viewed) {
        viewed = data;
        view = MemorySegment.ofBuffer(data.duplicate().clear());
      }
      Expected exp = expected;
      int record = exp.record;
      long before = matched;
      int at = data.position();
      int limit = data.limit();
      long differsAt = -1;
      while (at < limit) {
        long available = exp.published * record - matched;
        int ringAt = (int) (matched % exp.ringBytes);
        int n = (int) Math.min(Math.min(limit - at, exp.ringBytes - ringAt), available);
        if (available == 0) { // more than was published: the check itself has gone wrong
          errors++;
        }
        long mismatch = n == 0 ? 0 : MemorySegment.mismatch(view, at, at + n, exp.ring, ringAt, ringAt + n);
        if (mismatch >= 0) {
          differsAt = at + mismatch;
          matched += mismatch;
          break;
        }
        matched += n;
        at += n;
      }
      long lines = matched / record;
      long linesBefore = before / record;
      received += lines - linesBefore;
      lastSeq = exp.firstSeq + lines - 1;
      if (measuring) {
        for (long k = linesBefore + (-(exp.firstSeq + linesBefore) & 15); k < lines; k += 16) {
          latencies.add(now - exp.stamp(k));
        }
      }
      if (differsAt >= 0) {
        parseFromLineStart(data, (int) differsAt, now, latencies, measuring);
      }
    }

    /** Leaves the expected stream at a difference: parses the line it is in from its start on. */
    private void parseFromLineStart(ByteBuffer data, int differsAt, long now, LoadGen.Latencies latencies,
        boolean measuring) {
      Expected exp = expected;
      long lineStart = matched - matched % exp.record;
      expected = null;
      state = 0;
      framing = exp.record - LINE;
      if (matched - lineStart >= framing) { // the payload differs: one error, whatever the parse then sees
        errors++;
        lastSeq = -1; // so the parse does not count a gap before this line again
      }
      int inThisRead = (int) Math.min(matched - lineStart, differsAt - data.position());
      long earlier = matched - lineStart - inThisRead; // matched bytes of this line in earlier reads
      if (earlier > 0) {
        ByteBuffer head = ByteBuffer.allocate((int) earlier);
        for (long b = lineStart; b < lineStart + earlier; b++) {
          head.put(exp.byteAt(b));
        }
        parse(head.flip(), now, latencies, measuring);
      }
      int from = differsAt - inThisRead;
      parse(data.duplicate().position(from), now, latencies, measuring);
    }

    /**
     * Finds the payloads in what a server delivered (whatever framing it adds: a tag, or Redis's
     * reply array) by their leading {@code #}; every payload is {@link #LINE} bytes up to and
     * including its LF, so the padding is skipped, not scanned. A payload wholly inside {@code
     * data} takes the fast path: the {@code #} is looked for first where the server's framing put
     * the last one, then eight bytes at a time; the sequence number is read eight digits at once,
     * and the timestamp only for the lines whose latency is sampled. One split across reads goes through the
     * byte-by-byte states. The generator parses every line at every subscriber on one thread, so
     * this loop bounds what a pub/sub cell can measure.
     */
    void parse(ByteBuffer data, long now, LoadGen.Latencies latencies, boolean measuring) {
      int limit = data.limit();
      int i = data.position();
      while (i < limit) {
        if (state == 0) {
          int guess = i + framing;
          int hash = guess < limit && data.get(guess) == '#' ? guess : indexOfHash(data, i, limit);
          if (hash + LINE <= limit) {
            framing = hash - i;
            i = wholeLine(data, hash, now, latencies, measuring);
            continue;
          }
          if (hash == limit) {
            return;
          }
          i = hash;
        }
        i = splitLine(data, i, limit, now, latencies, measuring);
      }
    }

    /** Parses the payload at {@code hash}, all of it in {@code data}; returns the index after it. */
    private int wholeLine(ByteBuffer data, int hash, long now, LoadGen.Latencies latencies, boolean measuring) {
      int end = hash + LINE;
      int i = hash + 1 + SEQ_DIGITS;
      if (data.get(i) == '_') { // as the generator writes it: eight digits read at once
        seq = eightDigits((long) LONGS.get(data, hash + 1));
      } else {
        seq = 0;
        for (i = hash + 1; i < end && data.get(i) != '_'; i++) {
          seq = seq * 10 + (data.get(i) - '0');
        }
      }
      if (measuring && (seq & 15) == 0) {
        stamp = 0;
        for (byte b; ++i < end && (b = data.get(i)) != '_'; ) {
          stamp = stamp * 10 + (b - '0');
        }
      }
      line(now, latencies, measuring);
      if (data.get(end - 1) != '\n') {
        errors++;
      }
      return end;
    }

    /** One byte-by-byte step over a payload split across reads; returns where to go on. */
    private int splitLine(ByteBuffer data, int i, int limit, long now, LoadGen.Latencies latencies, boolean measuring) {
      byte b = data.get(i);
      switch (state) {
        case 0 -> {
          if (b == '#') {
            state = 1;
            seq = 0;
            count = 1;
          }
        }
        case 1 -> {
          count++;
          if (b == '_') {
            state = 2;
            stamp = 0;
          } else {
            seq = seq * 10 + (b - '0');
          }
        }
        case 2 -> {
          count++;
          if (b == '_') {
            state = 3;
            count = LINE - count;
            line(now, latencies, measuring);
          } else {
            stamp = stamp * 10 + (b - '0');
          }
        }
        default -> {
          int n = Math.min(count, limit - i);
          i += n - 1;
          count -= n;
          if (count == 0) {
            state = 0;
            if (data.get(i) != '\n') {
              errors++;
            }
          }
        }
      }
      return i + 1;
    }

    private void line(long now, LoadGen.Latencies latencies, boolean measuring) {
      if (lastSeq >= 0 && seq != lastSeq + 1) {
        errors++;
      }
      lastSeq = seq;
      received++;
      if (measuring && (seq & 15) == 0) {
        latencies.add(now - stamp);
      }
    }
  }

  /**
   * The stream every subscriber must receive from a given line on: each line published, with the
   * server's framing before it, kept in a ring for as many lines as can be in flight, with the
   * time each was published. The publisher adds to it; subscribers compare against it.
   */
  static final class Expected {
    final long firstSeq;
    /** Bytes per line as delivered: the framing and the payload. */
    final int record;
    final MemorySegment ring;
    final long ringBytes;
    private final byte[] bytes;
    private final byte[] framing;
    private final long[] stamps;
    private final int lines;
    /** Lines added. */
    long published;

    /** Keeps room for at least twice {@code inFlight} lines (a power of two). */
    Expected(byte[] framing, long firstSeq, int inFlight) {
      this.framing = framing.clone();
      this.firstSeq = firstSeq;
      this.record = framing.length + LINE;
      this.lines = Integer.highestOneBit(Math.max(inFlight, 1)) * 4;
      this.bytes = new byte[lines * record];
      this.ring = MemorySegment.ofArray(bytes);
      this.ringBytes = bytes.length;
      this.stamps = new long[lines];
    }

    /**
     * Adds the line just published: the {@link #LINE} bytes of {@code batch} before its position,
     * published at {@code stamp}. {@code slowestSeq} is the last line every subscriber has whole,
     * whose successors must still be kept.
     */
    void add(ByteBuffer batch, long stamp, long slowestSeq) {
      if (published - (slowestSeq - firstSeq + 1) >= lines) {
        throw new IllegalStateException("more than " + lines + " lines in flight: the expected stream cannot keep them");
      }
      int at = (int) (published % lines) * record;
      System.arraycopy(framing, 0, bytes, at, framing.length);
      batch.get(batch.position() - LINE, bytes, at + framing.length, LINE);
      stamps[(int) (published % lines)] = stamp;
      published++;
    }

    /** The byte at {@code offset} in the stream, which must still be in the ring. */
    byte byteAt(long offset) {
      return bytes[(int) (offset % ringBytes)];
    }

    long stamp(long line) {
      return stamps[(int) (line % lines)];
    }
  }

  /** The framing every subscriber learnt, if they all learnt the same; else null. */
  static byte[] commonFraming(List<Subscriber> subs) {
    byte[] common = null;
    for (Subscriber sub : subs) {
      byte[] framing = sub.framing();
      if (framing == null || (common != null && !Arrays.equals(common, framing))) {
        return null;
      }
      common = framing;
    }
    return common;
  }

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
      byte[] framing = commonFraming(subs);
      Expected expected = framing == null ? null : new Expected(framing, nextSeq, window);
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
    long wakeUps;
    long reads;
    long bytes;

    @Override
    public String toString() {
      return wakeUps == 0 ? "" : String.format(", %.1f reads per wake-up, %,d bytes per read",
          (double) reads / wakeUps, reads == 0 ? 0 : bytes / reads);
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

  private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HASHES = 0x2323232323232323L;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** The value of eight ASCII digits, the first in the lowest byte: three steps instead of eight. */
  static long eightDigits(long ascii) {
    long v = ascii - 0x3030303030303030L;
    v = (v * 10 + (v >>> 8)) & 0x00FF00FF00FF00FFL; // pairs of digits
    v = (v * 100 + (v >>> 16)) & 0x0000FFFF0000FFFFL; // fours
    return (v * 10_000 + (v >>> 32)) & 0xFFFFFFFFL;
  }

  /** The index of the first {@code '#'} in {@code data} from {@code from}, or {@code limit}: eight bytes a step. */
  static int indexOfHash(ByteBuffer data, int from, int limit) {
    int i = from;
    for (; i + Long.BYTES <= limit; i += Long.BYTES) {
      long x = (long) LONGS.get(data, i) ^ HASHES; // a '#' byte becomes zero
      long zeros = (x - ONES) & ~x & HIGHS; // exact for the lowest zero byte, the first in memory
      if (zeros != 0) {
        return i + Long.numberOfTrailingZeros(zeros) / Byte.SIZE;
      }
    }
    for (; i < limit; i++) {
      if (data.get(i) == '#') {
        return i;
      }
    }
    return limit;
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
