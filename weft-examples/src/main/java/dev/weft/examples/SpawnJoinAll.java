package dev.weft.examples;

import dev.weft.Clock;
import dev.weft.Pool;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Tasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * gevent's {@code spawn} and {@code joinall}, and its deterministic {@code Pool}: ten thousand
 * tasks that each wait 100 ms finish together in about 100 ms, because each is a virtual thread;
 * then a pool of 4 maps over inputs and returns the results in input order whatever order the work
 * ends in.
 *
 * {@snippet :
 * // gevent:
 * // jobs = [gevent.spawn(fetch, i) for i in range(10_000)]
 * // gevent.joinall(jobs)
 * // print(sum(job.value for job in jobs))
 * }
 *
 * <p>Unlike {@code joinall}, which returns with failures left in each greenlet's {@code exception}
 * attribute, the group rethrows the first failure from the end of its block and cancels the rest.
 */
public final class SpawnJoinAll {
  private SpawnJoinAll() {}

  @SuppressWarnings("try") // TaskGroup.close() may throw InterruptedException, which main lets through
  public static void main(String[] args) throws InterruptedException {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Clock clock = Clock.system();
    long start = clock.nanoTime();
    List<Task<Integer>> jobs = new ArrayList<>(count);
    try (var group = TaskGroup.open("joinall")) {
      for (int i = 0; i < count; i++) {
        int n = i;
        jobs.add(group.spawn(() -> fetch(n)));
      }
    } // joinall: every task has ended here, or the first failure is thrown
    long sum = Tasks.gather(jobs).stream().mapToLong(Integer::longValue).sum();
    System.out.printf(
        "%,d tasks waited 100 ms each; all done in %d ms; sum of results %,d%n",
        count, Duration.ofNanos(clock.nanoTime() - start).toMillis(), sum);

    try (var pool = Pool.virtual(4)) {
      // gevent.pool.Pool(4).map: results in input order although later inputs finish first
      List<Integer> squares =
          pool.map(SpawnJoinAll::slowSquare, IntStream.rangeClosed(1, 8).boxed().toList());
      System.out.println("pool of 4, results in input order: " + squares);
    }
  }

  /** Stands in for a network call: waits 100 ms and answers. */
  static int fetch(int n) throws InterruptedException {
    Clock.system().sleep(Duration.ofMillis(100));
    return n;
  }

  /** Takes longer for smaller inputs, so completion order is the reverse of input order. */
  static int slowSquare(int n) throws InterruptedException {
    Clock.system().sleep(Duration.ofMillis(10L * (9 - n)));
    return n * n;
  }
}
