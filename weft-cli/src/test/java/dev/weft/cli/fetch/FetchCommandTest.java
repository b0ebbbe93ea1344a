package dev.weft.cli.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.CliRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

@ResourceLock(Resources.SYSTEM_OUT)
@Timeout(60)
class FetchCommandTest {
  @TempDir Path work;
  private Path out;
  private TestServer server;
  private final RecordingClock clock = new RecordingClock();

  @BeforeEach
  void start() throws IOException {
    out = work.resolve("out");
    server = new TestServer(3);
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
  }

  private CliRun fetch(String... args) {
    List<String> all = new ArrayList<>(List.of("-o", out.toString(), "-q"));
    if (!List.of(args).contains("--retry-delay")) {
      all.addAll(List.of("--retry-delay", "1ms"));
    }
    all.addAll(List.of(args));
    return CliRun.of(new FetchCommand(clock), all.toArray(String[]::new));
  }

  @Test
  void savesEveryUrlAndExitsZero() throws IOException {
    CliRun run = fetch(server.url("/ok/a.txt"), server.url("/ok/b.txt"));

    assertThat(run.status()).as(run.out() + run.err()).isZero();
    assertThat(Files.readString(out.resolve("a.txt"))).isEqualTo("hello a.txt");
    assertThat(Files.readString(out.resolve("b.txt"))).isEqualTo("hello b.txt");
    assertThat(run.out()).contains("weft fetch: 2 URLs into").contains("ok 2, not found 0, failed 0").contains("retried 0 times");
    assertThat(partFiles()).isEmpty();
  }

  @Test
  void notFoundIsReportedAndNotRetried() {
    CliRun run = fetch("--retries", "5", server.url("/missing"), server.url("/forbidden"), server.url("/ok/a"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).contains("ok 1, not found 1, failed 1 (1 HTTP 403)").contains("not_found: " + server.url("/missing"));
    assertThat(server.hitsOf("/missing")).isEqualTo(1);
    assertThat(server.hitsOf("/forbidden")).isEqualTo(1);
    assertThat(out.resolve("missing")).doesNotExist();
  }

  @Test
  void responsesWithoutABodyToKeepNeverCreateAFileAndAnEmptyBodyIsSaved() throws Exception {
    Files.createDirectories(out);
    try (WatchService watcher = out.getFileSystem().newWatchService()) {
      out.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);

      CliRun run = fetch("--retries", "1", server.url("/missing"), server.url("/broken"), server.url("/empty"));

      assertThat(run.out()).contains("ok 1, not found 1, failed 1 (1 HTTP 500)");
      assertThat(out.resolve("empty")).isEmptyFile();
      // a marker made after the run: its event comes after any the run caused, in order
      Files.createFile(work.resolve("out/marker"));
      List<String> created = new ArrayList<>();
      while (!created.contains("marker")) {
        WatchKey key = watcher.poll(10, TimeUnit.SECONDS);
        assertThat(key).as("the marker's event, after " + created).isNotNull();
        key.pollEvents().forEach(event -> created.add(event.context().toString()));
        key.reset();
      }
      // the only file made is the empty body's temporary, then renamed (a rename counts as a create)
      assertThat(created).as("files created in the output directory").hasSize(3).endsWith("empty", "marker");
      assertThat(created.getFirst()).startsWith(".empty.").endsWith(".part");
    }
  }

  @Test
  void serverErrorIsRetriedUntilItSucceeds() throws IOException {
    CliRun run = fetch(server.url("/flaky"));

    assertThat(run.status()).as(run.out()).isZero();
    assertThat(Files.readString(out.resolve("flaky"))).isEqualTo("recovered");
    assertThat(server.hitsOf("/flaky")).isEqualTo(2);
    assertThat(run.out()).contains("retried 1 times (1 URLs)");
  }

