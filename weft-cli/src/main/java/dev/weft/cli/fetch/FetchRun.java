package dev.weft.cli.fetch;

import dev.weft.Clock;
import dev.weft.Pool;
import dev.weft.PoolIterator;
import dev.weft.Progress;
import dev.weft.TaskFailedException;
import dev.weft.Throttle;
import dev.weft.cli.fetch.FetchResult.Result;
import java.io.IOException;
import java.io.Serial;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One run of {@code weft fetch}: every job on a {@link Pool#virtual(int) bounded pool of virtual
 * threads} through {@link Pool#imapUnordered}, each request behind an optional {@link
 * Throttle#rate rate throttle}, with retries, and each body written to a temporary file that is
 * renamed to its final name only when complete.
 *
 * <p>{@link #cancel()} (what Ctrl-C calls) stops the run from any thread: the transfers in flight
 * are interrupted, their temporaries deleted, and {@link #run} returns every job's result, the
 * unfinished ones {@link Result#CANCELLED}.
 *
 * <p>Thread contract: {@link #run} is called once, by the thread that then consumes the results;
 * the jobs run on the pool's virtual threads; the counters and the set of temporaries are
 * concurrent; {@link #cancel()} may be called from any thread.
 */
final class FetchRun {
  private static final long PID = ProcessHandle.current().pid();
  private final FetchPlan plan;
  private final Downloader downloader;
  private final Clock clock;
  private final Optional<Throttle> rate;
  private final Progress progress;
  private final LongAdder bytesReceived = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final Set<Path> temporaries = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicLong temporaryCounter = new AtomicLong();
  private volatile Thread runner; // the thread in run(), which cancel() interrupts

  FetchRun(FetchPlan plan, Downloader downloader, Clock clock, Progress progress) {
    this.plan = plan;
    this.downloader = downloader;
    this.clock = clock;
    this.progress = progress;
    this.rate = plan.rate().map(r -> Throttle.rate(r.permits(), r.per(), clock));
  }

  /** Body bytes received so far, by every attempt. */
  long bytesReceived() {
    return bytesReceived.sum();
  }

  /** Retries so far. */
  long retries() {
    return retries.sum();
  }

  /** Whether {@link #cancel()} was called. */
  boolean isCancelled() {
    return cancelled.get();
  }

  /**
   * Stops the run: interrupts the transfers in flight and makes {@link #run} return. Safe from any
   * thread, more than once.
   */
  void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      Thread current = runner;
      if (current != null) {
        current.interrupt();
      }
    }
  }

  /** Runs every job and returns their results in input order; never throws for a failed job. */
  List<FetchResult> run(List<FetchPlan.Job> jobs) {
    runner = Thread.currentThread();
    FetchResult[] results = new FetchResult[jobs.size()];
    Pool pool = Pool.virtual(plan.concurrency());
    try (PoolIterator<Done> done = pool.imapUnordered(job -> new Done(job.index(), fetch(job)), jobs)) {
      while (!cancelled.get() && done.hasNext()) {
        Done next = done.next();
        FetchResult result = next.result();
        results[next.index()] = result;
        if (result.succeeded()) {
          progress.advance();
        } else {
          progress.fail();
        }
      }
    } catch (CancellationException | TaskFailedException stopped) {
      if (!cancelled.get()) {
        throw stopped; // a bug: fetch() returns every failure as a result
      }
      // cancel() interrupted this thread, and the iterator cancelled the jobs in flight
    } finally {
      if (cancelled.get()) {
        pool.shutdownNow();
      }
      closeQuietly(pool);
      runner = null;
      Thread.interrupted(); // a cancel() that came after the loop
      deleteTemporaries();
    }
    for (int i = 0; i < results.length; i++) {
      if (results[i] == null) {
        results[i] = FetchResult.cancelled(jobs.get(i).uri(), jobs.get(i).name(), 0);
      }
    }
    return Arrays.asList(results);
  }

  private record Done(int index, FetchResult result) {}

  /** Waits for every job to end, even when interrupted again (shutdownNow was already called). */
  private static void closeQuietly(Pool pool) {
    boolean interrupted = false;
    while (true) {
      try {
        pool.close();
        break;
      } catch (InterruptedException again) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void deleteTemporaries() {
    for (Path temporary : List.copyOf(temporaries)) {
      try {
        Files.deleteIfExists(temporary);
        temporaries.remove(temporary);
      } catch (IOException e) {
        // reported below by the file staying behind; nothing else to do
      }
    }
  }

  /** One job, with its retries; runs on a pool thread. */
  FetchResult fetch(FetchPlan.Job job) throws InterruptedException {
    long start = clock.nanoTime();
    Path target = plan.dir().resolve(job.name());
    if (plan.resume() && Files.isRegularFile(target)) {
      return new FetchResult(job.uri(), job.name(), Result.SKIPPED, 0, size(target), Duration.ZERO, 0, "", "");
    }
    for (int attempt = 1; ; attempt++) {
      if (cancelled.get()) {
        return FetchResult.cancelled(job.uri(), job.name(), attempt - 1);
      }
      Attempt outcome = attempt(job, target);
      Duration time = Duration.ofNanos(clock.nanoTime() - start);
      if (!outcome.retryable() || attempt > plan.retries()) {
        return outcome.toResult(job, time, attempt);
      }
      retries.increment();
      clock.sleep(plan.backoff().delay(attempt, outcome.retryAfter(), clock.instant()));
    }
  }

  private Attempt attempt(FetchPlan.Job job, Path target) throws InterruptedException {
    if (rate.isPresent()) {
      rate.get().acquire().close();
    }
    var file = new Temporary(temporaryFor(job));
    try {
      Downloader.Response response;
      try (file) {
        response = downloader.download(plan.request(job.uri()), file, bytesReceived::add);
      }
      int status = response.status();
      if (status / 100 == 2) {
        file.moveTo(target);
        return Attempt.ok(status, response.bytes());
      }
      return Attempt.http(status, response.retryAfter());
    } catch (FetchTooLargeException e) {
      return Attempt.failed("too large", e.getMessage(), false);
    } catch (HttpTimeoutException e) {
      return Attempt.failed("timeout", e.getMessage(), true);
    } catch (DiskException e) {
      return Attempt.failed("write error", e.getCause().toString(), false);
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted() || cancelled.get()) {
        throw new InterruptedException("fetch of " + job.uri() + " cancelled");
      }
      return Attempt.failed("connection error", String.valueOf(e.getMessage() == null ? e : e.getMessage()), true);
    } catch (IllegalArgumentException e) {
      return Attempt.failed("bad request", String.valueOf(e.getMessage()), false); // the same next time
    } catch (RuntimeException e) {
      return Attempt.failed("error", e.toString(), false);
    } finally {
      file.deleteIfLeft();
    }
  }

  /**
   * A fresh hidden name beside the target: {@code .<name>.<pid>-<n>.part}, the name cut to keep within
   * file-name limits; created with the default permissions, as the final file should have.
   */
  private Path temporaryFor(FetchPlan.Job job) {
    String name = job.name().length() > 100 ? job.name().substring(0, 100) : job.name();
    return plan.dir().resolve("." + name + "." + PID + "-" + temporaryCounter.incrementAndGet() + ".part");
  }

  private void deleteQuietly(Path temporary) {
    try {
      Files.deleteIfExists(temporary);
      temporaries.remove(temporary);
    } catch (IOException e) {
      // left in the set: deleteTemporaries() tries again at the end
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** One attempt's ending, before deciding whether to retry. */
  private record Attempt(Result result, int status, long bytes, Optional<String> retryAfter, boolean retryable, String cause, String error) {
    static Attempt ok(int status, long bytes) {
      return new Attempt(Result.OK, status, bytes, Optional.empty(), false, "", "");
    }

    static Attempt http(int status, Optional<String> retryAfter) {
      if (status == 404) {
        return new Attempt(Result.NOT_FOUND, status, 0, retryAfter, false, "", "HTTP 404 Not Found");
      }
      String cause = "HTTP " + status;
      return new Attempt(Result.FAILED, status, 0, retryAfter, status >= 500, cause, cause);
    }

    static Attempt failed(String cause, String error, boolean retryable) {
      return new Attempt(Result.FAILED, 0, 0, Optional.empty(), retryable, cause, error);
    }

    FetchResult toResult(FetchPlan.Job job, Duration time, int attempts) {
      return new FetchResult(job.uri(), job.name(), result, status, bytes, time, attempts, cause, error);
    }
  }

  /** A local write failure, told apart from the network's IOExceptions: not worth a retry. */
  private static final class DiskException extends IOException {
    @Serial private static final long serialVersionUID = 1L;

    DiskException(IOException cause) {
      super(cause);
    }
  }

  /**
   * One attempt's temporary file, as the downloader sees it: created on the first body byte, so a
   * response without a body to keep (a 404, a 500, a stall before the body) never touches the
   * disk; write errors come out as {@link DiskException}.
   */
  private final class Temporary implements WritableByteChannel {
    private final Path path;
    private FileChannel file; // null until the first write
    private boolean open = true;
    private boolean moved;

    Temporary(Path path) {
      this.path = path;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      try {
        return channel().write(source);
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw e;
        }
        throw e instanceof DiskException ? e : new DiskException(e);
      }
    }

    private FileChannel channel() throws IOException {
      if (file == null) {
        temporaries.add(path); // before the file exists: a cancel() never misses it
        try {
          file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
          throw new DiskException(e);
        }
      }
      return file;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() throws IOException {
      open = false;
      if (file != null) {
        file.close();
      }
    }

    /** Gives the complete body its final name (an empty body too: the file is made then). */
    void moveTo(Path target) throws IOException {
      if (file == null) {
        channel().close();
      }
      try {
        Files.move(path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new DiskException(e);
      }
      temporaries.remove(path);
      moved = true;
    }

    /** Removes the file unless it was moved or never made. */
    void deleteIfLeft() {
      if (file != null && !moved) {
        try {
          file.close(); // a no-op if closed already
        } catch (IOException e) {
          // deleted below all the same
        }
        deleteQuietly(path);
      }
    }
  }
}
