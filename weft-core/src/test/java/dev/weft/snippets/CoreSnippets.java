package dev.weft.snippets;

import dev.weft.Clock;
import dev.weft.Deadline;
import dev.weft.DeadlineExceededException;
import dev.weft.JoinableQueue;
import dev.weft.Outcome;
import dev.weft.Pool;
import dev.weft.PoolIterator;
import dev.weft.Progress;
import dev.weft.QueueClosedException;
import dev.weft.Scheduler;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.TaskFunction;
import dev.weft.TaskGroup;
import dev.weft.Tasks;
import dev.weft.Throttle;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The examples in the javadoc of weft-core's public types, compiled. Each type's javadoc quotes
 * its region of this file in a hybrid snippet ({@code {@snippet class=... region=... :}}):
 * {@code SnippetsTest} in weft-cli checks that the quoted text and the region are the same, and
 * javadoc checks it again when it renders them.
 */
@SuppressWarnings("try")
final class CoreSnippets {
  private CoreSnippets() {}

  /** Context for the example on {@link PoolIterator}. */
  static class PoolIteratorExample {
    record Page(String text) {
      boolean isTheOne() {
        return text.contains("weft");
      }
    }

    Pool pool = Pool.virtual();
    List<URI> urls = List.of();

    Page fetch(URI url) {
      return new Page(url.toString());
    }

    void run() throws InterruptedException {
      try (PoolIterator<Page> pages = pool.imap(this::fetch, urls)) { // @start region="poolIterator"
        while (pages.hasNext()) {
          Page page = pages.next();
          if (page.isTheOne()) {
            break;                    // close() cancels the fetches still in flight
          }
        }
      }
      // @end
    }
  }

  /** Context for the example on {@link Progress}. */
  static class ProgressExample {
    List<URI> urls = List.of();

    Path download(URI url) {
      return Path.of(url.getPath());
    }

    void run() throws InterruptedException {
      var progress = Progress.create(); // @start region="progress"
      try (var pool = Pool.virtual(32)) {
        Task<List<Path>> all = pool.mapAsync(this::download, urls, progress);
        while (!all.isDone()) {
          Progress.Snapshot now = progress.snapshot(); // cheap: poll it ten times a second
          System.err.printf("\r%d/%d done, %d failed, %.1f/s", now.done(), now.total(), now.failed(),
              now.rate());
          Clock.system().sleep(Duration.ofMillis(100));
        }
        List<Path> files = all.join();
      }
      // @end
    }
  }

  /** Context for the example on {@link Outcome}. */
  static class OutcomeExample {
    List<Task<String>> tasks = List.of();

    void run() throws InterruptedException {
      for (Outcome<String> outcome : Tasks.gatherSettled(tasks)) { // @start region="outcome"
        switch (outcome) {
          case Outcome.Success<String>(var page) -> System.out.println(page.length());
          case Outcome.Failure<String>(var error) -> System.out.println("failed: " + error);
          case Outcome.Cancelled<String>() -> System.out.println("cancelled");
        }
      }
      // @end
    }
  }

  /** Context for the example on {@link TaskFunction}. */
  static class TaskFunctionExample {
    List<URI> uris = List.of();

    void run() throws InterruptedException {
      TaskFunction<URI, byte[]> download = uri -> { // @start region="taskFunction"
        try (InputStream in = uri.toURL().openStream()) { // may throw IOException
          return in.readAllBytes();
        }
      };
      try (var pool = Pool.virtual(64)) {
        List<byte[]> pages = pool.map(download, uris);
      }
      // @end
    }
  }

  /** Context for the example on {@link Task}. */
  static class TaskExample {
    String fetch(String url) {
      return url;
    }

    void run() throws InterruptedException {
      try (var group = TaskGroup.open()) { // @start region="task"
        Task<String> page = group.spawn("fetch", () -> fetch("https://example.org/"));
        page.onDone(t -> System.out.println(t.name() + " ended: " + t.state()));
        System.out.println(page.join().length());
      }
      // @end
    }
  }

  /** Context for the example on {@link TaskFailedException}. */
  static class TaskFailedExceptionExample {
    TaskGroup group = TaskGroup.open();
    Path path = Path.of("missing");

    void run() throws InterruptedException {
      Task<byte[]> read = group.spawn(() -> Files.readAllBytes(path)); // may throw IOException // @start region="taskFailedException"
      try {
        byte[] bytes = read.join();
      } catch (TaskFailedException e) {
        if (e.getCause() instanceof NoSuchFileException missing) {
          System.err.println("no such file: " + missing.getFile());
        }
      }
      // @end
    }
  }

  /** Context for the example on {@link Pool}. */
  static class PoolExample {
    record Page(String text) {}

    List<URI> urls = List.of();

    Page fetch(URI url) {
      return new Page(url.toString());
    }

    Iterable<URI> endlessUrls() {
      return () -> Stream.iterate(URI.create("https://example.org/0"),
          u -> u.resolve(String.valueOf(Integer.parseInt(u.getPath().substring(1)) + 1))).iterator();
    }

    void index(Page page) {}

    void run() throws InterruptedException {
      try (var pool = Pool.virtual(64)) {                       // at most 64 downloads at a time // @start region="pool"
        List<Page> pages = pool.map(this::fetch, urls);         // in input order; fails fast
        try (PoolIterator<Page> crawl = pool.imapUnordered(this::fetch, endlessUrls())) {
          while (crawl.hasNext()) {
            index(crawl.next());                                // as they complete; bounded memory
          }
        }
      } // close() waits for everything submitted
      // @end
    }
  }

