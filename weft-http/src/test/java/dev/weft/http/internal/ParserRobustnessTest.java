package dev.weft.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.HttpException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A deterministic stand-in for fuzzing the parser: requests from the corpus in {@code
 * src/test/resources/parser-corpus}, mutated with fixed seeds, fed whole, a byte at a time and in
 * random pieces. The parser must throw nothing but {@link HttpException}, always make progress, and
 * frame every input the same way however it is cut.
 */
@Timeout(60)
class ParserRobustnessTest {
  private static final Path CORPUS = Path.of("src/test/resources/parser-corpus");
  private static final byte[] INTERESTING = "\r\n:; ,\t0-9aAfF\0\u007fHTTP/1.1chunkedContent-Length".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  private static final Limits LIMITS = new Limits(200, 16, 600, 5000);

  @Test
  void corpusIsReplayedAtEveryChunkSize() {
    List<byte[]> corpus = corpus();
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(8);
    for (byte[] input : corpus) {
      String whole = describe(Feed.feed(input, Math.max(1, input.length), LIMITS));
      for (int chunk = 1; chunk <= input.length; chunk++) {
        assertThat(describe(Feed.feed(input, chunk, LIMITS))).as("chunk %d", chunk).isEqualTo(whole);
      }
    }
  }

  @Test
  void mutatedRequestsFailOnlyWithHttpExceptionAndFrameTheSameAtAnyCut() {
    List<byte[]> corpus = corpus();
    for (long seed = 1; seed <= 4000; seed++) {
      var random = new Random(seed);
      byte[] input = mutate(corpus.get(random.nextInt(corpus.size())), random);
      String whole;
      try {
        whole = describe(Feed.feed(input, Math.max(1, input.length), LIMITS));
        assertThat(describe(Feed.feed(input, 1, LIMITS))).as("seed %d by bytes", seed).isEqualTo(whole);
        int chunk = 1 + random.nextInt(Math.max(1, input.length));
        assertThat(describe(Feed.feed(input, chunk, LIMITS))).as("seed %d by %d", seed, chunk).isEqualTo(whole);
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + " threw on " + Arrays.toString(input), e);
      }
    }
  }

  @Test
  void bodiesHaveTheirDeclaredLength() {
    List<byte[]> corpus = corpus();
    for (long seed = 1; seed <= 2000; seed++) {
      var random = new Random(-seed);
      byte[] input = mutate(corpus.get(random.nextInt(corpus.size())), random);
      for (Feed.Parsed parsed : Feed.feed(input, 1 + random.nextInt(16), LIMITS).requests()) {
        if (!parsed.head().chunked()) {
          assertThat((long) parsed.body().length()).as("seed %d", seed).isEqualTo(parsed.head().contentLength());
        }
      }
    }
  }

  private static byte[] mutate(byte[] original, Random random) {
    List<Byte> bytes = new ArrayList<>();
    for (byte b : original) {
      bytes.add(b);
    }
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations && !bytes.isEmpty(); m++) {
      int at = random.nextInt(bytes.size());
      switch (random.nextInt(6)) {
        case 0 -> bytes.set(at, (byte) random.nextInt(256));
        case 1 -> bytes.add(at, INTERESTING[random.nextInt(INTERESTING.length)]);
        case 2 -> bytes.remove(at);
        case 3 -> bytes.subList(at, bytes.size()).clear();
        case 4 -> {
          int end = Math.min(bytes.size(), at + 1 + random.nextInt(20));
          bytes.addAll(at, new ArrayList<>(bytes.subList(at, end)));
        }
        default -> bytes.set(at, INTERESTING[random.nextInt(INTERESTING.length)]);
      }
    }
    byte[] result = new byte[bytes.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = bytes.get(i);
    }
    return result;
  }

  private static String describe(Feed.Outcome outcome) {
    StringBuilder text = new StringBuilder();
    for (Feed.Parsed parsed : outcome.requests()) {
      RequestHead head = parsed.head();
      text.append(head.method()).append(' ').append(head.target()).append(' ').append(head.version())
          .append(Arrays.toString(head.fields())).append(head.contentLength()).append(head.keepAlive())
          .append(head.expectContinue()).append('|').append(parsed.body()).append('|')
          .append(parsed.trailers()).append('\n');
    }
    return text.append(outcome.status()).append(' ').append(outcome.message()).toString();
  }

  private static List<byte[]> corpus() {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.sorted().map(ParserRobustnessTest::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
