package dev.weft.net;

/**
 * A snapshot of the counters of a {@link ListeningPort} or of a whole {@link Reactor}: what a
 * server prints when it stops.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="netStats" :
 * NetStats stats = port.stats();
 * System.out.println(stats.accepted() + " connections, " + stats.bytesRead() + " bytes in");
 * }
 *
 * @param accepted connections accepted and handed to a protocol or handler
 * @param rejected connections accepted and closed at once because the connection limit was reached
 * @param open connections open now
 * @param closed connections closed since the start, for any reason
 * @param acceptErrors failed accepts (for instance: out of file descriptors); accepting resumes
 * @param bytesRead bytes received on every connection
 * @param bytesWritten bytes sent on every connection
 */
public record NetStats(
    long accepted, long rejected, long open, long closed, long acceptErrors, long bytesRead, long bytesWritten) {

  /** The sum of two snapshots. */
  public NetStats plus(NetStats other) {
    return new NetStats(
        accepted + other.accepted,
        rejected + other.rejected,
        open + other.open,
        closed + other.closed,
        acceptErrors + other.acceptErrors,
        bytesRead + other.bytesRead,
        bytesWritten + other.bytesWritten);
  }

  /** One line for logs and exit reports. */
  public String summary() {
    return "accepted=" + accepted + " rejected=" + rejected + " open=" + open + " closed=" + closed
        + " acceptErrors=" + acceptErrors + " bytesRead=" + bytesRead + " bytesWritten=" + bytesWritten;
  }
}
