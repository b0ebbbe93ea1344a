package dev.weft.process;

import static dev.weft.process.Fixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Outcome;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tasks and their values, failures and unsendable parts, on one shared pool of two workers. */
@Timeout(90) // a broken worker protocol fails the class instead of hanging the build
class ProcessPoolTest {
  private static ProcessPool pool;

  @BeforeAll
  static void startPool() {
    pool = ProcessPool.start(ProcessPool.Options.workers(2).withName("shared"));
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @Test
  void runsTheTaskInAnotherProcessAndReturnsItsValue() throws InterruptedException {
    long parent = ProcessHandle.current().pid();
    Outcome<Long> pid = pool.call((SerializableCallable<Long>) () -> ProcessHandle.current().pid());
    Outcome<Long> sum = pool.call((SerializableCallable<Long>) () -> LongStream.rangeClosed(1, 100).sum());

    assertThat(pid.value()).isNotEqualTo(parent);
    assertThat(sum.value()).isEqualTo(5050L);
  }

  @Test
  void capturedArgumentsTravelWithTheTask() throws InterruptedException {
    List<String> words = List.of("a", "bb", "ccc");
    record Point(int x, int y) implements java.io.Serializable {}
    var point = new Point(3, 4);

    Outcome<Integer> total = pool.call((SerializableCallable<Integer>) () -> words.stream().mapToInt(String::length).sum());
    Outcome<Point> moved = pool.call((SerializableCallable<Point>) () -> new Point(point.x() + 1, point.y() + 1));

    assertThat(total.value()).isEqualTo(6);
    assertThat(moved.value()).isEqualTo(new Point(4, 5));
  }

  @Test
  void aThrownExceptionComesBackAsItWas() throws InterruptedException {
    Outcome<Object> unchecked = pool.call((SerializableCallable<Object>) () -> {
      throw new IllegalStateException("boom");
    });
    Outcome<Object> checked = pool.call((SerializableCallable<Object>) () -> {
      throw new IOException("disk");
    });

    assertThat(failure(unchecked)).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(failure(checked)).isInstanceOf(IOException.class).hasMessage("disk");
  }

  @Test
  void anUnsendableTaskFailsAtOnceNamingTheClass() throws InterruptedException {
    Object lock = new Object();
    Outcome<String> captured = pool.call((SerializableCallable<String>) () -> lock.toString());
    Callable<String> plain = () -> "x";
    Outcome<String> notSerializable = pool.call(plain);

    assertThat(failure(captured))
        .isInstanceOf(UnsendableException.class)
        .hasMessage("task cannot be sent to a worker: java.lang.Object is not Serializable");
    assertThat(failure(notSerializable))
        .isInstanceOf(UnsendableException.class)
        .hasMessageStartingWith("task cannot be sent to a worker: dev.weft.process.ProcessPoolTest$$Lambda")
        .hasMessageEndingWith(" is not Serializable (declare the lambda as a SerializableCallable)");
  }

  @Test
  void anUnsendableResultFailsTheTaskAndTheWorkerGoesOn() throws InterruptedException {
    Outcome<Object> result = pool.call((SerializableCallable<Object>) Object::new);
    Outcome<Object> thread = pool.call((SerializableCallable<Object>) Thread::currentThread);
    Outcome<String> after = pool.call((SerializableCallable<String>) () -> "still here");

    assertThat(failure(result))
        .isInstanceOf(UnsendableException.class)
        .hasMessageMatching("result cannot be sent back from worker \\d+: java.lang.Object is not Serializable");
    assertThat(failure(thread)).hasMessageEndingWith("java.lang.Thread is not Serializable");
    assertThat(after.value()).isEqualTo("still here");
  }

  @Test
  void theParentsFilterRejectsAResultClassFromAnotherPackage() throws InterruptedException {
    Outcome<URI> uri = pool.call((SerializableCallable<URI>) () -> URI.create("http://example.org/"));

    assertThat(failure(uri))
        .isInstanceOf(UnsendableException.class)
        .hasMessageMatching("result cannot be received from worker \\d+: class is not allowed by the parent's filter:"
            + " java.net.URI \\(allow its package with ProcessPool.Options.withAllowedPackages\\)");
  }

  @Test
  void whatATaskPrintsDoesNotCorruptTheChannel() throws InterruptedException {
    Outcome<String> printed = pool.call((SerializableCallable<String>) () -> {
      System.out.println("weft test: a line on the worker's System.out");
      System.out.flush();
      return "clean";
    });

    assertThat(printed.value()).isEqualTo("clean");
  }

  @Test
  void workersAreListedWithTheirPids() throws InterruptedException {
    pool.call((SerializableCallable<Integer>) () -> 1);

    assertThat(pool.workers()).isNotEmpty().allSatisfy(worker -> {
      assertThat(ProcessHandle.of(worker.pid())).isPresent();
      assertThat(worker.state()).isEqualTo(ProcessPool.Worker.State.IDLE);
    });
    assertThat(pool.stats().tasks()).isPositive();
    assertThat(pool.toString()).isEqualTo("ProcessPool[shared]");
  }

  @Test
  void optionsRejectNonsense() {
    assertThatThrownBy(() -> ProcessPool.Options.workers(-3)).hasMessage("workers must be > 0: -3");
    assertThatThrownBy(() -> ProcessPool.Options.workers(1).withMaxTasksPerWorker(-1))
        .hasMessage("maxTasksPerWorker must be >= 0: -1");
    assertThatThrownBy(() -> ProcessPool.Options.workers(1).withTaskTimeout(java.time.Duration.ofSeconds(-1)))
        .hasMessage("taskTimeout must be >= 0: PT-1S");
  }
}
