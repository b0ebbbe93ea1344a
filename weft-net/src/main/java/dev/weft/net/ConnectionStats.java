package dev.weft.net;

/**
 * A snapshot of one connection's counters, from {@link Transport#stats()} or {@link
 * Connection#stats()}.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="connectionStats" :
 * ConnectionStats stats = transport.stats();
 * log.log(INFO, "read " + stats.bytesRead() + " wrote " + stats.bytesWritten());
 * }
 *
 * @param bytesRead bytes received from the peer
 * @param bytesWritten bytes sent to the peer (accepted by the operating system)
 * @param pendingBytes bytes written by the protocol and not yet sent
 * @param reads read calls that returned data
 * @param writes write system calls that sent data
 */
public record ConnectionStats(long bytesRead, long bytesWritten, long pendingBytes, long reads, long writes) {}
