package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The event-loop path of a connection: in memory at every chunk size, then timeouts and shutdown on loopback. */
@Timeout(60)
class LoopConnectionTest {
  private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  private static final Pattern BODY_LINE = Pattern.compile("\r\n\r\n([a-z0-9/]+)\n");

  @TempDir Path dir;
  private final VirtualClock clock = VirtualClock.create();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.abort();
    }
  }

  private HttpServer start(HttpHandler handler) throws Exception {
    server = HttpServer.start(ANY_PORT, handler, HttpOptions.defaults().withClock(clock));
    return server;
  }

  /** Answers each request with its path, on the loop for /fast, on a thread for /slow; a file at /file. */
  private HttpHandler mixed() throws Exception {
    Path file = Files.writeString(dir.resolve("f.txt"), "file\n");
    HttpHandler echo = request -> HttpResponse.text(request.path() + "\n");
    return Router.builder()
        .get("/fast/{n}", HttpHandler.nonBlocking(echo))
        .get("/slow/{n}", echo)
        .post("/fast/{n}", HttpHandler.nonBlocking(request -> HttpResponse.text(request.path() + new String(request.readBody(), StandardCharsets.US_ASCII) + "\n")))
        .get("/file", HttpHandler.nonBlocking(request -> HttpResponse.file(200, "text/plain", file, 0, 5)))
        .build();
  }

  @Test
  void answersPipelinedRequestsOnTheLoopAtEveryChunkSize() throws Exception {
    start(HttpHandler.nonBlocking(request -> HttpResponse.text(request.path() + "\n")));
    byte[] input = ("GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
        + "HEAD /b HTTP/1.1\r\nHost: h\r\n\r\n"
        + "GET /c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
        + "GET /d HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
        + "GET /never HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    var whole = LoopHarness.serve(server, input, new int[] {input.length});
    assertThat(whole.handedOver()).isFalse();
    assertThat(whole.transportWrites()).as("the responses of one read leave in one write").isEqualTo(1);
    assertThat(bodies(whole.text())).containsExactly("/a", "/c", "/d");
    assertThat(whole.text()).contains("HTTP/1.1 200 OK\r\nDate: ").contains("Content-Length: 3\r\n\r\nHTTP/1.1 200 OK")
        .contains("Connection: keep-alive\r\n").endsWith("Connection: close\r\n\r\n/d\n");
    for (int size = 1; size < input.length; size++) {
      var cut = LoopHarness.serve(server, input, new int[] {size});
      assertThat(cut.text()).as("cut in pieces of %d", size).isEqualTo(whole.text());
      assertThat(cut.handedOver()).isFalse();
    }
    assertThat(server.stats().requests()).isEqualTo(4L * input.length);
  }

  @Test
  void aPipelineHandedOverMidwayKeepsItsOrderAtEveryChunkSize() throws Exception {
    start(mixed());
    String text = "GET /fast/1 HTTP/1.1\r\nHost: h\r\n\r\n"
        + "GET /fast/2 HTTP/1.1\r\nHost: h\r\n\r\n"
        + "GET /slow/3 HTTP/1.1\r\nHost: h\r\n\r\n"
        + "GET /fast/4 HTTP/1.1\r\nHost: h\r\n\r\n"
        + "POST /fast/5 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nxy"
        + "GET /fast/6 HTTP/1.1\r\nHost: h\r\n\r\n";
    byte[] input = text.getBytes(StandardCharsets.US_ASCII);
    for (int size = 1; size <= input.length; size++) {
      var outcome = LoopHarness.serve(server, input, new int[] {size, 7});
      assertThat(outcome.handedOver()).isTrue();
      assertThat(bodies(outcome.text())).as("cut in pieces of %d and 7", size)
          .containsExactly("/fast/1", "/fast/2", "/slow/3", "/fast/4", "/fast/5xy", "/fast/6");
    }
  }

  @Test
  void aBodyOrAFileResponseGoesToAThreadInOrder() throws Exception {
    start(mixed());
    byte[] input = ("POST /fast/1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n"
        + "GET /fast/2 HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    var body = LoopHarness.serve(server, input, new int[] {input.length});
    assertThat(body.handedOver()).isTrue();
    assertThat(bodies(body.text())).containsExactly("/fast/1ab", "/fast/2");

    long before = server.stats().requests();
    byte[] file = ("GET /fast/1 HTTP/1.1\r\nHost: h\r\n\r\nGET /file HTTP/1.1\r\nHost: h\r\n\r\n"
        + "GET /fast/3 HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    var sent = LoopHarness.serve(server, file, new int[] {file.length});
    assertThat(sent.handedOver()).isTrue();
    assertThat(bodies(sent.text())).containsExactly("/fast/1", "file", "/fast/3");
    assertThat(server.stats().requests() - before).as("the file request counted once").isEqualTo(3);
  }

  @Test
  void aMalformedRequestIsRefusedAfterTheAnswersBeforeIt() throws Exception {
    start(mixed());
    byte[] input = "GET /fast/1 HTTP/1.1\r\nHost: h\r\n\r\nGET /fast/2 HTTP/1.1\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    for (int size = 1; size <= input.length; size++) {
      var outcome = LoopHarness.serve(server, input, new int[] {size});
      assertThat(outcome.text()).startsWith("HTTP/1.1 200 OK").contains("\r\n\r\n/fast/1\nHTTP/1.1 400 Bad Request\r\n")
          .contains("Connection: close\r\n").endsWith("request line ended by a bare LF\n");
    }
  }

  @Test
  void expectContinueGoesToAThreadWhichAsksForTheBody() throws Exception {
    start(mixed());
    byte[] input = ("GET /fast/1 HTTP/1.1\r\nHost: h\r\n\r\n"
        + "POST /fast/2 HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nxy")
        .getBytes(StandardCharsets.US_ASCII);
    var outcome = LoopHarness.serve(server, input, new int[] {input.length - 2, 2});
    assertThat(outcome.handedOver()).isTrue();
    assertThat(outcome.text()).contains("/fast/1\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK");
    assertThat(bodies(outcome.text())).containsExactly("/fast/1", "/fast/2xy");
  }

  @Test
  void theAccessLogHasALineForRequestsOnTheLoopAndOnAThread() throws Exception {
    var lines = new java.util.concurrent.CopyOnWriteArrayList<String>();
    var logger = java.util.logging.Logger.getLogger(AccessLog.LOGGER);
    var handler = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        lines.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    try {
      server = HttpServer.start(ANY_PORT, mixed(), HttpOptions.defaults().withClock(clock).withAccessLog(AccessLog.ON));
      byte[] input = "GET /fast/1 HTTP/1.1\r\nHost: h\r\n\r\nGET /slow/2 HTTP/1.1\r\nHost: h\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);
      LoopHarness.serve(server, input, new int[] {input.length});
    } finally {
      logger.removeHandler(handler);
    }
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("127.0.0.1 - - [").contains("] \"GET /fast/1 HTTP/1.1\" 200 ");
    assertThat(lines.get(1)).contains("] \"GET /slow/2 HTTP/1.1\" 200 ");
  }

  @Test
  void anIdleLoopConnectionIsClosedAfterTheIdleTimeoutWithOneAlarmForAllItsRequests() throws Exception {
    var options = HttpOptions.defaults().withClock(clock).withIdleTimeout(Duration.ofSeconds(30));
    server = HttpServer.start(ANY_PORT, HttpHandler.nonBlocking(request -> HttpResponse.text("hi\n")), options);
    try (var raw = new RawClient(server.address())) {
      for (int i = 0; i < 20; i++) {
        assertThat(raw.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
      }
      awaitIdle();
      assertThat(clock.pendingDelays()).as("one alarm for the connection").hasSize(1);
      clock.advance(Duration.ofSeconds(29));
      assertThat(server.stats().open()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(1));
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(server.stats().timeouts()).isEqualTo(1);
    assertThat(server.stats().requests()).isEqualTo(20);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().open() == 0);
    assertThat(clock.pendingDelays()).isEmpty();
  }

  @Test
  void aHandOverBehindResponsesTheClientNeverReadsIsDroppedAfterTheIdleTimeout() throws Exception {
    var options = HttpOptions.defaults().withClock(clock).withIdleTimeout(Duration.ofSeconds(30));
    byte[] big = new byte[1 << 20];
    server = HttpServer.start(ANY_PORT, Router.builder()
        .get("/big", HttpHandler.nonBlocking(request -> HttpResponse.bytes(200, "application/octet-stream", big)))
        .get("/slow", request -> HttpResponse.text("slow\n"))
        .build(), options);
    try (var socket = new java.net.Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(server.address());
      // 16 MiB of answers on the loop, more than the sockets hold, then a request for a thread
      String pipeline = "GET /big HTTP/1.1\r\nHost: h\r\n\r\n".repeat(16) + "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n";
      socket.getOutputStream().write(pipeline.getBytes(StandardCharsets.US_ASCII));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().requests() == 16);

      // the client reads nothing: the hand-over cannot finish; each step passes the idle timeout
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
        clock.advance(Duration.ofSeconds(31));
        return server.stats().open() == 0;
      });
    }
    assertThat(server.stats().timeouts()).isEqualTo(1);
    assertThat(server.stats().requests()).as("/slow never ran").isEqualTo(16);
  }

  @Test
  void aSlowHeadOnTheLoopGets408() throws Exception {
    var options = HttpOptions.defaults().withClock(clock).withHeaderReadTimeout(Duration.ofSeconds(10));
    server = HttpServer.start(ANY_PORT, HttpHandler.nonBlocking(request -> HttpResponse.text("hi\n")), options);
    try (var raw = new RawClient(server.address())) {
      assertThat(raw.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
      raw.send("GET / HTTP/1.1\r\n");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
          .until(() -> clock.pendingDelays().contains(Duration.ofSeconds(10)));
      clock.advance(Duration.ofSeconds(9));
      raw.send("Host: h\r\n"); // still within the head's ten seconds, which run from its first byte
      clock.advance(Duration.ofSeconds(1));
      var response = raw.read();
      assertThat(response.status()).isEqualTo(408);
      assertThat(response.body()).isEqualTo("request head not received within PT10S\n");
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(server.stats().timeouts()).isEqualTo(1);
    assertThat(server.stats().refused()).isEqualTo(1);
  }

  @Test
  void shutdownClosesIdleLoopConnectionsAndWaitsForNone() throws Exception {
    server = HttpServer.start(0, HttpHandler.nonBlocking(request -> HttpResponse.text("hi\n")));
    try (var raw = new RawClient(server.address())) {
      assertThat(raw.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
      awaitIdle();
      assertThat(server.shutdown(Duration.ofSeconds(5))).isTrue();
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(server.stats().open()).isZero();
  }

  private void awaitIdle() {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.idleConnections() == 1);
  }

  /** The body of each response, for bodies of one line of lower-case letters, digits and slashes. */
  private static List<String> bodies(String received) {
    List<String> bodies = new ArrayList<>();
    Matcher matcher = BODY_LINE.matcher(received);
    while (matcher.find()) {
      bodies.add(matcher.group(1));
    }
    return bodies;
  }
}
