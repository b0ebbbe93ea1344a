package dev.weft.examples;

import dev.weft.Clock;
import dev.weft.Deadline;
import dev.weft.Outcome;
import dev.weft.Pool;
import dev.weft.Task;
import dev.weft.Tasks;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * {@code concurrent.futures.as_completed} with done-callbacks, and asyncio's {@code gather(...,
 * return_exceptions=True)}: downloads of different lengths are handled in the order they finish,
 * a failed one is reported rather than lost, and a deadline bounds the whole batch.
 *
 * {@snippet :
 * // Python:
 * // with ThreadPoolExecutor() as ex:
 * //     futures = {ex.submit(download, cc): cc for cc in codes}
 * //     for future in as_completed(futures):
 * //         print(futures[future], future.result())
 * }
 */
public final class AsCompleted {
  private AsCompleted() {}

  /** How long each fake download takes, in milliseconds; "ZZ" does not exist. */
  static final Map<String, Integer> DOWNLOADS =
      Map.of("BR", 120, "CN", 40, "IN", 80, "ZZ", 60, "US", 20, "FR", 100);

  public static void main(String[] args) throws InterruptedException {
    run(Clock.system(), System.out);
  }

  /** The example on any clock (its test drives a virtual one), printing to {@code out}. */
  @SuppressWarnings("try") // Pool.close() may throw InterruptedException, which run lets through
  static void run(Clock clock, PrintStream out) throws InterruptedException {
    List<Task<String>> tasks;
    // a pool, not a task group: a pool's tasks are independent, so one missing flag does not
    // cancel the other downloads (a group's first failure would)
    try (var pool = Pool.virtual()) {
      tasks =
          DOWNLOADS.keySet().stream().sorted().map(code -> pool.submit(() -> download(code, clock))).toList();
      for (Task<String> task : tasks) {
        // add_done_callback: runs once when the task ends, on the thread that ended it
        task.onDone(done -> out.println("  callback: " + done.name() + " ended"));
      }
      var deadline = Deadline.after(Duration.ofSeconds(5), clock); // bounds the whole batch
      for (Task<String> task : Tasks.asCompleted(tasks, deadline)) { // US, CN, ZZ, IN, FR, BR
        switch (task.outcome()) {
          case Outcome.Success<String>(String file) -> out.println("saved " + file);
          case Outcome.Failure<String>(Throwable error) ->
              out.println("failed: " + error.getMessage());
          case Outcome.Cancelled<String> c -> out.println("cancelled: " + task.name());
        }
      }
    }
    List<Outcome<String>> settled = Tasks.gatherSettled(tasks); // input order, never throws
    long ok = settled.stream().filter(Outcome::isSuccess).count();
    out.println(ok + " downloaded, " + (settled.size() - ok) + " failed");
  }

  static String download(String code, Clock clock) throws InterruptedException {
    clock.sleep(Duration.ofMillis(DOWNLOADS.get(code)));
    if (code.equals("ZZ")) {
      throw new NoSuchElementException("no flag for " + code + ": 404");
    }
    return code.toLowerCase(Locale.ROOT) + ".gif";
  }
}
