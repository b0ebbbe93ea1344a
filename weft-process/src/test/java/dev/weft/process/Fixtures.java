package dev.weft.process;

import static org.awaitility.Awaitility.await;

import dev.weft.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** Tasks and helpers shared by the tests: tasks are static so their lambdas capture little. */
final class Fixtures {
  static final Duration BOUND = Duration.ofSeconds(20);

  private Fixtures() {}

  /** A task that writes its worker's pid to {@code marker}, then blocks until killed. */
  static SerializableCallable<String> markThenBlock(Path marker) {
    String file = marker.toString();
    return () -> {
      Files.writeString(Path.of(file), Long.toString(ProcessHandle.current().pid()));
      new CountDownLatch(1).await();
      return "never";
    };
  }

  /** The pid that a {@link #markThenBlock} task wrote, once it is there. */
  static long awaitMarkedPid(Path marker) {
    await().atMost(BOUND).until(() -> Files.exists(marker) && !Files.readString(marker).isEmpty());
    try {
      return Long.parseLong(Files.readString(marker).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Calls {@code task} on {@code pool} from a new virtual thread. */
  static <T> Call<T> callAsync(ProcessPool pool, Callable<T> task) {
    var result = new CompletableFuture<Outcome<T>>();
    Thread thread = Thread.ofVirtual().start(() -> {
      try {
        result.complete(pool.call(task));
      } catch (Throwable error) {
        result.completeExceptionally(error);
      }
    });
    return new Call<>(thread, result);
  }

  record Call<T>(Thread thread, CompletableFuture<Outcome<T>> result) {}

  /** Awaits the end of process {@code pid}. */
  static void awaitGone(long pid) {
    await().atMost(BOUND).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
  }

  static Throwable failure(Outcome<?> outcome) {
    if (outcome instanceof Outcome.Failure<?>(var error)) {
      return error;
    }
    throw new AssertionError("expected a failure: " + outcome);
  }
}
