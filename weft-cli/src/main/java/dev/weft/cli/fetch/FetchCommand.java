package dev.weft.cli.fetch;

import dev.weft.Clock;
import dev.weft.Progress;
import dev.weft.cli.ProgressDisplay;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft fetch}: downloads many URLs at once into a directory, with a progress bar, retries,
 * atomic files and a summary; {@code --demo} does it against an embedded local server.
 *
 * <p>This class reads the command line and prints; {@link FetchRun} downloads; {@link DemoServer}
 * serves the demo. Ctrl-C (a shutdown hook) calls {@link #stop()}, which cancels the run and waits
 * until the summary is out.
 *
 * <p>Thread contract: the thread that runs {@link #call()} reads the URLs, consumes the results
 * and prints; the downloads run on the pool's virtual threads, the display on its {@code
 * progress-display} thread, and {@link #stop()} on the shutdown hook's {@code weft-fetch-interrupt}
 * thread. {@code running} (volatile) hands the run to the hook; the {@code finished} latch tells
 * the hook that the summary is out.
 */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Download URLs concurrently, with progress, retries and a summary.",
    description = {
      "Download URLs concurrently into a directory, with a progress bar, retries,",
      "atomic files and a summary. URLs come from the arguments, from -i FILE, or",
      "from standard input with -i - (one a line; blank lines and # comments are",
      "skipped). Exit status: 0 all saved, 1 some failed, 2 usage error.",
      ""
    })
public final class FetchCommand implements Callable<Integer> {
  private static final Duration DEMO_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DEMO_RETRY_DELAY = Duration.ofMillis(100);
  private static final Duration RETRY_DELAY = Duration.ofMillis(250);
  private static final int SEQUENTIAL_SAMPLE = 8;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "URL", arity = "0..*", description = "URLs to download.")
  List<String> urls = new ArrayList<>();

  @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read URLs from FILE, or standard input for -.")
  String input;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Directory to save into (created if missing; --demo: a temporary one).")
  Path output;

  @Option(names = {"-c", "--concurrency"}, paramLabel = "N", description = "Downloads at once, 1..10000 (default: ${DEFAULT-VALUE}).")
  int concurrency = 16;

  @Option(names = "--rate", paramLabel = "N/s", converter = Converters.RateConverter.class, description = "Start at most N requests a second (or N/m a minute).")
  FetchPlan.Rate rate;

  @Option(names = "--timeout", paramLabel = "TIME", converter = Converters.DurationConverter.class,
      description = "Wait at most TIME for a response, and for each stall of a body (default: 30s; --demo: 1s).")
  Duration timeout;

  @Option(names = "--retries", paramLabel = "N", description = "Retries after timeouts, connection errors and 5xx, 0..100 (default: ${DEFAULT-VALUE}).")
  int retries = 3;

  @Option(names = "--retry-delay", paramLabel = "TIME", converter = Converters.DurationConverter.class,
      description = "First retry after about TIME, doubling with jitter (default: 250ms; --demo: 100ms).")
  Duration retryDelay;

  @Option(names = "--retry-max-delay", paramLabel = "TIME", converter = Converters.DurationConverter.class,
      description = "Longest wait before a retry, Retry-After included (default: 30s).")
  Duration retryMaxDelay = Duration.ofSeconds(30);

  @Option(names = "--resume", description = "Skip URLs whose file is already complete in the output directory.")
  boolean resume;

  @Option(names = "--max-size", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
      description = "Abort bodies larger than SIZE (bytes, or 512K, 10M, 1G).")
  Long maxSize;

  @Option(names = {"-X", "--method"}, paramLabel = "METHOD", description = "Request method (default: GET, or POST with --data).")
  String method;

  @Option(names = {"-d", "--data"}, paramLabel = "@FILE|TEXT", description = "Request body: TEXT, or the contents of FILE.")
  String data;

  @Option(names = {"-H", "--header"}, paramLabel = "NAME:VALUE", description = "Extra request header (repeatable).")
  List<String> headers = new ArrayList<>();

  @Option(names = "--report", paramLabel = "FILE", description = "Write one JSON line per URL: result, status, bytes, ms, attempts, error.")
  Path report;

  @Option(names = {"-q", "--quiet"}, description = "No progress display.")
  boolean quiet;

  @Option(names = "--demo", description = "Download from an embedded local server with latency and faults; no network.")
  boolean demo;

  @Option(names = "--demo-files", paramLabel = "N", description = "Demo: files to serve (default: ${DEFAULT-VALUE}).")
  int demoFiles = 300;

  @Option(names = "--demo-latency", paramLabel = "TIME", converter = Converters.DurationConverter.class, description = "Demo: mean latency (default: 50ms).")
  Duration demoLatency = Duration.ofMillis(50);

  @Option(names = "--demo-404", paramLabel = "SHARE", description = "Demo: share of missing files, 0..1 (default: ${DEFAULT-VALUE}).")
  double demo404 = 0.02;

  @Option(names = "--demo-500", paramLabel = "SHARE", description = "Demo: share of 500s, two thirds of them once only (default: ${DEFAULT-VALUE}).")
  double demo500 = 0.03;

  @Option(names = "--demo-stalls", paramLabel = "SHARE", description = "Demo: share of responses that stall once (default: ${DEFAULT-VALUE}).")
  double demoStalls = 0.01;

  @Option(names = "--demo-seed", paramLabel = "N", description = "Demo: seed of sizes, contents and faults (default: ${DEFAULT-VALUE}).")
  long demoSeed = 42;

  @Option(names = "--serve-demo", hidden = true, description = "Only run the demo server, print its URL list file, and wait.")
  boolean serveDemo;

  @Option(names = "--client", hidden = true, paramLabel = "jdk|weft", description = "HTTP client (default: weft).")
  String client = "weft";

  private final Clock clock;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile FetchRun running;
  private volatile boolean stopped; // stop() was called: written by the hook, read by call()

  public FetchCommand() {
    this(Clock.system());
  }

  /** A command whose backoff waits read {@code clock} (tests pass one that records them). */
  FetchCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    int status = fetch();
    if (!serveDemo && !stopped) {
      FastExit.now(status); // a stop() leaves the exit to the JVM's shutdown, with its status
    }
    return status;
  }

  private int fetch() throws IOException, InterruptedException {
    validate();
    Downloaders.Client which = client();
    if (serveDemo) {
      return DemoServe.serve(demoSettings(), output);
    }
    FastExit.prepare();
    Thread hook = Thread.ofPlatform().name("weft-fetch-interrupt").unstarted(this::stop);
    Runtime.getRuntime().addShutdownHook(hook);
    try (DemoServer server = demo ? DemoServer.start(demoSettings()) : null) {
      List<URI> targets = server != null ? server.urls() : readUrls();
      Path dir = outputDirectory();
      int status = run(which, server, targets, dir);
      if (server != null && output == null) {
        deleteTree(dir);
        System.out.println("(the demo's files were in a temporary directory, now removed; -o DIR keeps them)");
      }
      return status;
    } finally {
      finished.countDown();
      running = null;
      removeHook(hook);
    }
  }

  /**
   * Cancels the run in progress and waits (at most ten seconds) until its summary is printed: what
   * SIGINT and SIGTERM do, through a shutdown hook.
   */
  void stop() {
    stopped = true;
    FetchRun run = running;
    if (run == null) {
      return; // not downloading yet, or done and summarized: nothing to stop, nothing to wait for
    }
    run.cancel();
    try {
      finished.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @SuppressWarnings("try") // the display is only closed: that draws its last frame
  private int run(Downloaders.Client which, DemoServer server, List<URI> targets, Path dir) throws InterruptedException, IOException {
    PrintStream out = System.out;
    List<String> names = OutputNames.assign(targets);
    List<FetchPlan.Job> jobs = new ArrayList<>(targets.size());
    for (int i = 0; i < targets.size(); i++) {
      jobs.add(new FetchPlan.Job(i, targets.get(i), names.get(i)));
    }
    FetchPlan plan = plan(dir);
    out.println(header(server, jobs.size(), dir, plan));
    out.flush();
    var progress = Progress.create(jobs.size(), clock);
    long start = clock.nanoTime();
    List<FetchResult> results;
    Duration wall;
    try (Downloader downloader = Downloaders.create(which, concurrency, clock)) {
      var run = new FetchRun(plan, downloader, clock, progress);
      running = run;
      ProgressDisplay.Style style = ProgressDisplay.Style.detect(quiet);
      boolean eta = style != ProgressDisplay.Style.BAR; // the bar shows its own
      try (var display = ProgressDisplay.start("fetch", progress, System.err, style, "files", () -> details(run, progress, eta))) {
        results = run.run(jobs);
      }
      wall = Duration.ofNanos(clock.nanoTime() - start);
      if (run.isCancelled()) {
        out.println("interrupted: transfers in flight were stopped and their temporary files removed");
      }
      Summary summary = Summary.of(results, wall);
      printFailures(out, results);
      summary.print(out);
      if (server != null && !run.isCancelled()) {
        Sequential.estimate(downloader, plan, server.plainUrls(SEQUENTIAL_SAMPLE), jobs.size(), wall, clock).ifPresent(out::println);
      }
      boolean reported = true;
      if (report != null) {
        try {
          Report.write(report, results);
          out.println("report: " + report);
        } catch (IOException e) {
          System.err.println("weft fetch: cannot write --report " + report + ": " + e);
          reported = false;
        }
      }
      out.flush();
      return summary.allSucceeded() && reported ? 0 : 1;
    }
  }

  private String header(DemoServer server, int count, Path dir, FetchPlan plan) {
    if (server == null) {
      return String.format(Locale.ROOT, "weft fetch: %d URLs into %s, %d at a time", count, dir, plan.concurrency());
    }
    return String.format(
        Locale.ROOT,
        "weft fetch --demo: %d files from %s into %s, %d at a time%n"
            + "  served with about %d ms of latency, %.0f%% missing, %.0f%% 500s, %.0f%% stalls (timeout %s)",
        count, server.base(), dir, plan.concurrency(), demoLatency.toMillis(), demo404 * 100, demo500 * 100, demoStalls * 100,
        plan.timeout().toMillis() + " ms");
  }

  /** Bytes, throughput, retries and the time left, for the progress display. */
  private static String details(FetchRun run, Progress progress, boolean withEta) {
    Progress.Snapshot now = progress.snapshot();
    double seconds = Math.max(1, now.elapsed().toMillis()) / 1000.0;
    long bytes = run.bytesReceived();
    String eta = withEta && now.rate() > 0 && now.total() > now.finished()
        ? String.format(Locale.ROOT, ", ETA %.0f s", (now.total() - now.finished()) / Math.max(now.rate(), 1e-9))
        : "";
    return Summary.bytes(bytes) + ", " + Summary.bytes((long) (bytes / seconds)) + "/s, " + run.retries() + " retries" + eta;
  }

  private static void printFailures(PrintStream out, List<FetchResult> results) {
    List<FetchResult> failed = results.stream().filter(r -> !r.succeeded() && r.result() != FetchResult.Result.CANCELLED).toList();
    int shown = Math.min(failed.size(), 10);
    for (FetchResult r : failed.subList(0, shown)) {
      out.println("  " + r.result().word() + ": " + r.uri() + " (" + r.error() + (r.attempts() > 1 ? ", " + r.attempts() + " attempts" : "") + ")");
    }
    if (failed.size() > shown) {
      out.println("  ... and " + (failed.size() - shown) + " more (--report FILE lists every URL)");
    }
  }

  private FetchPlan plan(Path dir) throws IOException {
    String verb = method != null ? method.toUpperCase(Locale.ROOT) : data != null ? "POST" : "GET";
    byte[] body = body();
    List<Map.Entry<String, String>> parsed = parseHeaders(body != null);
    Duration wait = timeout != null ? timeout : demo ? DEMO_TIMEOUT : TIMEOUT;
    Duration firstRetry = retryDelay != null ? retryDelay : demo ? DEMO_RETRY_DELAY : RETRY_DELAY;
    var backoff = new Backoff(firstRetry, retryMaxDelay, ThreadLocalRandom.current());
    return new FetchPlan(dir, concurrency, Optional.ofNullable(rate), wait, retries, backoff, resume,
        maxSize == null ? Long.MAX_VALUE : maxSize, verb, body, parsed);
  }

  private byte[] body() throws IOException {
    if (data == null) {
      return null;
    }
    if (!data.startsWith("@")) {
      return data.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Files.readAllBytes(Path.of(data.substring(1)));
    } catch (NoSuchFileException e) {
      throw usage("--data file not found: " + data.substring(1));
    }
  }

  private List<Map.Entry<String, String>> parseHeaders(boolean hasBody) {
    List<Map.Entry<String, String>> parsed = new ArrayList<>();
    for (String header : headers) {
      int colon = header.indexOf(':');
      if (colon <= 0 || header.substring(0, colon).isBlank()) {
        throw usage("--header must be NAME:VALUE: " + header);
      }
      parsed.add(Map.entry(header.substring(0, colon).strip(), header.substring(colon + 1).strip()));
    }
    if (hasBody && parsed.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("content-type"))) {
      parsed.add(Map.entry("Content-Type", "application/x-www-form-urlencoded")); // as curl -d does
    }
    return List.copyOf(parsed);
  }

  private void validate() {
    if (concurrency < 1 || concurrency > 10_000) {
      throw usage("--concurrency must be within 1..10000: " + concurrency);
    }
    if (retries < 0 || retries > 100) {
      throw usage("--retries must be within 0..100: " + retries);
    }
    if (timeout != null && !timeout.isPositive()) {
      throw usage("--timeout must be > 0: " + timeout);
    }
    if ((retryDelay != null && retryDelay.isNegative()) || retryMaxDelay.isNegative()) {
      throw usage("--retry-delay and --retry-max-delay must be >= 0: " + retryDelay + ", " + retryMaxDelay);
    }
    if (maxSize != null && maxSize < 0) {
      throw usage("--max-size must be >= 0: " + maxSize);
    }
    if (demo || serveDemo) {
      validateDemo();
    } else if (urls.isEmpty() && input == null) {
      throw usage("no URLs: give them as arguments, or with -i FILE (-i - reads standard input), or try --demo");
    } else if (output == null) {
      throw usage("-o DIR is required: the directory to save into");
    }
  }

  private void validateDemo() {
    if (!urls.isEmpty() || input != null) {
      throw usage("--demo takes no URLs: it serves its own");
    }
    if (demoFiles < 1 || demoFiles > 100_000) {
      throw usage("--demo-files must be within 1..100000: " + demoFiles);
    }
    for (double share : new double[] {demo404, demo500, demoStalls}) {
      if (share < 0 || share > 1) {
        throw usage("--demo-404, --demo-500 and --demo-stalls must be within 0..1: " + share);
      }
    }
    if (demo404 + demo500 + demoStalls > 1) {
      throw usage("--demo-404 + --demo-500 + --demo-stalls must be <= 1: " + (demo404 + demo500 + demoStalls));
    }
    if (demoLatency.isNegative()) {
      throw usage("--demo-latency must be >= 0: " + demoLatency);
    }
  }

  private Downloaders.Client client() {
    try {
      Downloaders.Client which = Downloaders.Client.valueOf(client.toUpperCase(Locale.ROOT));
      Downloaders.checkAvailable(which); // fail before any output
      return which;
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage() != null && e.getMessage().startsWith("--client") ? e.getMessage() : "--client must be jdk or weft: " + client);
    }
  }

  DemoServer.Settings demoSettings() {
    return new DemoServer.Settings(demoFiles, demoLatency, demo404, demo500, demoStalls, demoSeed);
  }

  /** The URLs from the arguments, then from {@code -i}; each an absolute http(s) URL. */
  private List<URI> readUrls() throws IOException {
    List<URI> all = new ArrayList<>();
    for (String url : urls) {
      all.add(parseUrl(url, 0));
    }
    if (input != null) {
      List<String> lines;
      if (input.equals("-")) {
        var reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        lines = reader.lines().toList();
      } else {
        try {
          lines = Files.readAllLines(Path.of(input), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          throw usage("-i file not found: " + input);
        }
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          all.add(parseUrl(line, i + 1));
        }
      }
    }
    if (all.isEmpty()) {
      throw usage("no URLs in " + inputName());
    }
    return all;
  }

  /** {@code text} as a URI; {@code line} is its line in {@code -i}, 0 for an argument. */
  private URI parseUrl(String text, int line) {
    try {
      URI uri = new URI(text.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    String where = line == 0 ? "argument" : "line " + line + " of " + inputName();
    throw usage("not an http or https URL (" + where + "): " + text);
  }

  private String inputName() {
    return "-".equals(input) ? "standard input" : String.valueOf(input);
  }

  private Path outputDirectory() throws IOException {
    if (output == null) {
      return Files.createTempDirectory("weft-fetch-demo-");
    }
    try {
      return Files.createDirectories(output).toRealPath();
    } catch (IOException e) {
      throw usage("cannot use -o " + output + " as the output directory: " + e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it is what stopped this run
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
