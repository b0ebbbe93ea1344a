package dev.weft.process;

import dev.weft.Clock;
import dev.weft.DeadlineExceededException;
import dev.weft.Outcome;
import dev.weft.Pool;
import dev.weft.process.internal.Codec;
import dev.weft.process.internal.Wire;
import dev.weft.process.internal.WorkerProcess;
import dev.weft.process.internal.WorkerSet;
import java.io.IOException;
import java.io.NotSerializableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A set of child JVMs that run tasks one at a time each, for isolation: native or leaky code,
 * memory that must be given back, crashes that must not take the application down, work that
 * must be killed for real.
 *
 * {@snippet class="dev.weft.process.snippets.ProcessSnippets" region="processPool" :
 * try (Pool pool = ProcessPool.create(2)) {          // the same Pool as Pool.threads(2)
 *   SerializableFunction<Integer, Long> square = i -> (long) i * i;
 *   List<Long> squares = pool.map(square, List.of(1, 2, 3)); // computed in two child JVMs
 * }
 *
 * ProcessPool workers = ProcessPool.start(ProcessPool.Options.workers(2)); // to see the workers
 * try (Pool pool = workers.asPool()) {
 *   Task<Long> pid = pool.submit((SerializableCallable<Long>) () -> ProcessHandle.current().pid());
 *   System.out.println(pid.join() + " among " + workers.workers());
 * }
 * }
 *
 * <p>{@link #create} returns weft-core's {@link Pool}, so {@code submit}, {@code map}, {@code
 * imap}, {@code imapUnordered}, {@code mapAsync} and {@link dev.weft.Progress} behave exactly as
 * on {@link Pool#threads(int)}; {@link #start} returns this object, which also runs one task on
 * the calling thread ({@link #call}) and shows the live workers.
 *
 * <p>A task travels as a serialized {@link Callable} (declare lambdas as {@link
 * SerializableCallable}) over the worker's stdin, with the list of classes it contains; the
 * worker's deserialization filter accepts exactly those classes. The value or failure comes back
 * the same way, and the parent accepts classes from the JDK's value packages, weft's, the task's
 * own packages and {@link Options#allowedPackages()}. Anything that cannot cross fails the task
 * at once with {@link UnsendableException}.
 *
 * <p>A worker that dies fails only its task, with {@link WorkerDiedException} naming the exit
 * status or signal; the pool starts another one (at once if {@link Start#EAGER}, when next needed
 * if {@link Start#LAZY}). A task past its timeout gets {@link DeadlineExceededException} and its
 * worker is killed. Interrupting the caller of {@link #call} (what cancelling a pool task does)
 * kills the worker. Workers end when the parent dies, even by {@code kill -9}.
 *
 * <h2>Comparison with Python's {@code multiprocessing.Pool} and {@code ProcessPoolExecutor}</h2>
 *
 * There is no fork: a worker is a fresh JVM started with the parent's class and module path, so
 * nothing of the parent's state is inherited by accident. A dead worker does not break the pool
 * ({@code BrokenProcessPool}), an unpicklable result does not hang it, and a timeout or a
 * cancellation really stops the work. {@link #workers()} is {@code active_children()}; {@link
 * Options#maxTasksPerWorker()} is {@code maxtasksperchild}.
 *
 * <p>Thread contract: every method may be called from any thread; {@link #call} blocks its caller
 * (a virtual thread is the natural caller) while one worker runs the task.
 */
public final class ProcessPool implements AutoCloseable {
  private final Options options;
  /** The packages accepted in every result: the JDK's value packages, weft's and the user's. */
  private final Set<String> resultPackages;
  private final WorkerSet workers;
  private final AtomicLong taskIds = new AtomicLong();
  private final AtomicLong tasksFailed = new AtomicLong();

  private ProcessPool(Options options) {
    this.options = options;
    Set<String> packages = new HashSet<>(Codec.JDK_PACKAGES);
    packages.addAll(options.allowedPackages());
    this.resultPackages = Set.copyOf(packages);
    this.workers =
        new WorkerSet(
            new WorkerSet.Settings(
                options.name(), options.workers(), options.start() == Start.EAGER,
                options.maxTasksPerWorker(), options.jvmOptions(), options.clock()));
  }

  /** A lazily started pool of {@code workers} processes. */
  public static ProcessPool start(int workers) {
    return start(Options.workers(workers));
  }

  /** A pool with {@code options}; an eager pool starts its processes before returning. */
  public static ProcessPool start(Options options) {
    var pool = new ProcessPool(Objects.requireNonNull(options, "options"));
    if (options.start() == Start.EAGER) {
      pool.workers.fill();
    }
    return pool;
  }

  /** A lazily started pool of {@code workers} processes, as a {@link Pool}. */
  public static Pool create(int workers) {
    return create(Options.workers(workers));
  }

  /**
   * A pool with {@code options}, as a {@link Pool}: {@code submit}, {@code map}, {@code imap},
   * {@code imapUnordered}, {@code mapAsync} and {@link dev.weft.Progress} behave as on {@link
   * Pool#threads(int)}, each task running in a worker. Closing the pool stops the workers.
   */
  public static Pool create(Options options) {
    return start(options).asPool();
  }

  /**
   * A {@link Pool} that runs each task in this pool's workers, at most {@link Options#workers()}
   * at once; cancelling a task kills its worker, and closing the {@code Pool} closes this one.
   * Keep this object to see {@link #workers()} and {@link #stats()}.
   */
  public Pool asPool() {
    return Pool.builder()
        .name(options.name())
        .maxConcurrent(options.workers())
        .clock(options.clock())
        .around((taskName, work) -> () -> run(work))
        .onClose(this)
        .build();
  }

  /** Runs {@code work} in a worker and returns or throws what it returned or threw there. */
  private Object run(Callable<?> work) throws Exception {
    return switch (call(work)) {
      case Outcome.Success<?>(var value) -> value;
      case Outcome.Failure<?>(Exception error) -> throw error;
      case Outcome.Failure<?>(Error error) -> throw error;
      case Outcome.Failure<?>(var error) -> throw new UnsendableException("task failed with " + error, error);
      case Outcome.Cancelled<?>() -> throw new CancellationException("task cancelled");
    };
  }

  /** Runs {@code task} in a worker, with the pool's task timeout, and returns how it ended. */
  public <T> Outcome<T> call(Callable<T> task) throws InterruptedException {
    return call(task, options.taskTimeout());
  }

  /**
   * Runs {@code task} in a worker and returns how it ended; a {@code timeout} of zero means none.
   * Waits for a free worker first. If the calling thread is interrupted while the task runs, the
   * worker is killed and {@link InterruptedException} thrown.
   *
   * @throws IllegalStateException if the pool is closed
   */
  public <T> Outcome<T> call(Callable<T> task, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(timeout, "timeout");
    Codec.Encoded encoded;
    try {
      encoded = Codec.encode(task);
    } catch (NotSerializableException e) {
      return failed(new UnsendableException(notSerializable("task cannot be sent to a worker", e)));
    } catch (IOException | RuntimeException e) {
      return failed(new UnsendableException("task cannot be sent to a worker: " + e, e));
    }
    WorkerProcess worker = workers.acquire();
    try {
      return exchange(worker, encoded, timeout);
    } finally {
      workers.release(worker);
    }
  }

  private <T> Outcome<T> exchange(WorkerProcess worker, Codec.Encoded task, Duration timeout)
      throws InterruptedException {
    var message = new Wire.Message(Wire.TASK, taskIds.incrementAndGet(), List.copyOf(task.classes()), task.bytes());
    Wire.Message reply;
    try {
      reply = worker.exchange(message, timeout.isZero() ? null : timeout);
    } catch (TimeoutException e) {
      workers.kill(worker, "was killed after the task timeout of " + timeout);
      return failed(new DeadlineExceededException(
          "task did not finish within " + timeout + ": worker " + worker.id() + " killed"));
    } catch (InterruptedException e) {
      workers.kill(worker, "was killed because its task was cancelled");
      throw e;
    }
    return switch (reply.type()) {
      case Wire.VALUE -> received(reply, task, worker);
      case Wire.THROWN -> this.<Throwable>received(reply, task, worker) instanceof Outcome.Success<Throwable>(var error)
          ? failed(error)
          : failed(new UnsendableException("failure cannot be received from worker " + worker.id()));
      case Wire.UNSENDABLE -> failed(new UnsendableException(reply.string(0)));
      default -> failed(new WorkerDiedException(reply.string(0), worker.id()));
    };
  }

  @SuppressWarnings("unchecked")
  private <T> Outcome<T> received(Wire.Message reply, Codec.Encoded task, WorkerProcess worker) {
    Codec.Filter filter = Codec.packages(resultPackages, task.packages());
    String what = reply.type() == Wire.VALUE ? "result" : "failure";
    try {
      return new Outcome.Success<>((T) Codec.decode(reply.body(), filter));
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      String why = filter.rejected() != null
          ? "class is not allowed by the parent's filter: " + filter.rejected()
              + " (allow its package with ProcessPool.Options.withAllowedPackages)"
          : e.toString();
      return failed(new UnsendableException(what + " cannot be received from worker " + worker.id() + ": " + why, e));
    }
  }

  private <T> Outcome<T> failed(Throwable error) {
    tasksFailed.incrementAndGet();
    return new Outcome.Failure<>(error);
  }

  private static String notSerializable(String what, NotSerializableException e) {
    String type = e.getMessage();
    String fix = type != null && type.contains("$$Lambda") ? " (declare the lambda as a SerializableCallable)" : "";
    return what + ": " + type + " is not Serializable" + fix;
  }

  /** Waits until every live worker is ready to take a task (or has died trying). */
  public void awaitStarted() throws InterruptedException {
    for (WorkerProcess worker : workers.live()) {
      worker.awaitReady();
    }
  }

  /** The live worker processes, oldest first: Python's {@code active_children()}. */
  public List<Worker> workers() {
    Set<WorkerProcess> idle = workers.idle();
    List<Worker> list = new ArrayList<>();
    for (WorkerProcess worker : workers.live()) {
      Worker.State state = !worker.isReady() ? Worker.State.STARTING
          : idle.contains(worker) ? Worker.State.IDLE : Worker.State.BUSY;
      list.add(new Worker(worker.id(), worker.pid(), state, worker.tasksRun()));
    }
    return List.copyOf(list);
  }

  /** Counters of this pool. */
  public Stats stats() {
    WorkerSet.Counts counts = workers.counts();
    return new Stats(counts.live(), counts.busy(), counts.started(), counts.died(), counts.killed(),
        counts.recycled(), taskIds.get(), tasksFailed.get());
  }

  /** The options this pool was made with. */
  public Options options() {
    return options;
  }

  /**
   * Refuses new tasks, waits for the running ones, then stops every worker and waits for it. As
   * with {@link java.util.concurrent.ExecutorService#close()}, an interrupt while waiting turns
   * into {@link #shutdownNow()} and the interrupt status is kept: {@code close} does not declare
   * {@link InterruptedException}, which would make every try-with-resources block catch it.
   */
  @Override
  public void close() {
    try {
      workers.close();
    } catch (InterruptedException e) {
      shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Refuses new tasks and kills every worker; running tasks fail with {@link WorkerDiedException}. */
  public void shutdownNow() {
    workers.shutdownNow("was killed by shutdownNow");
  }

  @Override
  public String toString() {
    return "ProcessPool[" + options.name() + "]";
  }

  /** When a pool starts its workers. */
  public enum Start {
    /** Each worker starts when a task first needs it. */
    LAZY,
    /** Every worker starts with the pool, and a dead or retired one is replaced at once. */
    EAGER
  }

  /** A live worker process, as {@link #workers()} reports it. */
  public record Worker(int id, long pid, State state, int tasksRun) {
    /** What a worker is doing. */
    public enum State {
      /** The process is starting and has not yet said it is ready. */
      STARTING,
      /** Ready and waiting for a task. */
      IDLE,
      /** Running a task. */
      BUSY
    }
  }

  /**
   * Counters of a pool: live and busy workers; workers started, died (any end but retirement or
   * close), killed by the pool (timeouts, cancellations) and recycled after {@code
   * maxTasksPerWorker}; tasks sent and failed.
   */
  public record Stats(int live, int busy, long started, long died, long killed, long recycled, long tasks, long failed) {}

  /**
   * How a pool runs: its name (in messages), number of workers, {@link Start}, tasks per worker
   * before it is replaced (0: never), task timeout (zero: none), extra JVM options for the
   * workers (such as {@code -Xmx64m}), packages whose classes results may contain beyond the
   * defaults, and the clock for timeouts.
   *
   * <p>Workers start with the serial collector ({@code -XX:+UseSerialGC}: no GC threads competing
   * with other workers for the cores) and with the JVM's own messages sent to stderr, away from the
   * reply channel. The JVM options given here come after those flags, so they win; choosing
   * another collector ({@code -XX:+UseG1GC}, ...) replaces the serial one.
   *
   * {@snippet :
   * var options = ProcessPool.Options.workers(4)
   *     .withStart(ProcessPool.Start.EAGER)
   *     .withMaxTasksPerWorker(100)
   *     .withTaskTimeout(Duration.ofSeconds(30))
   *     .withJvmOptions(List.of("-Xmx256m"));
   * }
   */
  public record Options(
      String name,
      int workers,
      Start start,
      int maxTasksPerWorker,
      Duration taskTimeout,
      List<String> jvmOptions,
      Set<String> allowedPackages,
      Clock clock) {
    public Options {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(taskTimeout, "taskTimeout");
      Objects.requireNonNull(clock, "clock");
      if (workers <= 0) {
        throw new IllegalArgumentException("workers must be > 0: " + workers);
      }
      if (maxTasksPerWorker < 0) {
        throw new IllegalArgumentException("maxTasksPerWorker must be >= 0: " + maxTasksPerWorker);
      }
      if (taskTimeout.isNegative()) {
        throw new IllegalArgumentException("taskTimeout must be >= 0: " + taskTimeout);
      }
      jvmOptions = List.copyOf(jvmOptions);
      allowedPackages = Set.copyOf(allowedPackages);
    }

    /** {@code workers} lazily started workers, reused forever, no timeout, the system clock. */
    public static Options workers(int workers) {
      return new Options("process", workers, Start.LAZY, 0, Duration.ZERO, List.of(), Set.of(), Clock.system());
    }

    public Options withName(String name) {
      return new Options(name, workers, start, maxTasksPerWorker, taskTimeout, jvmOptions, allowedPackages, clock);
    }

    public Options withStart(Start start) {
      return new Options(name, workers, start, maxTasksPerWorker, taskTimeout, jvmOptions, allowedPackages, clock);
    }

    public Options withMaxTasksPerWorker(int max) {
      return new Options(name, workers, start, max, taskTimeout, jvmOptions, allowedPackages, clock);
    }

    public Options withTaskTimeout(Duration timeout) {
      return new Options(name, workers, start, maxTasksPerWorker, timeout, jvmOptions, allowedPackages, clock);
    }

    public Options withJvmOptions(List<String> options) {
      return new Options(name, workers, start, maxTasksPerWorker, taskTimeout, options, allowedPackages, clock);
    }

    public Options withAllowedPackages(Set<String> packages) {
      return new Options(name, workers, start, maxTasksPerWorker, taskTimeout, jvmOptions, packages, clock);
    }

    public Options withClock(Clock clock) {
      return new Options(name, workers, start, maxTasksPerWorker, taskTimeout, jvmOptions, allowedPackages, clock);
    }
  }
}
