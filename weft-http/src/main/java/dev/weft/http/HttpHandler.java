package dev.weft.http;

/**
 * The code that answers requests: it takes a request and returns a response, and may block while
 * doing it, because each connection's requests run on a virtual thread of their own.
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
 * becomes a 500 and is logged, and the connection goes on serving. Handlers of one connection run
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
}