  @Test
  void persistentServerErrorFailsAfterTheRetriesWithGrowingWaits() {
    CliRun run = fetch("--retries", "3", "--retry-delay", "100ms", server.url("/broken"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(server.hitsOf("/broken")).isEqualTo(4);
    assertThat(run.out()).contains("failed 1 (1 HTTP 500)").contains("4 attempts");
    assertThat(clock.sleeps).hasSize(3);
    assertThat(clock.sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(clock.sleeps.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(clock.sleeps.get(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void retryAfterIsHonoured() throws IOException {
    CliRun run = fetch(server.url("/busy"));

    assertThat(run.status()).as(run.out()).isZero();
    assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(7));
    assertThat(Files.readString(out.resolve("busy"))).isEqualTo("served");
  }

  @Test
  void bodyThatStallsPastTheTimeoutFailsAsATimeoutWithoutAFile() throws IOException {
    CliRun run = fetch("--timeout", "1s", "--retries", "1", "--report", work.resolve("r.jsonl").toString(), server.url("/stall"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).contains("failed 1 (1 timeout)");
    assertThat(server.hitsOf("/stall")).isEqualTo(2);
    assertThat(out.resolve("stall")).doesNotExist();
    assertThat(partFiles()).isEmpty();
    JsonNode record = new ObjectMapper().readTree(Files.readString(work.resolve("r.jsonl")));
    assertThat(record.get("attempts").asInt()).isEqualTo(2);
    assertThat(record.get("error").asText()).contains("no data for 1000 ms");
  }

  @Test
  void connectionDroppedMidBodyLeavesNoFileAndFails() throws Exception {
    try (var raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> serveHalfBodies(raw));
      String url = "http://127.0.0.1:" + raw.getLocalPort() + "/half.bin";

      CliRun run = fetch("--retries", "1", url);

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.out()).contains("failed 1 (1 connection error)").contains("2 attempts");
      assertThat(out.resolve("half.bin")).doesNotExist();
      assertThat(partFiles()).isEmpty();
    }
  }

  /** Answers each request with a Content-Length of 1000, sends 500 bytes and closes. */
  private static void serveHalfBodies(ServerSocket raw) {
    while (!raw.isClosed()) {
      try (Socket socket = raw.accept()) {
        InputStream in = socket.getInputStream();
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          head.append((char) b);
        }
        OutputStream response = socket.getOutputStream();
        response.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        response.write(new byte[500]);
        response.flush();
      } catch (IOException e) {
        return;
      }
    }
  }

  @Test
  void refusedConnectionIsRetriedThenReportedAsAConnectionError() throws IOException {
    int closedPort;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    CliRun run = fetch("--retries", "2", "http://127.0.0.1:" + closedPort + "/gone.txt");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).contains("failed 1 (1 connection error)").contains("3 attempts").contains("retried 2 times (1 URLs)");
    assertThat(clock.sleeps).hasSize(2);
    assertThat(partFiles()).isEmpty();
  }

  @Test
  void headerTheClientRefusesFailsWithoutRetries() {
    CliRun run = fetch("--client", "jdk", "-H", "Connection: upgrade", server.url("/ok/h"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).contains("failed 1 (1 bad request)").contains("header not allowed by the JDK HTTP client: Connection");
    CliRun weft = fetch("--client", "weft", "-H", "Bad Name: x", server.url("/ok/h"));
    assertThat(weft.status()).isEqualTo(1);
    assertThat(weft.out()).contains("failed 1 (1 bad request)").contains("header not allowed by the weft HTTP client: Bad Name");
    assertThat(clock.sleeps).isEmpty();
    assertThat(server.hitsOf("/ok/h")).isZero();
  }

  @Test
  void rateLimitedRunSavesEverything() {
    CliRun run = fetch("--rate", "200/s", "-c", "2", server.url("/ok/r1"), server.url("/ok/r2"), server.url("/ok/r3"));

    assertThat(run.status()).isZero();
    assertThat(out.resolve("r3")).hasContent("hello r3");
  }

  @Test
  void cancellingStopsTransfersRemovesTemporariesAndStillPrintsTheSummary() throws Exception {
    var command = new FetchCommand(clock);
    var result = new AtomicReference<CliRun>();
    Thread runner = Thread.ofVirtual().start(() -> result.set(CliRun.of(command, "-o", out.toString(), "-q", "-c", "3",
        server.url("/slow?1"), server.url("/slow?2"), server.url("/slow?3"), server.url("/ok/later"))));
    assertThat(server.slowArrived.await(30, TimeUnit.SECONDS)).as("three transfers in flight").isTrue();

    command.stop(); // what the SIGINT shutdown hook calls

    runner.join(Duration.ofSeconds(30));
    CliRun run = result.get();
    assertThat(run).isNotNull();
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).contains("interrupted: transfers in flight were stopped").contains("cancelled");
    assertThat(run.out()).containsPattern("ok \\d, not found 0, failed 0");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("slow", "slow.1", "slow.2").noneMatch(n -> n.endsWith(".part"));
    }
  }

  @Test
  void resumeSkipsFilesAlreadyComplete() throws IOException {
    Files.createDirectories(out);
    Files.writeString(out.resolve("a"), "kept");

    CliRun run = fetch("--resume", server.url("/ok/a"), server.url("/ok/b"));

    assertThat(run.status()).isZero();
    assertThat(Files.readString(out.resolve("a"))).isEqualTo("kept");
    assertThat(Files.readString(out.resolve("b"))).isEqualTo("hello b");
    assertThat(server.hitsOf("/ok/a")).isZero();
    assertThat(run.out()).contains("ok 1, not found 0, failed 0, skipped 1 already complete");
  }

  @Test
  void collidingNamesGetNumberedInInputOrder() throws IOException {
    CliRun run = fetch(server.url("/ok/x.gif"), server.url("/other/x.gif"), server.url("/ok/x.gif?again"));

    assertThat(run.status()).isZero();
    assertThat(Files.readString(out.resolve("x.gif"))).isEqualTo("hello x.gif");
    assertThat(Files.readString(out.resolve("x.1.gif"))).isEqualTo("other x.gif");
    assertThat(Files.readString(out.resolve("x.2.gif"))).isEqualTo("hello x.gif");
  }

  @Test
  void hostileNamesStayInsideTheOutputDirectory() throws IOException {
    CliRun run = fetch(server.url("/a/..%2F..%2Fescaped"), server.url("/b/%2e%2e"), server.url("/c/"), server.url("/d/%2Fetc%2Fpasswd"));

    assertThat(run.status()).as(run.out() + run.err()).isZero();
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".._.._escaped", "__", "index.html", "_etc_passwd");
    }
    assertThat(work.resolve("escaped")).doesNotExist();
  }

