package dev.weft.examples;

import dev.weft.Clock;
import dev.weft.TaskGroup;
import dev.weft.Throttle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The asyncio semaphore idiom: spawn a task per request, but let only a few talk to the server at
 * once. With {@code Throttle.concurrency(3)} twenty "requests" run at most three at a time;
 * {@code Throttle.rate(10, 1 s)} would instead cap how many start per second.
 *
 * <p>The common mistake, shown as {@code broken}: a throttle made inside each task limits nothing,
 * because every task has its own (in asyncio: {@code async with asyncio.Semaphore(3):} inside the
 * coroutine). The throttle must be shared.
 */
public final class ThrottledRequests {
  private ThrottledRequests() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("broken: at most " + broken() + " at once (a throttle per task)");
    System.out.println("fixed:  at most " + fixed() + " at once (one shared throttle)");
  }

  @SuppressWarnings("try") // the permit is held for the block, never read
  static int fixed() throws InterruptedException {
    var throttle = Throttle.concurrency(3);
    var load = new Load();
    try (var group = TaskGroup.open("requests")) {
      for (int i = 0; i < 20; i++) {
        group.spawn(
            () -> {
              try (var permit = throttle.acquire()) {
                return load.request();
              }
            });
      }
    }
    return load.peak.get();
  }

  @SuppressWarnings("try")
  static int broken() throws InterruptedException {
    var load = new Load();
    try (var group = TaskGroup.open("requests")) {
      for (int i = 0; i < 20; i++) {
        group.spawn(
            () -> {
              try (var permit = Throttle.concurrency(3).acquire()) { // wrong: a new throttle each time
                return load.request();
              }
            });
      }
    }
    return load.peak.get();
  }

  /** Stands in for a server: counts how many requests are in flight at once. */
  private static final class Load {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();

    String request() throws InterruptedException {
      peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Clock.system().sleep(Duration.ofMillis(50));
        return "ok";
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }
}
