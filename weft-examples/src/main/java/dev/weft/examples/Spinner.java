package dev.weft.examples;

import dev.weft.Clock;
import dev.weft.Task;
import dev.weft.TaskGroup;
import java.time.Duration;

/**
 * The spinner from Fluent Python's concurrency chapter: a task animates {@code \|/-} while the
 * main work runs, and is cancelled when the work is done. The slow work here is a blocking sleep;
 * it could be a blocking HTTP call or a database query — no callbacks, no event loop.
 *
 * <p>Run: {@code ./weft examples spinner} or {@code java dev.weft.examples.Spinner}.
 */
public final class Spinner {
  private Spinner() {}

  @SuppressWarnings("try") // TaskGroup.close() may throw InterruptedException, which main lets through
  public static void main(String[] args) throws InterruptedException {
    int answer;
    try (var group = TaskGroup.open("spinner")) {
      Task<Void> spinner = group.spawn("spin", () -> spin("thinking!"));
      answer = slow();
      spinner.cancel(); // interrupts the spinner's sleep: cancellation is immediate
    } // close() waits until the spinner has erased its line: no task outlives the block
    System.out.println("Answer: " + answer);
  }

  /** Draws the spinner until cancelled, then erases it. */
  static Void spin(String message) {
    String frames = "\\|/-";
    try {
      for (int i = 0; ; i++) {
        System.out.print("\r" + frames.charAt(i % frames.length()) + " " + message);
        System.out.flush();
        Clock.system().sleep(Duration.ofMillis(100));
      }
    } catch (InterruptedException cancelled) {
      System.out.print("\r" + " ".repeat(message.length() + 2) + "\r");
      return null;
    }
  }

  /** Stands in for slow blocking work. */
  static int slow() throws InterruptedException {
    Clock.system().sleep(Duration.ofSeconds(2));
    return 42;
  }
}
