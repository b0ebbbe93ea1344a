package dev.weft.bench.fetch;

import dev.weft.http.client.FetchRequest;
import dev.weft.http.client.HttpFetcher;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/** weft's {@link HttpFetcher} under {@link FetchBench}: one connection per fetching thread. */
final class WeftClient implements FetchBench.Client {
  private final HttpFetcher fetcher;

  private WeftClient(int n) {
    this.fetcher = HttpFetcher.builder().maxConnectionsPerHost(n).build();
  }

  static FetchBench.Client create(int n) {
    return new WeftClient(n);
  }

  @Override
  public int fetch(URI uri, Path file) throws IOException, InterruptedException {
    try (var sink = new LazyFile(file)) {
      return fetcher.fetch(FetchRequest.get(uri).withTimeout(Duration.ofSeconds(10)), sink, n -> {}).status();
    }
  }

  @Override
  public String stats() {
    return fetcher.stats().toString();
  }

  @Override
  public void close() {
    fetcher.close();
  }

  /** A file opened at the first byte, so an error status leaves no file behind. */
  private static final class LazyFile implements WritableByteChannel {
    private final Path path;
    private FileChannel channel;

    LazyFile(Path path) {
      this.path = path;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      if (channel == null) {
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      }
      return channel.write(source);
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() throws IOException {
      if (channel != null) {
        channel.close();
      }
    }
  }
}
