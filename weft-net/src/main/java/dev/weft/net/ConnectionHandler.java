package dev.weft.net;

/**
 * Serves one blocking-style {@link Connection} on its own virtual thread: the gevent way, for code
 * that reads better as a loop than as events. Given to {@link Reactor#listenBlocking}.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="connectionHandler" :
 * ConnectionHandler echo = connection -> {
 *   ByteBuffer buffer = ByteBuffer.allocate(8192);
 *   while (connection.read(buffer.clear()) >= 0) {
 *     connection.write(buffer.flip());
 *   }
 * };
 * reactor.listenBlocking(Endpoint.parse("tcp:7001"), echo);
 * }
 *
 * <p>The connection is closed when {@link #handle} returns or throws; an exception is logged
 * unless it is the connection's own end (a reset, a timeout). Comparison: gevent's {@code
 * StreamServer(handle)} and Python's {@code socketserver.StreamRequestHandler}, one virtual thread
 * per connection instead of one greenlet or one OS thread.
 */
@FunctionalInterface
public interface ConnectionHandler {

  /** Serves {@code connection} until done. */
  void handle(Connection connection) throws Exception;
}