  /** Context for the example on {@link JoinableQueue}. */
  static class JoinableQueueExample {
    List<String> urls = List.of();

    void download(String url) {}

    void run() throws InterruptedException {
      var queue = JoinableQueue.<String>bounded(100); // @start region="joinableQueue"
      try (var group = TaskGroup.open()) {
        for (int i = 0; i < 4; i++) {
          group.spawn(() -> {
            queue.forEachUntilClosed(url -> download(url)); // taskDone() after each item
            return null;
          });
        }
        for (String url : urls) {
          queue.put(url); // blocks while 100 items wait: backpressure
        }
        queue.join();  // every url downloaded
        queue.close(); // the consumers drain and return
      }
      // @end
    }
  }

  /** Context for the example on {@link DeadlineExceededException}. */
  static class DeadlineExceededExceptionExample {
    List<String> hosts = List.of();

    InetAddress resolve(String host) throws UnknownHostException {
      return InetAddress.getByName(host);
    }

    void log(String message) {}

    void run() throws InterruptedException {
      try (var group = TaskGroup.open("lookups", Deadline.after(Duration.ofSeconds(2)))) { // @start region="deadlineExceededException"
        hosts.forEach(host -> group.spawn(() -> resolve(host)));
      } catch (DeadlineExceededException e) {
        log("gave up: " + e.getMessage()); // every lookup has been cancelled and has ended
      }
      // @end
    }
  }

  /** Context for the example on {@link Clock}. */
  static class ClockExample {
    void run() throws InterruptedException {
      Clock clock = Clock.system(); // @start region="clock"
      long start = clock.nanoTime();
      clock.sleep(Duration.ofMillis(5));
      Duration slept = Duration.ofNanos(clock.nanoTime() - start);
      // @end
    }
  }

  /** Context for the example on {@link Scheduler}. */
  static class SchedulerExample {
    void run() throws InterruptedException {
      var scheduler = Scheduler.create(); // @start region="scheduler"
      scheduler.enter(Duration.ofSeconds(2), 0, () -> System.out.println("two"));
      Scheduler.Event one = scheduler.enter(Duration.ofSeconds(1), 0, () -> System.out.println("one"));
      scheduler.enter(Duration.ofSeconds(1), -1, () -> System.out.println("one, urgent"));
      scheduler.cancel(one);
      scheduler.run(); // prints "one, urgent", then "two", and returns
      // @end
    }
  }

  /** Context for the example on {@link TaskGroup}. */
  static class TaskGroupExample {
    List<URI> uris = List.of();

    byte[] download(URI uri) {
      return new byte[0];
    }

    void run() throws InterruptedException {
      try (var group = TaskGroup.open("downloads", Deadline.after(Duration.ofSeconds(30)))) { // @start region="taskGroup"
        for (URI uri : uris) {
          group.spawn(() -> download(uri)); // each on its own virtual thread, "downloads-1", ...
        }
      } // waits for all; rethrows the first failure; DeadlineExceededException after 30 seconds
      // @end
    }
  }

  /** Context for the example on {@link QueueClosedException}. */
  static class QueueClosedExceptionExample {
    JoinableQueue<String> queue = JoinableQueue.bounded(1);

    void handle(String item) {}

    void run() throws InterruptedException {
      try { // @start region="queueClosedException"
        while (true) {
          handle(queue.take());
          queue.taskDone();
        }
      } catch (QueueClosedException end) {
        // closed and drained: this consumer is done
      }
      // @end
    }
  }

  /** Context for the example on {@link Deadline}. */
  static class DeadlineExample {
    String slowCall() {
      return "";
    }

    void run() throws InterruptedException {
      try (var group = TaskGroup.open(Deadline.after(Duration.ofSeconds(5)))) { // @start region="deadline"
        group.spawn(() -> slowCall());
      } // throws DeadlineExceededException if slowCall() ran past five seconds
      // @end
    }
  }

  /** Context for the example on {@link Tasks}. */
  static class TasksExample {
    List<URI> mirrors = List.of();
    List<URI> pages = List.of();

    byte[] fetch(URI mirror) {
      return new byte[0];
    }

    int size(URI page) {
      return 0;
    }

    void run() throws InterruptedException {
      try (var group = TaskGroup.open("mirrors")) { // @start region="tasks"
        List<Task<byte[]>> copies = mirrors.stream().map(m -> group.spawn(() -> fetch(m))).toList();
        byte[] fastest = Tasks.any(copies); // the first copy to arrive; the others are cancelled

        List<Task<Integer>> sizes = pages.stream().map(p -> group.spawn(() -> size(p))).toList();
        for (Task<Integer> done : Tasks.asCompleted(sizes, Deadline.after(Duration.ofSeconds(10)))) {
          System.out.println(done.name() + ": " + done.outcome());
        }
      }
      // @end
    }
  }

  /** Context for the example on {@link Throttle}. */
  static class ThrottleExample {
    List<String> urls = List.of();

    byte[] download(String url) {
      return new byte[0];
    }

    void run() throws InterruptedException {
      var throttle = Throttle.concurrency(10); // at most 10 downloads at once // @start region="throttle"
      try (var group = TaskGroup.open()) {
        for (String url : urls) {
          group.spawn(() -> {
            try (var permit = throttle.acquire()) {
              return download(url);
            }
          });
        }
      }
      // @end
    }
  }
}
