package dev.weft;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of work to do, done and failed, that a {@link Pool} operation reports to and a command
 * line renders as a progress bar by polling {@link #snapshot()}.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="progress" :
 * var progress = Progress.create();
 * try (var pool = Pool.virtual(32)) {
 *   Task<List<Path>> all = pool.mapAsync(this::download, urls, progress);
 *   while (!all.isDone()) {
 *     Progress.Snapshot now = progress.snapshot(); // cheap: poll it ten times a second
 *     System.err.printf("\r%d/%d done, %d failed, %.1f/s", now.done(), now.total(), now.failed(),
 *         now.rate());
 *     Clock.system().sleep(Duration.ofMillis(100));
 *   }
 *   List<Path> files = all.join();
 * }
 * }
 *
 * <p>A pool operation counts each item it draws from its input into {@link #total()} (so the
 * total of an endless input grows as it is drawn), unless this progress was {@linkplain
 * #create(long) created with a known total}; it calls {@link #advance()} when an item succeeds and
 * {@link #fail()} when one fails. Cancelled items are counted in neither. One progress may be
 * shared by several operations; user code may count its own work with the same methods.
 *
 * <h2>Comparison with tqdm and the JDK</h2>
 *
 * Python's {@code tqdm} wraps an iterable and draws the bar itself, on the thread that iterates;
 * this class only counts, from any number of threads, and leaves drawing to whoever polls it. The
 * JDK has no counterpart; it is three {@link LongAdder}s and a start time.
 *
 * <p>Thread contract: every method may be called from any thread; counting never locks and never
 * calls out (the counters are {@link LongAdder}s, cheap under contention). A snapshot is not
 * atomic across its counters while work runs, but reads {@code done} and {@code failed} before
 * {@code total}, so it never shows more finished than drawn for work drawn by a pool.
 */
public final class Progress {
  private final Clock clock;
  private final long startNanos;
  private final boolean totalKnown;
  private final LongAdder total = new LongAdder();
  private final LongAdder done = new LongAdder();
  private final LongAdder failed = new LongAdder();

  private Progress(long total, boolean totalKnown, Clock clock) {
    if (total < 0) {
      throw new IllegalArgumentException("total must be >= 0: " + total);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.startNanos = clock.nanoTime();
    this.totalKnown = totalKnown;
    this.total.add(total);
  }

  /** A progress whose total grows as pool operations draw items, timed on the system clock. */
  public static Progress create() {
    return create(Clock.system());
  }

  /** A progress whose total grows as pool operations draw items, timed on {@code clock}. */
  public static Progress create(Clock clock) {
    return new Progress(0, false, clock);
  }

  /** A progress with a known {@code total}, which pool operations leave as it is. */
  public static Progress create(long total) {
    return create(total, Clock.system());
  }

  /** A progress with a known {@code total}, timed on {@code clock}. */
  public static Progress create(long total, Clock clock) {
    return new Progress(total, true, clock);
  }

  /** The number of items to do: the known total, or the items drawn so far. */
  public long total() {
    return total.sum();
  }

  /** The number of items that succeeded. */
  public long done() {
    return done.sum();
  }

  /** The number of items that failed. */
  public long failed() {
    return failed.sum();
  }

  /** Whether the total was given at creation (else it counts the items drawn so far). */
  public boolean isTotalKnown() {
    return totalKnown;
  }

  /** Adds {@code items} to the total, for work discovered on the way (a crawler's new links). */
  public void addTotal(long items) {
    if (items < 0) {
      throw new IllegalArgumentException("items must be >= 0: " + items);
    }
    total.add(items);
  }

  /** Counts one item done. */
  public void advance() {
    done.increment();
  }

  /** Counts {@code items} done. */
  public void advance(long items) {
    if (items < 0) {
      throw new IllegalArgumentException("items must be >= 0: " + items);
    }
    done.add(items);
  }

  /** Counts one item failed. */
  public void fail() {
    failed.increment();
  }

  /** The counts now, the time since creation and the rate of items done per second. */
  public Snapshot snapshot() {
    long doneNow = done.sum();
    long failedNow = failed.sum();
    long totalNow = total.sum();
    Duration elapsed = Duration.ofNanos(Math.max(0, clock.nanoTime() - startNanos));
    double seconds = elapsed.toNanos() / 1e9;
    double rate = seconds > 0 ? doneNow / seconds : 0;
    return new Snapshot(totalNow, doneNow, failedNow, elapsed, rate);
  }

  /** Called by pool operations for each item drawn from their input. */
  void itemDrawn() {
    if (!totalKnown) {
      total.increment();
    }
  }

  @Override
  public String toString() {
    return "Progress[" + done() + " done, " + failed() + " failed of " + total() + "]";
  }

  /**
   * The state of a {@link Progress} at one moment: what a progress bar draws.
   *
   * {@snippet :
   * Progress.Snapshot now = progress.snapshot();
   * String bar = "#".repeat((int) (40 * now.fraction()));
   * System.err.printf("\r[%-40s] %d/%d %.0f/s", bar, now.finished(), now.total(), now.rate());
   * }
   *
   * @param total the items to do (known, or drawn so far)
   * @param done the items that succeeded
   * @param failed the items that failed
   * @param elapsed the time since the progress was created, on its clock
   * @param rate items done per second of {@code elapsed}, zero before any time has passed
   */
  public record Snapshot(long total, long done, long failed, Duration elapsed, double rate) {

    /** The items that ended, done or failed. */
    public long finished() {
      return done + failed;
    }

    /** The fraction of the total that ended, between 0 and 1 (0 while the total is 0). */
    public double fraction() {
      return total == 0 ? 0 : Math.min(1.0, (double) finished() / total);
    }
  }
}
