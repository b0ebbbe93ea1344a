package dev.weft.http.client;

/**
 * Counters of an {@link HttpFetcher}, read with {@link HttpFetcher#stats()}.
 *
 * {@snippet class="dev.weft.http.client.snippets.ClientSnippets" region="fetchStats" :
 * FetchStats stats = fetcher.stats();
 * System.out.printf("%d requests on %d connections (%d reused)%n",
 *     stats.requests(), stats.connectionsOpened(), stats.connectionsReused());
 * }
 *
 * @param requests exchanges started (each redirect and each retry counts)
 * @param connectionsOpened TCP connections opened
 * @param connectionsReused exchanges sent on a pooled keep-alive connection
 * @param staleRetries requests sent again on a new connection because a pooled one was found closed
 * @param delegated requests handed to the JDK's {@code HttpClient} ({@code https:} and others)
 * @param idle keep-alive connections in the pools now
 */
public record FetchStats(
    long requests, long connectionsOpened, long connectionsReused, long staleRetries, long delegated, int idle) {}
