package dev.weft.cli.fetch;

import dev.weft.Clock;
import java.util.Locale;

/** Chooses the HTTP client behind {@code weft fetch}: the one place that names an implementation. */
final class Downloaders {
  private Downloaders() {}

  /** The HTTP clients {@code --client} can name. */
  enum Client {
    JDK,
    WEFT;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A downloader for up to {@code concurrency} transfers at once, on {@code client}.
   *
   * @throws IllegalArgumentException when {@code client} is not available in this build
   */
  static Downloader create(Client client, int concurrency, Clock clock) {
    checkAvailable(client);
    return new JdkDownloader(clock);
  }

  /**
   * Fails unless {@link #create} can make a downloader on {@code client}.
   *
   * @throws IllegalArgumentException naming the client and the fix
   */
  static void checkAvailable(Client client) {
    if (client == Client.WEFT) {
      throw new IllegalArgumentException(
          "--client weft is not available yet: weft's own HTTP client is not wired into weft fetch; use --client jdk");
    }
  }
}
