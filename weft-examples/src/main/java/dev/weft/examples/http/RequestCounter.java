package dev.weft.examples.http;

import dev.weft.http.HttpHandler;
import dev.weft.http.HttpResponse;
import dev.weft.http.HttpServer;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Twisted's classic first web server: every request is answered {@code I am request #N}, N
 * counting the requests the server has received, exactly once each, across every connection.
 *
 * {@snippet :
 * // Twisted:
 * // class Counter(resource.Resource):
 * //     isLeaf = True
 * //     numberRequests = 0
 * //     def render_GET(self, request):
 * //         self.numberRequests += 1
 * //         request.setHeader(b"content-type", b"text/plain")
 * //         return b"I am request #" + str(self.numberRequests).encode() + b"\n"
 * // reactor.listenTCP(8080, server.Site(Counter()))
 * // reactor.run()
 * }
 *
 * <p>Twisted's counter is a plain attribute because one reactor thread runs every request. Here the
 * server reads on several event loops (one per core), and the handler, declared {@link
 * HttpHandler#nonBlocking non-blocking} since it only counts, runs on the loop of its connection: so
 * requests on different connections run at the same time, the count is an {@link AtomicLong}, and
 * each request takes its number with one {@code incrementAndGet}, so no two requests get the same
 * number and none is skipped. (A handler that may block is left as it is: the server then runs it on
 * a virtual thread.)
 *
 * <p>Run: {@code weft examples request-counter [PORT]} (8080 by default; 0 picks a free port), then
 * {@code curl http://127.0.0.1:8080/} a few times; Ctrl-C stops it.
 */
public final class RequestCounter {
  private RequestCounter() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    HttpServer server = start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("serving on http://127.0.0.1:" + server.port() + "/ (Ctrl-C stops)");
    try {
      server.awaitTermination();
    } finally {
      server.close();
    }
  }

  /** Starts the counter on 127.0.0.1:{@code port}; close the server to stop it. */
  public static HttpServer start(int port) throws IOException {
    var count = new AtomicLong();
    return HttpServer.start(
        port, HttpHandler.nonBlocking(request -> HttpResponse.text("I am request #" + count.incrementAndGet() + "\n")));
  }
}
