package dev.weft.net;

import java.net.InetSocketAddress;

/**
 * A server socket a {@link Reactor} accepts connections on, returned by {@link Reactor#listen} and
 * {@link Reactor#listenBlocking}. Closing it stops accepting; connections already accepted go on
 * until they close or the reactor does.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="listeningPort" :
 * ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Echo());
 * System.out.println("listening on " + port.address());
 * port.close(); // no new connections
 * }
 *
 * <p>Comparison: Twisted's {@code IListeningPort} ({@code getHost}, {@code stopListening}); unlike a
 * {@code ServerSocket}, accepting runs by itself and keeps counters. Thread-safe.
 */
public interface ListeningPort extends AutoCloseable {

  /** The address the socket is bound to (with the real port when port 0 was asked for). */
  InetSocketAddress address();

  /** The port the socket is bound to. */
  default int port() {
    return address().getPort();
  }

  /** Counters for the connections accepted on this port. */
  NetStats stats();

  /** Stops accepting connections; idempotent. */
  @Override
  void close();
}
