package dev.weft.cli.serve;

import dev.weft.http.HttpHandler;
import dev.weft.http.HttpRequest;
import dev.weft.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Twisted classic: answers {@code I am request #N}, N counting every request it receives
 * exactly once across all connections (one atomic increment per request). Non-blocking: the
 * server answers it on its event loops. Thread-safe.
 */
final class RequestCounter implements HttpHandler {
  private final AtomicLong count = new AtomicLong();

  @Override
  public HttpResponse handle(HttpRequest request) {
    return HttpResponse.text("I am request #" + count.incrementAndGet() + "\n");
  }

  @Override
  public boolean mayBlock(HttpRequest request) {
    return false;
  }

  long count() {
    return count.get();
  }
}
