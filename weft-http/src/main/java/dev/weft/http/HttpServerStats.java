package dev.weft.http;

/**
 * Counters of an {@link HttpServer}, read at one moment by {@link HttpServer#stats()}.
 *
 * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="httpServerStats" :
 * HttpServerStats stats = server.stats();
 * System.out.printf("%d open, %d requests%n", stats.open(), stats.requests());
 * }
 *
 * @param accepted connections accepted since the start
 * @param rejected connections closed at once because {@link HttpOptions#maxConnections()} were open
 * @param open connections open now
 * @param requests requests whose head was read and handed to the handler
 * @param refused requests refused before reaching the handler (malformed, too large, timed out)
 * @param timeouts connections closed because a header or idle timeout passed
 */
public record HttpServerStats(long accepted, long rejected, int open, long requests, long refused, long timeouts) {}
