package dev.weft.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A parent JVM for {@link NoOrphansTest}: starts two workers, keeps one busy in a task that never
 * ends, prints both pids, and waits to be killed.
 */
public final class OrphanParent {
  private OrphanParent() {}

  public static void main(String[] args) throws Exception {
    Path marker = Path.of(args[0]);
    var pool = ProcessPool.start(ProcessPool.Options.workers(2).withStart(ProcessPool.Start.EAGER));
    pool.awaitStarted();
    Thread.ofVirtual().start(() -> {
      try {
        pool.call(Fixtures.markThenBlock(marker));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    long busy = Fixtures.awaitMarkedPid(marker);
    StringBuilder line = new StringBuilder("pids");
    for (ProcessPool.Worker worker : pool.workers()) {
      line.append(' ').append(worker.pid());
    }
    System.out.println(line + " busy " + busy);
    System.out.flush();
    System.in.read(); // until killed
  }
}
