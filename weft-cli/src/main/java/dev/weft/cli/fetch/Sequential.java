package dev.weft.cli.fetch;

import dev.weft.Clock;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The demo's comparison with downloading one file at a time: a few files fetched one after the
 * other, their mean time extrapolated to the whole run. Measured, not computed from the configured
 * latency, so it includes what the client and the server really cost; extrapolated, because doing
 * the whole run sequentially would take most of a minute.
 */
final class Sequential {
  private Sequential() {}

  /** The comparison line, or nothing when the sample could not be fetched. */
  static Optional<String> estimate(Downloader downloader, FetchPlan plan, List<URI> sample, int total, Duration wall, Clock clock)
      throws InterruptedException {
    if (sample.isEmpty()) {
      return Optional.empty();
    }
    long start = clock.nanoTime();
    for (URI uri : sample) {
      try {
        downloader.download(plan.request(uri), new Discard(), n -> {});
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    long each = (clock.nanoTime() - start) / sample.size();
    double sequential = each * (double) total / 1e9;
    return Optional.of(String.format(
        Locale.ROOT,
        "one at a time: about %.1f s (%d files fetched one by one took %d ms each on average, extrapolated to %d): %.1f× faster",
        sequential, sample.size(), each / 1_000_000, total, sequential * 1e9 / Math.max(1, wall.toNanos())));
  }

  /** A channel that drops what it is given. */
  private static final class Discard implements WritableByteChannel {
    @Override
    public int write(ByteBuffer source) {
      int n = source.remaining();
      source.position(source.limit());
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
