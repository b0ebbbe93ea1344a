package dev.weft.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Eager start, recycling after maxTasksPerWorker, and replacement of retired workers. */
@Timeout(90) // a broken worker protocol fails the class instead of hanging the build
class RecyclingTest {
  private static final SerializableCallable<Long> PID = () -> ProcessHandle.current().pid();

  @Test
  void anEagerPoolStartsEveryWorkerAndRecyclesEachAfterItsLastTask() throws InterruptedException {
    var options = ProcessPool.Options.workers(2).withStart(ProcessPool.Start.EAGER).withMaxTasksPerWorker(2);
    try (var pool = ProcessPool.start(options)) {
      assertThat(pool.workers()).hasSize(2);
      pool.awaitStarted();
      assertThat(pool.workers()).extracting(ProcessPool.Worker::state).containsOnly(ProcessPool.Worker.State.IDLE);

      List<Long> pids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        pids.add(pool.call(PID).value());
      }

      // one caller at a time reuses the most recently idle worker: two tasks each on two processes
      assertThat(pids.get(0)).isEqualTo(pids.get(1));
      assertThat(pids.get(2)).isEqualTo(pids.get(3)).isNotEqualTo(pids.get(0));
      assertThat(pool.stats().recycled()).isEqualTo(2);
      await().atMost(Fixtures.BOUND).until(() -> pool.workers().size() == 2
          && pool.workers().stream().noneMatch(worker -> pids.contains(worker.pid())));
      Fixtures.awaitGone(pids.get(0));
    }
  }

  @Test
  void aLazyPoolStartsNoWorkerBeforeTheFirstTask() throws InterruptedException {
    try (var pool = ProcessPool.start(2)) {
      assertThat(pool.workers()).isEmpty();

      pool.call(PID);

      assertThat(pool.workers()).hasSize(1);
      assertThat(pool.stats().started()).isEqualTo(1);
    }
  }
}