  @Test
  void bodyOverMaxSizeIsAbortedAndReported() throws IOException {
    CliRun run = fetch("--max-size", "64K", server.url("/big"), server.url("/bigchunked"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).contains("failed 2 (2 too large)");
    assertThat(server.hitsOf("/big")).isEqualTo(1);
    assertThat(out.resolve("big")).doesNotExist();
    assertThat(out.resolve("bigchunked")).doesNotExist();
    assertThat(partFiles()).isEmpty();
  }

  @Test
  void urlsComeFromAFileWithCommentsAndFromStandardInput() throws IOException {
    Path list = work.resolve("urls.txt");
    Files.writeString(list, "# the list\n\n" + server.url("/ok/one") + "\n   \n  # indented comment\n" + server.url("/ok/two") + "\n");

    CliRun fromFile = fetch("-i", list.toString());
    CliRun fromStdin = CliRun.withInput(server.url("/ok/three") + "\n# end\n", "fetch", "-q", "-o", out.toString(), "-i", "-");

    assertThat(fromFile.status()).isZero();
    assertThat(fromFile.out()).contains("2 URLs");
    assertThat(fromStdin.status()).as(fromStdin.err()).isZero();
    assertThat(out.resolve("one")).hasContent("hello one");
    assertThat(out.resolve("two")).hasContent("hello two");
    assertThat(out.resolve("three")).hasContent("hello three");
  }

  @Test
  void usageErrorsExitTwoAndSayWhy() throws IOException {
    Path list = Files.writeString(work.resolve("list.txt"), "# two good, one bad\n" + server.url("/ok/a") + "\nnot a url\n");
    Path empty = Files.writeString(work.resolve("empty.txt"), "# nothing\n\n");
    assertUsage(CliRun.of("fetch", "-o", out.toString(), "-i", list.toString()), "not an http or https URL (line 3 of " + list + "): not a url");
    assertUsage(CliRun.withInput("\n", "fetch", "-o", out.toString(), "-i", "-"), "no URLs in standard input");
    assertUsage(CliRun.of("fetch", "-o", out.toString(), "-i", empty.toString()), "no URLs in " + empty);
    assertUsage(CliRun.of("fetch", "-o", out.toString()), "no URLs: give them as arguments");
    assertUsage(CliRun.of("fetch", server.url("/ok/a")), "-o DIR is required");
    assertUsage(CliRun.of("fetch", "-o", out.toString(), "ftp://example.com/x"), "not an http or https URL (argument): ftp://example.com/x");
    assertUsage(CliRun.of("fetch", "-o", out.toString(), "-c", "0", server.url("/ok/a")), "--concurrency must be within 1..10000: 0");
    assertUsage(CliRun.of("fetch", "-o", out.toString(), "--timeout", "soon", server.url("/ok/a")), "not a duration (500ms, 2s, 1m): soon");
    assertUsage(CliRun.of("fetch", "-o", out.toString(), "-i", work.resolve("none.txt").toString()), "-i file not found");
    assertUsage(CliRun.of("fetch", "-o", out.toString(), "-H", "no-colon", server.url("/ok/a")), "--header must be NAME:VALUE: no-colon");
    assertUsage(CliRun.of("fetch", "-o", out.toString(), "--client", "curl", server.url("/ok/a")), "--client must be jdk or weft: curl");
    assertUsage(CliRun.of("fetch", "--demo", server.url("/ok/a")), "--demo takes no URLs");
    assertThat(server.hits).isEmpty();
  }

  private static void assertUsage(CliRun run, String message) {
    assertThat(run.status()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(message);
  }

  @Test
  void reportHasOneJsonRecordPerUrlInInputOrder() throws IOException {
    Path report = work.resolve("report.jsonl");

    CliRun run = fetch("--report", report.toString(), server.url("/ok/a"), server.url("/missing"), server.url("/flaky"));

    assertThat(run.status()).isEqualTo(1);
    List<String> lines = Files.readAllLines(report);
    assertThat(lines).hasSize(3);
    var json = new ObjectMapper();
    JsonNode ok = json.readTree(lines.get(0));
    assertThat(ok.get("url").asText()).isEqualTo(server.url("/ok/a"));
    assertThat(ok.get("file").asText()).isEqualTo("a");
    assertThat(ok.get("result").asText()).isEqualTo("ok");
    assertThat(ok.get("status").asInt()).isEqualTo(200);
    assertThat(ok.get("bytes").asLong()).isEqualTo("hello a".length());
    assertThat(ok.get("attempts").asInt()).isEqualTo(1);
    assertThat(ok.get("ms").isIntegralNumber()).isTrue();
    assertThat(ok.get("error").isNull()).isTrue();
    JsonNode missing = json.readTree(lines.get(1));
    assertThat(missing.get("result").asText()).isEqualTo("not_found");
    assertThat(missing.get("status").asInt()).isEqualTo(404);
    assertThat(missing.get("error").asText()).isEqualTo("HTTP 404 Not Found");
    JsonNode flaky = json.readTree(lines.get(2));
    assertThat(flaky.get("result").asText()).isEqualTo("ok");
    assertThat(flaky.get("attempts").asInt()).isEqualTo(2);
  }

  @Test
  void reportThatCannotBeWrittenFailsTheRunAfterTheDownloads() {
    CliRun run = fetch("--report", work.resolve("no/such/dir/r.jsonl").toString(), server.url("/ok/a"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("weft fetch: cannot write --report");
    assertThat(out.resolve("a")).hasContent("hello a");
  }

  @Test
  void postsDataFromAFileWithHeaders() throws IOException {
    Path data = work.resolve("form.txt");
    Files.writeString(data, "a=1&b=2");

    CliRun run = fetch("--method", "POST", "--data", "@" + data, "--header", "X-Token: abc", server.url("/echo"));

    assertThat(run.status()).as(run.out() + run.err()).isZero();
    assertThat(server.posted)
        .containsEntry("method", "POST")
        .containsEntry("body", "a=1&b=2")
        .containsEntry("x-token", "abc")
        .containsEntry("content-type", "application/x-www-form-urlencoded");
    assertThat(out.resolve("echo")).hasContent("posted");
  }

  @Test
  void offATerminalProgressIsPlainLines() {
    List<String> all = List.of("-o", out.toString(), server.url("/ok/a"), server.url("/ok/b"), server.url("/missing"));
    CliRun run = CliRun.of(new FetchCommand(clock), all.toArray(String[]::new));

    assertThat(run.err()).contains("fetch: 2/3 done, 1 failed").contains(", 14 B, ").contains(" 0 retries").doesNotContain("\r");
  }

  private List<Path> partFiles() throws IOException {
    if (!Files.isDirectory(out)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(out)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
    }
  }
}
