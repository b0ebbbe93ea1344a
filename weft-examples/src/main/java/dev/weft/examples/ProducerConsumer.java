package dev.weft.examples;

import dev.weft.Clock;
import dev.weft.JoinableQueue;
import dev.weft.TaskGroup;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Python's {@code queue.Queue} producer/consumer with {@code task_done()} and {@code join()}: a
 * producer puts jobs into a bounded queue (it blocks when the workers fall behind: backpressure),
 * three workers take them, and the producer waits until every job is done.
 *
 * <p>The common mistake in Python is to forget {@code task_done()}, so {@code join()} never
 * returns, or to stop workers with a sentinel per worker. Here {@code forEachUntilClosed} marks each
 * job done even when it throws, and {@code close()} ends every worker once the queue is drained.
 */
public final class ProducerConsumer {
  private ProducerConsumer() {}

  @SuppressWarnings("try") // TaskGroup.close() may throw InterruptedException, which main lets through
  public static void main(String[] args) throws InterruptedException {
    JoinableQueue<Integer> jobs = JoinableQueue.bounded("jobs", 4);
    var processed = new AtomicInteger();

    try (var group = TaskGroup.open("workers")) {
      for (int w = 1; w <= 3; w++) {
        String worker = "worker-" + w;
        group.spawn(
            worker,
            () -> {
              jobs.forEachUntilClosed(job -> work(worker, job, processed));
              return null;
            });
      }
      for (int job = 1; job <= 12; job++) {
        jobs.put(job); // blocks while 4 jobs wait: the producer cannot run ahead of the workers
      }
      jobs.join(); // returns once taskDone() was called for every job put
      System.out.println("all " + processed.get() + " jobs done: " + jobs.stats());
      jobs.close(); // the workers drain what is left (nothing) and return
    }
  }

  private static void work(String worker, int job, AtomicInteger processed) {
    try {
      Clock.system().sleep(Duration.ofMillis(20L * (job % 3 + 1)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    processed.incrementAndGet();
    System.out.println(worker + " did job " + job);
  }
}
