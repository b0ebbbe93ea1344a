package dev.weft.bench.net;

import static org.assertj.core.api.Assertions.assertThat;

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
    assertThat(PubSubLoad.indexOfHash(data, 0, bytes.length)).isEqualTo(offset);
    assertThat(PubSubLoad.indexOfHash(data, offset + 1, bytes.length)).isEqualTo(offset + 9);
    assertThat(PubSubLoad.indexOfHash(data, offset + 10, bytes.length)).isEqualTo(bytes.length);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 7, 1_000_000, 12_345_678, 90_000_001, 99_999_999})
  void eightDigitsAreReadAtOnce(long value) {
    byte[] digits = String.format("%08d", value).getBytes(StandardCharsets.US_ASCII);
    long ascii = ByteBuffer.wrap(digits).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(PubSubLoad.eightDigits(ascii)).isEqualTo(value);
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

  private record Parsed(PubSubLoad.Subscriber sub, LoadGen.Latencies latencies) {}

  /** Feeds {@code stream} in pieces of {@code chunk} bytes through one direct buffer, as the generator does. */
  private static Parsed parse(byte[] stream, int chunk) {
    var sub = new PubSubLoad.Subscriber(null);
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
        delivered = "127.0.0.1:40" + (i % 1000) + " " + published; // tags of varying length
      }
      out.writeBytes(delivered.getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }
}
