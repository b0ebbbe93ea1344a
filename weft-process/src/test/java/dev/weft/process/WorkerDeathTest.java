package dev.weft.process;

import static dev.weft.process.Fixtures.awaitMarkedPid;
import static dev.weft.process.Fixtures.callAsync;
import static dev.weft.process.Fixtures.failure;
import static dev.weft.process.Fixtures.markThenBlock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A worker that dies fails only its task, with the exit status or signal named; the pool goes on. */
@Timeout(90) // a broken worker protocol fails the class instead of hanging the build
class WorkerDeathTest {
  private static ProcessPool pool;

  @BeforeAll
  static void startPool() {
    // a small heap so that the out-of-memory test is quick; one worker so each death is seen
    pool = ProcessPool.start(ProcessPool.Options.workers(1).withJvmOptions(List.of("-Xmx48m")));
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @Test
  void aWorkerKilledMidTaskFailsOnlyThatTaskNamingTheSignal(@TempDir Path dir) throws Exception {
    Path marker = dir.resolve("pid");
    var call = callAsync(pool, markThenBlock(marker));
    long pid = awaitMarkedPid(marker);

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    Outcome<String> outcome = call.result().get(20, TimeUnit.SECONDS);
    assertThat(failure(outcome))
        .isInstanceOf(WorkerDiedException.class)
        .hasMessageMatching("worker \\d+ died with signal 9 \\(SIGKILL\\)");
    assertThat(pool.call((SerializableCallable<String>) () -> "next").value()).isEqualTo("next");
  }

  @Test
  void systemExitInATaskFailsItWithTheExitStatus() throws InterruptedException {
    Outcome<Object> outcome = pool.call((SerializableCallable<Object>) () -> {
      System.exit(7);
      return null;
    });

    assertThat(failure(outcome)).isInstanceOf(WorkerDiedException.class).hasMessageMatching("worker \\d+ exited with status 7");
    assertThat(((WorkerDiedException) failure(outcome)).workerId()).isPositive();
    assertThat(pool.call((SerializableCallable<String>) () -> "next").value()).isEqualTo("next");
  }

  @Test
  void outOfMemoryKillsTheWorkerAndFailsTheTaskNamingTheError() throws InterruptedException {
    Outcome<Integer> outcome = pool.call((SerializableCallable<Integer>) () -> new long[200_000_000].length);

    assertThat(failure(outcome))
        .isInstanceOf(WorkerDiedException.class)
        .hasMessageMatching("worker \\d+ died of java.lang.OutOfMemoryError: Java heap space");
    assertThat(pool.call((SerializableCallable<String>) () -> "next").value()).isEqualTo("next");
  }

  @Test
  void anIdleWorkerThatDiesIsForgottenAndReplacedWhenNeeded() throws InterruptedException {
    pool.call((SerializableCallable<Integer>) () -> 1);
    long pid = pool.workers().getFirst().pid();

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    Fixtures.awaitGone(pid);
    org.awaitility.Awaitility.await().atMost(Fixtures.BOUND).until(() -> pool.workers().isEmpty());

    Outcome<Long> next = pool.call((SerializableCallable<Long>) () -> ProcessHandle.current().pid());
    assertThat(next.value()).isNotEqualTo(pid);
  }
}
