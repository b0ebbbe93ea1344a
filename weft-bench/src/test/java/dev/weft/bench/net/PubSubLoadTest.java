package dev.weft.bench.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pub/sub generator's subscriber parse: what it counts as delivered, in order and whole, is
 * what the pub/sub cells report, so it must find every line at every chunk size, through either
 * server framing, and count a gap or a broken line as an error.
 */
class PubSubLoadTest {
  private static final long FIRST = 1_000_000;
  private static final long LATENCY = 7_000;
  private static final long NOW = 5_000_000_000_000L;
  private static final String TAG = "[127.0.0.1:40123] ";

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void everyLineIsFoundAtEveryChunkSize(boolean redis) {
    byte[] stream = stream(300, redis, -1);
    for (int chunk = 1; chunk <= 300; chunk++) {
      var parsed = parse(stream, chunk);
      assertThat(parsed.sub.received).as("chunk %d", chunk).isEqualTo(300);
      assertThat(parsed.sub.errors).as("chunk %d", chunk).isZero();
      assertThat(parsed.sub.lastSeq).isEqualTo(FIRST + 299);
      assertThat(parsed.latencies.percentileMicros(0)).as("chunk %d", chunk).isEqualTo(LATENCY / 1000.0);
      assertThat(parsed.latencies.percentileMicros(1)).as("chunk %d", chunk).isEqualTo(LATENCY / 1000.0);
    }
    assertThat(parse(stream, stream.length).sub.received).isEqualTo(300);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 64, 100_000})
  void aMissingLineIsAnError(int chunk) {
    var parsed = parse(stream(100, false, 40), chunk);
    assertThat(parsed.sub.received).isEqualTo(99);
    assertThat(parsed.sub.errors).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 64, 100_000})
  void aLineThatDoesNotEndWhereItShouldIsAnError(int chunk) {
    byte[] stream = stream(50, false, -1);
    int lastNewline = new String(stream, StandardCharsets.US_ASCII).lastIndexOf('\n');
    stream[lastNewline] = 'x';
    assertThat(parse(stream, chunk).sub.errors).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 8, 9, 63})
  void theHashIsFoundAtAnyOffset(int offset) {
    byte[] bytes = new byte[80];
    java.util.Arrays.fill(bytes, (byte) 'a');
    bytes[offset] = '#';
    bytes[offset + 9] = '#';
    ByteBuffer data = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    assertThat(Subscriber.indexOfHash(data, 0, bytes.length)).isEqualTo(offset);
    assertThat(Subscriber.indexOfHash(data, offset + 1, bytes.length)).isEqualTo(offset + 9);
    assertThat(Subscriber.indexOfHash(data, offset + 10, bytes.length)).isEqualTo(bytes.length);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 7, 1_000_000, 12_345_678, 90_000_001, 99_999_999})
  void eightDigitsAreReadAtOnce(long value) {
    byte[] digits = String.format("%08d", value).getBytes(StandardCharsets.US_ASCII);
    long ascii = ByteBuffer.wrap(digits).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(Subscriber.eightDigits(ascii)).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 100_000})
  void aSequenceNumberWithoutItsLeadingZerosIsStillRead(int chunk) {
    String stream = "tag #1000000_5_" + "p".repeat(52) + "\ntag #1000001_5_" + "p".repeat(52) + "\n";
    var parsed = parse(stream.getBytes(StandardCharsets.US_ASCII), chunk);
    assertThat(parsed.sub.received).isEqualTo(2);
    assertThat(parsed.sub.errors).isZero();
    assertThat(parsed.sub.lastSeq).isEqualTo(1_000_001);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theFramingIsLearntFromTwoLinesAtAnyChunkSize(boolean redis) {
    byte[] stream = stream(2, redis, -1, false);
    String framing = redis ? "*3\r\n$7\r\nmessage\r\n$5\r\nbench\r\n$62\r\n" : TAG;
    for (int chunk = 1; chunk <= stream.length; chunk++) {
      var sub = new Subscriber(null);
      sub.learnFraming();
      feed(sub, stream(1, redis, -1, false), chunk, new LoadGen.Latencies());
      assertThat(sub.framing()).as("one line, chunk %d", chunk).isNull();
      feed(sub, stream, chunk, new LoadGen.Latencies());
      assertThat(sub.framing()).as("chunk %d", chunk).isEqualTo(framing.getBytes(StandardCharsets.US_ASCII));
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void everyLineIsCheckedByteForByteAtEveryChunkSize(boolean redis) {
    for (int chunk = 1; chunk <= 300; chunk++) {
      var checked = check(stream(300, redis, -1, false), chunk, redis, 300);
      assertThat(checked.sub.verifying()).as("chunk %d", chunk).isTrue();
      assertThat(checked.sub.received).as("chunk %d", chunk).isEqualTo(300);
      assertThat(checked.sub.errors).as("chunk %d", chunk).isZero();
      assertThat(checked.sub.lastSeq).isEqualTo(FIRST + 299);
      assertThat(checked.latencies.percentileMicros(0)).as("chunk %d", chunk).isEqualTo(LATENCY / 1000.0);
      assertThat(checked.latencies.percentileMicros(1)).isEqualTo(LATENCY / 1000.0);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 64, 200})
  void theRingIsCheckedAcrossItsEnd(int chunk) {
    // four lines in flight keep a ring of 16: 100 lines wrap it six times
    var checked = check(stream(100, false, -1, false), chunk, false, 4);
    assertThat(checked.sub.verifying()).isTrue();
    assertThat(checked.sub.received).isEqualTo(100);
    assertThat(checked.sub.errors).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 64, 100_000})
  void aMissingLineIsAnErrorWhenChecked(int chunk) {
    var checked = check(stream(100, false, 40, false), chunk, false, 100);
    assertThat(checked.sub.verifying()).isFalse();
    assertThat(checked.sub.received).isEqualTo(99);
    assertThat(checked.sub.errors).isEqualTo(1);
    assertThat(checked.sub.lastSeq).isEqualTo(FIRST + 99);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 64, 100_000})
  void aChangedPaddingByteIsAnErrorWhenChecked(int chunk) {
    byte[] stream = stream(50, true, -1, false);
    int lastNewline = new String(stream, StandardCharsets.US_ASCII).lastIndexOf('\n');
    stream[lastNewline - 10] = 'q'; // the parse skips the padding: only the check sees this
    var checked = check(stream, chunk, true, 50);
    assertThat(checked.sub.errors).isEqualTo(1);
    assertThat(checked.sub.received).isEqualTo(50);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 64, 100_000})
  void aFramingThatChangesIsParsedNotCountedAsAnError(int chunk) {
    byte[] stream = stream(100, false, -1, true); // not the tag the check expects
    var checked = check(stream, chunk, false, 100);
    assertThat(checked.sub.verifying()).isFalse();
    assertThat(checked.sub.received).isEqualTo(100);
    assertThat(checked.sub.errors).isZero();
    assertThat(checked.sub.lastSeq).isEqualTo(FIRST + 99);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 100_000})
  void bytesNobodyPublishedAreAnError(int chunk) {
    byte[] stream = stream(20, false, -1, false);
    var sub = new Subscriber(null);
    var expected = expected(false, 10, 20); // only the first 10 lines were published
    sub.expect(expected);
    feed(sub, stream, chunk, new LoadGen.Latencies());
    assertThat(sub.verifying()).isFalse();
    assertThat(sub.errors).isEqualTo(1);
    assertThat(sub.received).isEqualTo(20);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void subscribersShareAFramingOnlyIfTheyAllLearntTheSame(boolean differ) {
    var subs = new java.util.ArrayList<Subscriber>();
    for (int i = 0; i < 3; i++) {
      var sub = new Subscriber(null);
      sub.learnFraming();
      feed(sub, stream(3, differ && i == 2, -1, false), 100_000, new LoadGen.Latencies());
      subs.add(sub);
    }
    assertThat(Subscriber.commonFraming(subs)).isEqualTo(differ ? null : TAG.getBytes(StandardCharsets.US_ASCII));
  }

  /** Checks {@code stream} in pieces of {@code chunk} against the expected stream of its lines, {@code inFlight} kept. */
  private static Parsed check(byte[] stream, int chunk, boolean redis, int inFlight) {
    var sub = new Subscriber(null);
    var expected = expected(redis, Integer.MAX_VALUE, inFlight);
    sub.expect(expected);
    var latencies = new LoadGen.Latencies();
    ByteBuffer in = ByteBuffer.allocateDirect(Math.min(chunk, stream.length));
    for (int at = 0; at < stream.length; at += chunk) {
      // the publisher keeps at most inFlight lines ahead of the subscriber, as the generator does
      while (expected.published < Math.min(LINES_PUBLISHED, sub.lastSeq - FIRST + 1 + inFlight)) {
        publish(expected, redis, sub.verifying() ? sub.lastSeq : FIRST + expected.published - 1);
      }
      in.clear().put(stream, at, Math.min(chunk, stream.length - at)).flip();
      sub.receive(in, NOW, latencies, true);
    }
    return new Parsed(sub, latencies);
  }

  private static final int LINES_PUBLISHED = 300;

  /** The expected stream with {@code published} lines (at most 300) published through it. */
  private static ExpectedStream expected(boolean redis, int published, int inFlight) {
    String framing = redis ? "*3\r\n$7\r\nmessage\r\n$5\r\nbench\r\n$62\r\n" : TAG;
    var expected = new ExpectedStream(framing.getBytes(StandardCharsets.US_ASCII), FIRST, inFlight);
    while (expected.published < Math.min(published, Math.min(LINES_PUBLISHED, inFlight))) {
      publish(expected, redis, FIRST - 1);
    }
    return expected;
  }

  private static void publish(ExpectedStream expected, boolean redis, long slowest) {
    ByteBuffer line = ByteBuffer.allocate(256);
    PubSubLoad.appendLine(line, FIRST + expected.published, NOW - LATENCY, redis);
    expected.add(line, NOW - LATENCY, slowest);
  }

  private static void feed(Subscriber sub, byte[] stream, int chunk, LoadGen.Latencies latencies) {
    ByteBuffer in = ByteBuffer.allocateDirect(Math.min(chunk, stream.length));
    for (int at = 0; at < stream.length; at += chunk) {
      in.clear().put(stream, at, Math.min(chunk, stream.length - at)).flip();
      sub.receive(in, NOW, latencies, true);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theLineWriterWritesWhatAppendLineWrites(boolean redis) {
    var writer = new PubSubLoad.LineWriter(redis);
    ByteBuffer fast = ByteBuffer.allocate(64 * 1024);
    ByteBuffer reference = ByteBuffer.allocate(64 * 1024);
    long[] stamps = {NOW, NOW, NOW + 1, 7, 7, NOW};
    for (int i = 0; i < stamps.length; i++) {
      long seq = new long[] {0, 9, 12_345_678, 99_999_999, 1_000_000, 42}[i];
      writer.append(fast, seq, stamps[i]);
      PubSubLoad.appendLine(reference, seq, stamps[i], redis);
    }
    assertThat(fast.flip()).isEqualTo(reference.flip());
    assertThatThrownBy(() -> writer.append(fast.clear(), 100_000_000, NOW)).isInstanceOf(IllegalStateException.class);
  }

  private record Parsed(Subscriber sub, LoadGen.Latencies latencies) {}

  /** Feeds {@code stream} in pieces of {@code chunk} bytes through one direct buffer, as the generator does. */
  private static Parsed parse(byte[] stream, int chunk) {
    var sub = new Subscriber(null);
    sub.lastSeq = FIRST - 1;
    var latencies = new LoadGen.Latencies();
    ByteBuffer in = ByteBuffer.allocateDirect(Math.min(chunk, stream.length));
    for (int at = 0; at < stream.length; at += chunk) {
      in.clear().put(stream, at, Math.min(chunk, stream.length - at)).flip();
      sub.parse(in, NOW, latencies, true);
    }
    return new Parsed(sub, latencies);
  }

  /**
   * {@code count} lines as a server delivers them: weft's and Netty's tag before each, or Redis's
   * reply array around each payload; the line numbered {@code skip} (from 0) left out.
   */
  private static byte[] stream(int count, boolean redis, int skip) {
    return stream(count, redis, skip, true);
  }

  /** As {@link #stream(int, boolean, int)}, with one tag before every line unless {@code varyingTags}. */
  private static byte[] stream(int count, boolean redis, int skip, boolean varyingTags) {
    var out = new ByteArrayOutputStream();
    ByteBuffer line = ByteBuffer.allocate(256);
    for (int i = 0; i < count; i++) {
      if (i == skip) {
        continue;
      }
      line.clear();
      PubSubLoad.appendLine(line, FIRST + i, NOW - LATENCY, redis);
      String published = new String(line.array(), 0, line.position(), StandardCharsets.US_ASCII);
      String delivered;
      if (redis) { // the server parsed "PUBLISH bench <payload>\r\n"
        String payload = published.substring("PUBLISH bench ".length(), published.length() - 2);
        delivered = "*3\r\n$7\r\nmessage\r\n$5\r\nbench\r\n$" + payload.length() + "\r\n" + payload + "\r\n";
      } else {
        delivered = (varyingTags ? "127.0.0.1:40" + (i % 1000) + " " : TAG) + published;
      }
      out.writeBytes(delivered.getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }
}
