package dev.weft.http;

/**
 * The code that answers requests: it takes a request and returns a response, and may block while
 * doing it (a blocking handler runs on a virtual thread), unless it is declared non-blocking.
 *
 * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="httpHandler" :
 * HttpHandler hello = request -> HttpResponse.text("hello " + request.path() + "\n");
 * try (var server = HttpServer.start(0, hello)) {
 *   System.out.println("serving on " + server.address());
 *   server.awaitTermination();
 * }
 * }
 *
 * <p>An {@link HttpException} becomes a response with its status and message; any other exception
 * becomes a 500 and is logged, and the connection goes on serving, except when reading the
 * request body failed first: a client that stopped sending (or sent too slowly) gets 400 (408),
 * a body the parser refused gets the parser's status, and neither is logged as the handler's
 * failure; the connection then closes. Handlers of one connection run
 * one after another (pipelined requests are answered in order); handlers of different connections
 * run at the same time, so state they share must be thread-safe.
 *
 * <p>Comparison: Twisted's {@code Resource.render_GET}, which must not block the reactor (and
 * returns {@code NOT_DONE_YET} to answer later); the JDK's {@code com.sun.net.httpserver.HttpHandler},
 * which writes into a mutable exchange. Here blocking is fine and the response is a value.
 */
@FunctionalInterface
public interface HttpHandler {

  /** The response to {@code request}. */
  HttpResponse handle(HttpRequest request) throws Exception;

  /**
   * Whether answering {@code request} may block; {@code true} unless the handler was made with
   * {@link #nonBlocking}. The server asks before it runs the handler, once the request's head has
   * arrived. A {@link Router} answers for the route the request goes to.
   */
  default boolean mayBlock(HttpRequest request) {
    return true;
  }

  /**
   * {@code handler}, declared non-blocking: it computes its response from the request alone,
   * without waiting for I/O, a lock held for long, or another thread.
   *
   * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="nonBlocking" :
   * var counter = new AtomicLong();
   * HttpHandler count = HttpHandler.nonBlocking(
   *     request -> HttpResponse.text("I am request #" + counter.incrementAndGet() + "\n"));
   * }
   *
   * <h2>Where handlers run</h2>
   *
   * The server reads every connection on an event loop (weft-net's reactor). A request without a
   * body for a non-blocking handler is answered there and then: the handler runs on the loop
   * thread, its response is encoded straight into the connection's outbound buffer, and the
   * responses to the requests of one read leave in one write — no thread hand-off, no wake-up, as
   * in Netty's handlers on the loop or Jetty's {@code InvocationType.NON_BLOCKING}. Everything else
   * goes to a virtual thread, which then serves the connection for good: a handler that may block
   * (the default), a request with a body or {@code Expect: 100-continue}, and a response with a
   * file or a streamed body (even from a non-blocking handler). A non-blocking handler that blocks
   * anyway stalls every connection of its loop: when in doubt, leave a handler blocking.
   */
  static HttpHandler nonBlocking(HttpHandler handler) {
    java.util.Objects.requireNonNull(handler, "handler");
    return new HttpHandler() {
      @Override
      public HttpResponse handle(HttpRequest request) throws Exception {
        return handler.handle(request);
      }

      @Override
      public boolean mayBlock(HttpRequest request) {
        return false;
      }

      @Override
      public String toString() {
        return "nonBlocking(" + handler + ")";
      }
    };
  }
}
