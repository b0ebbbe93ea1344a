package dev.weft.cli.fetch;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run does, decided from the command line before it starts.
 *
 * @param dir the output directory, which exists
 * @param concurrency the most transfers at once
 * @param rate the most requests started per period, if limited
 * @param timeout the request timeout (response head, and each stall of the body)
 * @param retries the retries after a first failed attempt
 * @param backoff the waits between attempts
 * @param resume whether files already under their final name are skipped
 * @param maxBytes the longest body accepted
 * @param method the request method
 * @param data the request body, or {@code null}
 * @param headers extra request headers
 */
record FetchPlan(
    Path dir,
    int concurrency,
    Optional<Rate> rate,
    Duration timeout,
    int retries,
    Backoff backoff,
    boolean resume,
    long maxBytes,
    String method,
    byte[] data,
    List<Map.Entry<String, String>> headers) {

  /** At most {@code permits} requests started per {@code per}. */
  record Rate(int permits, Duration per) {}

  /** One URL and the file it goes to. */
  record Job(int index, URI uri, String name) {}

  Downloader.Request request(URI uri) {
    return new Downloader.Request(method, uri, headers, data, timeout, maxBytes);
  }
}
