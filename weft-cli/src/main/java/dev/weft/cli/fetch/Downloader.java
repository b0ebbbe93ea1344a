package dev.weft.cli.fetch;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The HTTP client seam of {@code weft fetch}: one request, its status, and a 2xx body streamed
 * into a channel. The command never sees the client behind it, so that weft's own client can
 * replace the JDK's by changing {@link Downloaders#create} alone.
 *
 * <p>Thread contract: one downloader serves every download of a run; {@link #download} is called
 * from many virtual threads at once and blocks its caller. {@link #close()} is called once, after
 * the last download ended.
 */
interface Downloader extends AutoCloseable {
  /**
   * Sends the request; for a 2xx status streams the body into {@code body}, reporting bytes as
   * they arrive; for other statuses writes nothing to {@code body}.
   *
   * @throws java.net.http.HttpTimeoutException when no response or no body byte came within the
   *     request's timeout
   * @throws FetchTooLargeException when the body is longer than the request's {@code maxBytes}
   * @throws IOException for connection errors and truncated bodies
   * @throws IllegalArgumentException when the client refuses the request as built (a header it
   *     does not allow): the same request would be refused again, so it is not retried
   * @throws InterruptedException when the calling thread is interrupted; the transfer is aborted
   */
  Response download(Request request, WritableByteChannel body, LongConsumer bytesReceived)
      throws IOException, InterruptedException;

  @Override
  void close();

  /**
   * One request.
   *
   * @param method {@code GET}, {@code POST}...
   * @param uri an {@code http} or {@code https} URI
   * @param headers extra request headers, in order
   * @param body the request body, or {@code null} for none
   * @param timeout the longest wait for the response head, and for each part of the body
   * @param maxBytes the longest body accepted, {@link Long#MAX_VALUE} for no limit
   */
  record Request(
      String method, URI uri, List<Map.Entry<String, String>> headers, byte[] body, Duration timeout, long maxBytes) {}

  /**
   * One response.
   *
   * @param status the HTTP status
   * @param retryAfter the {@code Retry-After} header, if any
   * @param bytes the body bytes written to the channel (0 unless 2xx)
   */
  record Response(int status, Optional<String> retryAfter, long bytes) {}
}
