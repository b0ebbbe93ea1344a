package dev.weft.process;

import static dev.weft.process.Fixtures.awaitGone;
import static dev.weft.process.Fixtures.awaitMarkedPid;
import static dev.weft.process.Fixtures.markThenBlock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Pool;
import dev.weft.PoolIterator;
import dev.weft.Progress;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The process pool through weft-core's {@link Pool} interface, with work that can cross processes. */
@Timeout(90) // a broken worker protocol fails the class instead of hanging the build
class ProcessPoolAsPoolTest {
  private static final SerializableFunction<Integer, Long> SQUARE_IN_WORKER = i -> (long) i * i;
  private static ProcessPool workers;
  private static Pool pool;

  @BeforeAll
  static void start() {
    workers = ProcessPool.start(ProcessPool.Options.workers(2).withName("as-pool"));
    pool = workers.asPool();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    pool.close();
    assertThat(workers.workers()).isEmpty();
  }

  @Test
  void submitRunsTheTaskInAWorkerAndJoinReturnsItsValue() throws InterruptedException {
    Task<Long> pid = pool.submit("pid", (SerializableCallable<Long>) () -> ProcessHandle.current().pid());

    assertThat(pid.join()).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(pid.name()).isEqualTo("pid");
    assertThat(pool.maxConcurrent()).isEqualTo(2);
  }

  @Test
  void mapsKeepTheirOrderAndReportProgress() throws InterruptedException {
    List<Integer> items = IntStream.range(0, 40).boxed().toList();
    List<Long> squares = items.stream().map(i -> (long) i * i).toList();
    var progress = Progress.create(items.size());

    List<Long> mapped = pool.map(SQUARE_IN_WORKER, items, progress);
    List<Long> unordered = new ArrayList<>();
    try (PoolIterator<Long> iterator = pool.imapUnordered(SQUARE_IN_WORKER, items)) {
      iterator.forEachRemaining(unordered::add);
    }
    List<Long> lazy = new ArrayList<>();
    try (PoolIterator<Long> iterator = pool.imap(SQUARE_IN_WORKER, items)) {
      iterator.forEachRemaining(lazy::add);
    }
    Task<List<Long>> async = pool.mapAsync(SQUARE_IN_WORKER, items);

    assertThat(mapped).isEqualTo(squares);
    assertThat(progress.done()).isEqualTo(items.size());
    assertThat(unordered).containsExactlyInAnyOrderElementsOf(squares);
    assertThat(lazy).isEqualTo(squares);
    assertThat(async.join()).isEqualTo(squares);
  }

  @Test
  void failuresAreRethrownAsIfTheTaskHadRunInPlace() {
    Task<Object> unchecked = pool.submit((SerializableCallable<Object>) () -> {
      throw new IllegalStateException("boom");
    });
    Task<Object> checked = pool.submit((SerializableCallable<Object>) () -> {
      throw new IOException("disk");
    });
    SerializableFunction<Integer, Integer> failOnThree = i -> {
      if (i == 3) {
        throw new IllegalArgumentException("three");
      }
      return i;
    };

    assertThatThrownBy(unchecked::join).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThatThrownBy(checked::join).isInstanceOf(TaskFailedException.class).hasCauseInstanceOf(IOException.class);
    assertThatThrownBy(() -> pool.map(failOnThree, List.of(1, 2, 3, 4))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("three");
  }

  @Test
  void unsendableWorkFailsItsTaskAtOnce() {
    Object notSerializable = new Object();
    Task<String> task = pool.submit((SerializableCallable<String>) notSerializable::toString);
    dev.weft.TaskFunction<Integer, Integer> plain = i -> i;

    assertThatThrownBy(task::join)
        .isInstanceOf(UnsendableException.class)
        .hasMessage("task cannot be sent to a worker: java.lang.Object is not Serializable");
    assertThatThrownBy(() -> pool.map(plain, List.of(1)))
        .isInstanceOf(UnsendableException.class)
        .hasMessageContaining("is not Serializable");
  }

  @Test
  void cancellingATaskKillsItsWorker(@TempDir Path dir) throws InterruptedException {
    Path marker = dir.resolve("pid");
    Task<String> task = pool.submit(markThenBlock(marker));
    long pid = awaitMarkedPid(marker);

    assertThat(task.cancel()).isTrue();

    awaitGone(pid);
    assertThat(task.state()).isEqualTo(Future.State.CANCELLED);
    assertThatThrownBy(task::join).isInstanceOf(CancellationException.class);
    assertThat(pool.submit((SerializableCallable<String>) () -> "next").join()).isEqualTo("next");
  }
}
