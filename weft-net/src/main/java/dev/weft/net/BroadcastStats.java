package dev.weft.net;

/**
 * A snapshot of a {@link Broadcast}'s counters.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="broadcastStats" :
 * BroadcastStats stats = room.stats();
 * System.out.println(stats.subscribers() + " subscribers, " + stats.published() + " messages");
 * }
 *
 * @param subscribers transports subscribed now
 * @param published messages published since the start
 * @param publishedBytes bytes of those messages (each sent once per subscriber)
 */
public record BroadcastStats(long subscribers, long published, long publishedBytes) {}
