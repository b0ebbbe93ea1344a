package dev.weft.cli;

import dev.weft.Clock;
import dev.weft.Progress;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a {@link Progress} while work runs: a live bar on a terminal, plain periodic lines
 * otherwise (a log file or a pipe gets no carriage-return frames), nothing when quiet. A caller
 * may add details of its own to every frame and line (bytes, throughput, errors), polled with the
 * progress.
 *
 * <p>Thread contract: one virtual thread, {@code progress-display}, polls the progress and draws;
 * {@link #close()} stops it and draws the final state once.
 */
public final class ProgressDisplay implements AutoCloseable {
  /** How the display draws. */
  public enum Style {
    BAR,
    LINES,
    QUIET;

    /** A bar on a terminal, lines otherwise, nothing when quiet. */
    public static Style detect(boolean quiet) {
      if (quiet) {
        return QUIET;
      }
      var console = System.console();
      return console != null && console.isTerminal() ? BAR : LINES;
    }
  }

  private static final Duration BAR_INTERVAL = Duration.ofMillis(100);
  private static final Duration LINE_INTERVAL = Duration.ofSeconds(2);

  private final String name;
  private final Progress progress;
  private final PrintStream out;
  private final Style style;
  private final ProgressBar bar;
  private final Supplier<String> details;
  private final Thread poller;

  private ProgressDisplay(String name, Progress progress, PrintStream out, Style style, String unit, Supplier<String> details) {
    this.name = name;
    this.progress = progress;
    this.out = out;
    this.style = style;
    this.details = details;
    this.bar = style == Style.BAR ? newBar(name, progress, out, unit) : null;
    this.poller = Thread.ofVirtual().name("progress-display").unstarted(this::poll);
  }

  /** Starts showing {@code progress} under {@code name} on {@code out}. */
  public static ProgressDisplay start(String name, Progress progress, PrintStream out, Style style) {
    return start(name, progress, out, style, "items", () -> "");
  }

  /**
   * Starts showing {@code progress} of {@code unit}s under {@code name} on {@code out}, with
   * {@code details} (polled on the display's thread, so it must be cheap and thread-safe) after
   * the counts.
   */
  public static ProgressDisplay start(
      String name, Progress progress, PrintStream out, Style style, String unit, Supplier<String> details) {
    var display = new ProgressDisplay(name, progress, out, style, unit, details);
    if (style != Style.QUIET) {
      display.poller.start();
    }
    return display;
  }

  private static ProgressBar newBar(String name, Progress progress, PrintStream out, String unit) {
    return new ProgressBarBuilder()
        .setTaskName(name)
        .setInitialMax(progress.isTotalKnown() ? progress.total() : -1)
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
        .setUpdateIntervalMillis((int) BAR_INTERVAL.toMillis())
        .setConsumer(new ConsoleProgressBarConsumer(out, terminalWidth() - 1))
        .setUnit(" " + unit, 1)
        .showSpeed()
        .build();
  }

  /**
   * The terminal's width, read once with {@code stty size} on {@code /dev/tty} ({@code COLUMNS}
   * when set, 80 when neither answers). The bar is given it rather than left to ask its JLine
   * terminal: building that terminal installs the operating system's default SIGINT action,
   * so Ctrl-C would kill the JVM without running its shutdown hooks, and {@code weft fetch}
   * would lose its summary and leave its temporary files.
   */
  static int terminalWidth() {
    String columns = System.getenv("COLUMNS");
    if (columns != null && columns.matches("\\d{2,4}")) {
      return Integer.parseInt(columns);
    }
    try {
      Process stty = new ProcessBuilder("stty", "size")
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/tty")))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      String[] size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
      if (stty.waitFor() == 0 && size.length == 2 && size[1].matches("\\d{2,4}")) {
        return Integer.parseInt(size[1]);
      }
    } catch (IOException e) {
      // no stty or no terminal: the default below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 80;
  }

  private void poll() {
    Duration interval = style == Style.BAR ? BAR_INTERVAL : LINE_INTERVAL;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Clock.system().sleep(interval);
        draw();
      }
    } catch (InterruptedException stopped) {
      // close() stops the poller
    }
  }

  private void draw() {
    Progress.Snapshot now = progress.snapshot();
    if (style == Style.BAR) {
      bar.maxHint(now.total());
      bar.stepTo(now.finished());
      String more = details.get();
      String failed = now.failed() > 0 ? now.failed() + " failed" : "";
      bar.setExtraMessage(" " + failed + (failed.isEmpty() || more.isEmpty() ? "" : ", ") + more);
    } else if (style == Style.LINES) {
      String more = details.get();
      out.println(line(name, now) + (more.isEmpty() ? "" : ", " + more));
    }
  }

  /** One plain progress line: {@code demo: 120/300 done, 2 failed, 45.1/s, 2.6 s}. */
  public static String line(String name, Progress.Snapshot now) {
    return String.format(
        Locale.ROOT,
        "%s: %d/%d done, %d failed, %.1f/s, %.1f s",
        name,
        now.done(),
        now.total(),
        now.failed(),
        now.rate(),
        now.elapsed().toMillis() / 1000.0);
  }

  @Override
  public void close() {
    if (style == Style.QUIET) {
      return;
    }
    poller.interrupt();
    try {
      poller.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    draw();
    if (bar != null) {
      bar.close();
    }
  }
}
