package dev.weft.cli.fetch;

import dev.weft.Clock;
import dev.weft.http.AccessLog;
import dev.weft.http.HttpOptions;
import dev.weft.http.HttpRequest;
import dev.weft.http.HttpResponse;
import dev.weft.http.HttpServer;
import dev.weft.http.Router;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The server behind {@code weft fetch --demo}: a weft-http {@link HttpServer} on 127.0.0.1 and a
 * free port, serving {@code /flags/<code>.gif} files of 1 to 40 KiB of deterministic pseudo-random
 * content, with injected latency and faults, and {@code /urls.txt} listing them.
 *
 * <p>Each request waits its latency (between half and one and a half times the configured one) by
 * blocking its handler: the server runs every connection on a virtual thread, so a blocked handler
 * costs a parked virtual thread and nothing else. The faults are chosen per file from the seed, so
 * every run sees the same ones: some files are missing (404), some fail once with a 500 and then
 * succeed, a third of those fail every time, and some stall once after half their body until the
 * server closes (the client's timeout and retry get them).
 *
 * <p>Thread contract: the handlers run on the server's connection threads; the attempt counters
 * are concurrent; {@link #close()} releases stalled responses and stops the server.
 */
final class DemoServer implements AutoCloseable {
  /** What a file does when requested. */
  enum Fault {
    NONE,
    NOT_FOUND,
    FAIL_ONCE,
    FAIL_ALWAYS,
    STALL_ONCE
  }

  /**
   * The demo's settings.
   *
   * @param files how many files
   * @param latency the mean latency of a request
   * @param notFound the share of files answered 404
   * @param serverErrors the share of files answered 500 (two thirds of them only once)
   * @param stalls the share of files whose first response stalls
   * @param seed the seed of sizes, contents and faults
   */
  record Settings(int files, Duration latency, double notFound, double serverErrors, double stalls, long seed) {}

  /** One file. */
  record File(String name, int size, Fault fault, long seed) {}

  private final Settings settings;
  private final List<File> files;
  private final Map<String, File> byName;
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final HttpServer server;

  private DemoServer(Settings settings) throws IOException {
    this.settings = settings;
    this.files = plan(settings);
    this.byName = files.stream().collect(Collectors.toMap(File::name, file -> file));
    var router = Router.builder().get("/flags/{name}", this::file).get("/urls.txt", request -> HttpResponse.text(urlList())).build();
    this.server = HttpServer.start(
        new InetSocketAddress("127.0.0.1", 0), router, HttpOptions.defaults().withAccessLog(AccessLog.OFF).withMaxConnections(100_000));
  }

  /** Starts a demo server on 127.0.0.1 and a free port. */
  static DemoServer start(Settings settings) throws IOException {
    return new DemoServer(settings);
  }

  /** {@code http://127.0.0.1:<port>/}. */
  URI base() {
    return URI.create("http://127.0.0.1:" + server.port() + "/");
  }

  List<File> files() {
    return files;
  }

  /** Every file's URL, in order. */
  List<URI> urls() {
    return files.stream().map(file -> base().resolve("flags/" + file.name())).toList();
  }

  /** The URLs of the first {@code n} files without faults (for timing sequential downloads). */
  List<URI> plainUrls(int n) {
    return files.stream().filter(file -> file.fault() == Fault.NONE).limit(n).map(file -> base().resolve("flags/" + file.name())).toList();
  }

  /** One URL a line: what {@code --serve-demo} writes for benchmark scripts. */
  String urlList() {
    return urls().stream().map(URI::toString).collect(Collectors.joining("\n", "", "\n"));
  }

  private static List<File> plan(Settings settings) {
    var random = new SplittableRandom(settings.seed());
    List<String> codes = codes(settings.files());
    List<File> files = new ArrayList<>(codes.size());
    for (String code : codes) {
      int size = 1024 + random.nextInt(39 * 1024 + 1);
      double draw = random.nextDouble();
      Fault fault;
      if (draw < settings.notFound()) {
        fault = Fault.NOT_FOUND;
      } else if ((draw -= settings.notFound()) < settings.serverErrors()) {
        fault = draw < settings.serverErrors() / 3 ? Fault.FAIL_ALWAYS : Fault.FAIL_ONCE;
      } else if (draw - settings.serverErrors() < settings.stalls()) {
        fault = Fault.STALL_ONCE;
      } else {
        fault = Fault.NONE;
      }
      files.add(new File(code + ".gif", size, fault, random.nextLong()));
    }
    return files;
  }

  /** ISO country codes first, then the other two-letter codes, then numbered ones. */
  private static List<String> codes(int n) {
    var codes = new LinkedHashSet<String>();
    for (String country : Locale.getISOCountries()) {
      codes.add(country.toLowerCase(Locale.ROOT));
    }
    for (char a = 'a'; a <= 'z'; a++) {
      for (char b = 'a'; b <= 'z'; b++) {
        codes.add("" + a + b);
      }
    }
    List<String> list = new ArrayList<>(codes);
    for (int i = 0; list.size() < n; i++) {
      list.add(list.get(i % 676) + "-" + (i / 676 + 2));
    }
    return list.subList(0, n);
  }

  private HttpResponse file(HttpRequest request) throws InterruptedException {
    File file = byName.get(request.pathParameter("name"));
    if (file == null) {
      return HttpResponse.text(404, "no such flag\n");
    }
    int attempt = attempts.computeIfAbsent(file.name(), name -> new AtomicInteger()).incrementAndGet();
    double jitter = 0.5 + new SplittableRandom(file.seed() + attempt).nextDouble();
    Clock.system().sleep(Duration.ofNanos((long) (settings.latency().toNanos() * jitter)));
    return switch (file.fault()) {
      case NOT_FOUND -> HttpResponse.text(404, "no such flag\n");
      case FAIL_ALWAYS -> HttpResponse.text(500, "injected failure\n");
      case FAIL_ONCE -> attempt == 1 ? HttpResponse.text(500, "injected failure, once\n") : body(file);
      case STALL_ONCE -> attempt == 1 ? stalled(file) : body(file);
      case NONE -> body(file);
    };
  }

  private static HttpResponse body(File file) {
    return HttpResponse.bytes(200, "image/gif", content(file));
  }

  /** Sends half the body, then nothing until the server closes. */
  private HttpResponse stalled(File file) {
    byte[] content = content(file);
    return HttpResponse.stream(200, "image/gif", content.length, out -> {
      out.write(content, 0, content.length / 2);
      out.flush();
      try {
        closing.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("stalled response interrupted");
      }
      throw new IOException("demo server closing");
    });
  }

  /** A GIF header, then pseudo-random bytes from the file's seed. */
  static byte[] content(File file) {
    byte[] content = new byte[file.size()];
    new SplittableRandom(file.seed()).nextBytes(content);
    byte[] header = "GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(header, 0, content, 0, Math.min(header.length, content.length));
    return content;
  }

  @Override
  public void close() {
    closing.countDown();
    try {
      server.shutdown(Duration.ofMillis(200));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.abort();
    }
  }
}
