package dev.weft.bench.fetch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Downloads the {@link Flags} set with one HTTP client at a concurrency of N (N virtual threads
 * taking the next file, as {@code curl --parallel-max N} does), saves the 200s, counts every status
 * and error, checks the files, and prints one {@code RESULT} line: client, N, seconds, and counts.
 *
 * <p>Usage: {@code FetchBench CLIENT N PORT DIR} with CLIENT one of {@link #CLIENTS}.
 */
public final class FetchBench {
  static final List<String> CLIENTS =
      List.of("weft", "jdk", "jdk-h1", "jdk-h1-vexec", "jdk-h1-bytes", "jdk-h1-shard", "jdk-h1-async");

  private FetchBench() {}

  /** One client under test: fetches one URL into a file, returning the status. */
  interface Client extends AutoCloseable {
    int fetch(URI uri, Path file) throws Exception;

    @Override
    void close();

    default String stats() {
      return "";
    }
  }

  public static void main(String[] args) throws Exception {
    String name = args[0];
    int n = Integer.parseInt(args[1]);
    int port = Integer.parseInt(args[2]);
    Path dir = Path.of(args[3]);
    Files.createDirectories(dir);
    int warmup = Integer.parseInt(System.getProperty("warmup", "0"));
    if (warmup > 0) {
      // the same code paths, JIT-compiled before the timed pass; a new client for the timed pass,
      // so no connection survives the warm-up
      Path scratch = Files.createTempDirectory("weft-fetch-warmup");
      try (Client client = client(name, n)) {
        run(client, n, port, scratch, Math.min(warmup, Flags.COUNT));
      }
      try (var files = Files.list(scratch)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(scratch);
    }
    try (Client client = client(name, n)) {
      long start = System.nanoTime();
      Map<String, LongAdder> counts = run(client, n, port, dir, Flags.COUNT);
      double seconds = (System.nanoTime() - start) / 1e9;
      String cpu = cpu();
      int problems = Flags.check(dir);
      Map<String, Long> sorted = new TreeMap<>();
      counts.forEach((k, v) -> sorted.put(k, v.sum()));
      boolean errorsRight = sorted.getOrDefault("404", 0L) == Flags.NOT_FOUND
          && sorted.getOrDefault("500", 0L) == Flags.SERVER_ERROR
          && sorted.getOrDefault("200", 0L) == Flags.COUNT - Flags.NOT_FOUND - Flags.SERVER_ERROR;
      System.out.printf("RESULT\t%s\t%d\t%.3f\t%s\t%s\t%s %s%n", name + (warmup > 0 ? "-warm" : ""), n, seconds, sorted,
          problems == 0 && errorsRight ? "ok" : "WRONG(" + problems + " file problems)", cpu, client.stats());
    }
  }

  /** Fetches files 0 to {@code count - 1} with N threads; returns how often each outcome came. */
  private static Map<String, LongAdder> run(Client client, int n, int port, Path dir, int count) throws InterruptedException {
    Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      threads.add(Thread.ofVirtual().start(() -> {
        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
          URI uri = URI.create("http://127.0.0.1:" + port + Flags.path(i));
          String outcome;
          try {
            outcome = Integer.toString(client.fetch(uri, dir.resolve(Flags.name(i))));
          } catch (Exception e) {
            outcome = e.getClass().getSimpleName();
          }
          counts.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return counts;
  }

  /**
   * CPU seconds of the whole process since it started, and of the JDK client's selector threads
   * (one per client: the thread that runs every connection's I/O), read before the clients close.
   */
  private static String cpu() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long selector = 0;
    long workers = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      long time = Math.max(0, threads.getThreadCpuTime(thread.threadId()));
      if (thread.getName().contains("SelectorManager")) {
        selector += time;
      } else if (thread.getName().startsWith("HttpClient-") && thread.getName().contains("Worker")) {
        workers += time;
      }
    }
    return String.format("cpu=%.2fs selector=%.2fs jdk-workers=%.2fs", os.getProcessCpuTime() / 1e9, selector / 1e9, workers / 1e9);
  }

  static Client client(String name, int n) {
    return switch (name) {
      case "weft" -> WeftClient.create(n);
      case "jdk" -> new Jdk(List.of(HttpClient.newHttpClient()), false);
      case "jdk-h1" -> new Jdk(List.of(h1().build()), false);
      case "jdk-h1-vexec" -> new Jdk(List.of(h1().executor(Executors.newVirtualThreadPerTaskExecutor()).build()), false);
      case "jdk-h1-bytes" -> new Jdk(List.of(h1().build()), true);
      case "jdk-h1-shard" -> {
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          clients.add(h1().build());
        }
        yield new Jdk(clients, false);
      }
      case "jdk-h1-async" -> new JdkAsync(h1().build());
      default -> throw new IllegalArgumentException("client must be one of " + CLIENTS + ": " + name);
    };
  }

  private static HttpClient.Builder h1() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
  }

  /** The JDK client called with {@code send} from the fetching virtual thread. */
  record Jdk(List<HttpClient> clients, boolean bytes) implements Client {
    private static final AtomicInteger TURN = new AtomicInteger();

    @Override
    public int fetch(URI uri, Path file) throws IOException, InterruptedException {
      HttpClient client = clients.get(Math.floorMod(TURN.getAndIncrement(), clients.size()));
      var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
      if (bytes) {
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 200) {
          Files.write(file, response.body());
        }
        return response.statusCode();
      }
      HttpResponse<?> response = client.send(request, info -> info.statusCode() == 200
          ? BodySubscribers.mapping(
              BodySubscribers.ofFile(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING),
              path -> (Void) null)
          : BodySubscribers.discarding());
      return response.statusCode();
    }

    @Override
    public void close() {
      clients.forEach(HttpClient::close);
    }
  }

  /** The JDK client with {@code sendAsync}, the fetching thread waiting on the future. */
  record JdkAsync(HttpClient client) implements Client {
    @Override
    public int fetch(URI uri, Path file) throws Exception {
      var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
      return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
          .thenApply(response -> {
            if (response.statusCode() == 200) {
              try {
                Files.write(file, response.body());
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
            return response.statusCode();
          }).get();
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
