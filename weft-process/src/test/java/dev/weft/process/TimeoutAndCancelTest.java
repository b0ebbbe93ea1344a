package dev.weft.process;

import static dev.weft.process.Fixtures.awaitGone;
import static dev.weft.process.Fixtures.awaitMarkedPid;
import static dev.weft.process.Fixtures.callAsync;
import static dev.weft.process.Fixtures.failure;
import static dev.weft.process.Fixtures.markThenBlock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.DeadlineExceededException;
import dev.weft.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Timeouts and cancellation kill the worker for real; close waits, shutdownNow kills. */
@Timeout(90) // a broken worker protocol fails the class instead of hanging the build
class TimeoutAndCancelTest {
  private static ProcessPool pool;

  @BeforeAll
  static void startPool() {
    pool = ProcessPool.start(ProcessPool.Options.workers(1));
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @Test
  void aTaskPastItsTimeoutFailsAndItsWorkerIsKilled(@TempDir Path dir) throws InterruptedException {
    Path marker = dir.resolve("pid");

    Outcome<String> outcome = pool.call(markThenBlock(marker), Duration.ofMillis(300));

    assertThat(failure(outcome))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageMatching("task did not finish within PT0.3S: worker \\d+ killed");
    awaitGone(awaitMarkedPid(marker));
    assertThat(pool.call((SerializableCallable<String>) () -> "next").value()).isEqualTo("next");
    assertThat(pool.stats().killed()).isPositive();
  }

  @Test
  void interruptingTheCallerKillsTheWorker(@TempDir Path dir) throws Exception {
    Path marker = dir.resolve("pid");
    var call = callAsync(pool, markThenBlock(marker));
    long pid = awaitMarkedPid(marker);

    call.thread().interrupt();

    assertThatThrownBy(() -> call.result().get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    awaitGone(pid);
    assertThat(pool.call((SerializableCallable<String>) () -> "next").value()).isEqualTo("next");
  }

  @Test
  void closeWaitsForTheRunningTaskAndThenStopsTheWorkers() throws Exception {
    var own = ProcessPool.start(ProcessPool.Options.workers(1).withName("closing"));
    var gate = java.nio.file.Files.createTempFile("weft-gate", "");
    String gateFile = gate.toString();
    var call = callAsync(own, (SerializableCallable<String>) () -> {
      while (java.nio.file.Files.exists(java.nio.file.Path.of(gateFile))) {
        Thread.onSpinWait();
      }
      return "finished";
    });
    org.awaitility.Awaitility.await().atMost(Fixtures.BOUND).until(() -> !own.workers().isEmpty()
        && own.workers().getFirst().state() == ProcessPool.Worker.State.BUSY);
    long pid = own.workers().getFirst().pid();
    var closer = Thread.ofVirtual().start(own::close);
    org.awaitility.Awaitility.await().atMost(Fixtures.BOUND).until(() -> {
      try {
        own.call((SerializableCallable<Integer>) () -> 1);
        return false;
      } catch (IllegalStateException closed) {
        return closed.getMessage().equals("ProcessPool[closing] closed");
      }
    });

    java.nio.file.Files.delete(gate);

    assertThat(call.result().get(20, TimeUnit.SECONDS).value()).isEqualTo("finished");
    assertThat(closer.join(Duration.ofSeconds(20))).isTrue();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void shutdownNowKillsRunningWorkers(@TempDir Path dir) throws Exception {
    var own = ProcessPool.start(ProcessPool.Options.workers(1));
    Path marker = dir.resolve("pid");
    var call = callAsync(own, markThenBlock(marker));
    long pid = awaitMarkedPid(marker);

    own.shutdownNow();

    assertThat(failure(call.result().get(20, TimeUnit.SECONDS)))
        .isInstanceOf(WorkerDiedException.class)
        .hasMessageMatching("worker \\d+ was killed by shutdownNow");
    awaitGone(pid);
  }
}
