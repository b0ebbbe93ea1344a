package dev.weft.net;

import java.net.InetSocketAddress;

/**
 * Makes one {@link Protocol} for each new connection: Twisted's {@code Factory.buildProtocol}.
 * Shared state between connections (a chat room, counters) lives in the factory or in objects the
 * factory hands to the protocols it builds.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="protocolFactory" :
 * ProtocolFactory echo = peer -> new Echo();
 * reactor.listen(Endpoint.parse("tcp:7001"), echo);
 * }
 *
 * <p>Runs on the event loop that will own the new connection, so it must not block; it may be
 * called from several loops at once, so shared state it touches must be thread-safe.
 */
@FunctionalInterface
public interface ProtocolFactory {

  /** A new protocol for a connection with {@code peer}. */
  Protocol buildProtocol(InetSocketAddress peer);
}
