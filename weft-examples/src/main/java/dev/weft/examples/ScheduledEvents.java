package dev.weft.examples;

import dev.weft.Clock;
import dev.weft.Scheduler;
import java.time.Duration;
import java.time.Instant;

/**
 * Python's {@code sched}: events entered with a delay or an absolute time and a priority, run in
 * time order; events at the same time run by priority (lower first), then in the order entered.
 * One event is cancelled before it runs.
 *
 * {@snippet :
 * // Python:
 * // s = sched.scheduler(time.time, time.sleep)
 * // s.enter(0.2, 1, print, ("second",)); s.enter(0.1, 1, print, ("first",)); s.run()
 * }
 */
public final class ScheduledEvents {
  private ScheduledEvents() {}

  public static void main(String[] args) throws InterruptedException {
    var scheduler = Scheduler.create();
    Instant start = Clock.system().instant();

    // two events at the same instant: the lower priority number runs first. (Two enter() calls
    // with the same delay are not at the same time: each delay counts from its own call.)
    Instant at200 = start.plusMillis(200);
    scheduler.enterAt(at200, 1, () -> say(start, "at 200 ms, priority 1"));
    scheduler.enterAt(at200, 0, () -> say(start, "at 200 ms, priority 0 (runs first)"));
    scheduler.enter(Duration.ofMillis(100), 0, () -> say(start, "at 100 ms"));
    var dropped = scheduler.enter(Duration.ofMillis(150), 0, () -> say(start, "never printed"));
    scheduler.enterAt(start.plusMillis(300), 0, () -> say(start, "at an absolute time, 300 ms"));

    System.out.println("queued: " + scheduler.queue().size() + " events");
    System.out.println("cancelled one: " + scheduler.cancel(dropped));
    scheduler.run(); // runs on this thread, waiting between events, until the queue is empty
    System.out.println(scheduler.stats());
  }

  private static void say(Instant start, String what) {
    long ms = Duration.between(start, Clock.system().instant()).toMillis();
    System.out.printf("%4d ms  %s%n", ms, what);
  }
}
