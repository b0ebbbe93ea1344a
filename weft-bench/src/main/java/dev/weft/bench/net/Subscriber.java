package dev.weft.bench.net;

import static dev.weft.bench.net.PubSubLoad.LINE;
import static dev.weft.bench.net.PubSubLoad.SEQ_DIGITS;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;

/**
 * One subscriber of a pub/sub cell ({@link PubSubLoad}), with its state across reads: it checks
 * what it receives byte for byte against the {@link ExpectedStream} once the framing is known, and
 * parses lines by their sequence numbers until then, or after a difference.
 */
final class Subscriber {
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
  private ExpectedStream expected;
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
  void expect(ExpectedStream expected) {
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
    ExpectedStream exp = expected;
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
    ExpectedStream exp = expected;
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
   * reply array) by their leading {@code #}; every payload is {@link PubSubLoad#LINE} bytes up to and
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
}
