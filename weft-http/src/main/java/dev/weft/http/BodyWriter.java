package dev.weft.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a response body as it is produced, for {@link HttpResponse#stream}: the server sends it
 * chunked (or with the declared length) while the handler's thread writes.
 *
 * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="bodyWriter" :
 * HttpResponse ticks = HttpResponse.stream(200, "text/plain", out -> {
 *   for (int i = 0; i < 3; i++) {
 *     out.write(("tick " + i + "\n").getBytes(StandardCharsets.US_ASCII));
 *     out.flush(); // sends what was written so far
 *   }
 * });
 * }
 *
 * <p>Runs on the connection's virtual thread after the handler returned; it may block. Closing the
 * stream is not needed. Comparison: the JDK's {@code HttpResponse.BodyPublisher} turned around, a
 * plain {@link OutputStream} instead of a reactive stream.
 */
@FunctionalInterface
public interface BodyWriter {

  /** Writes the body to {@code out}. */
  void writeTo(OutputStream out) throws IOException;
}
