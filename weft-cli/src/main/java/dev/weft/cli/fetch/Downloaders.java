package dev.weft.cli.fetch;

import dev.weft.Clock;
import java.util.Locale;

/**
 * Chooses the HTTP client behind {@code weft fetch}: the one place that names an implementation.
 * weft's own ({@link WeftDownloader}, {@code http:} on weft's HTTP/1.1 client, {@code https:} on
 * the JDK's) is the default; {@code --client jdk} puts every URL on the JDK's client.
 */
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
    return switch (client) {
      case JDK -> new JdkDownloader(clock);
      case WEFT -> new WeftDownloader(concurrency, clock);
    };
  }

  /**
   * Fails unless {@link #create} can make a downloader on {@code client}.
   *
   * @throws IllegalArgumentException naming the client and the fix
   */
  static void checkAvailable(Client client) {
    // both clients are built in; the check stays for clients that a build may leave out
  }
}
