package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HttpServerTest {
  private final AtomicLong counter = new AtomicLong();
  private HttpServer server;
  private HttpClient client;

  @BeforeEach
  void start() throws IOException {
    // the counter, the files and the failures are answered on the event loop; the body echo and the
    // stream hand their connection over to a virtual thread
    HttpHandler app = Router.builder()
        .get("/", HttpHandler.nonBlocking(request -> HttpResponse.text("I am request #" + counter.incrementAndGet() + "\n")))
        .post("/echo", request -> HttpResponse.bytes(200, "application/octet-stream", request.readBody()))
        .get("/stream", request -> HttpResponse.stream(200, "text/plain", out -> {
          for (int i = 0; i < 3; i++) {
            out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
        }))
        .get("/fail", HttpHandler.nonBlocking(request -> {
          throw new IllegalStateException("boom");
        }))
        .get("/teapot", HttpHandler.nonBlocking(request -> {
          throw new HttpException(418, "short and stout");
        }))
        .get("/files/{name}", HttpHandler.nonBlocking(request -> HttpResponse.text(request.pathParameter("name") + "\n")))
        .get("/blocking/{name}", request -> HttpResponse.text(request.pathParameter("name") + "\n"))
        .build();
    server = HttpServer.start(0, app);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void jdkClientGetsTheCounterOverOneKeptAliveConnection() throws Exception {
    for (int i = 1; i <= 5; i++) {
      var response = client.send(get("/"), BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("I am request #" + i + "\n");
      assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
      assertThat(response.headers().firstValue("date")).isPresent();
    }
    assertThat(server.stats().accepted()).isEqualTo(1);
    assertThat(server.stats().requests()).isEqualTo(5);
  }

  @Test
  void echoesContentLengthAndChunkedUploads() throws Exception {
    byte[] payload = new byte[200_000];
    new java.util.Random(7).nextBytes(payload);
    var fixed = client.send(post("/echo").POST(BodyPublishers.ofByteArray(payload)).build(), BodyHandlers.ofByteArray());
    assertThat(fixed.body()).isEqualTo(payload);
    var chunked = client.send(
        post("/echo").POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(payload))).build(),
        BodyHandlers.ofByteArray());
    assertThat(chunked.body()).isEqualTo(payload);
  }

  @Test
  void expectContinueGetsTheBodySent() throws Exception {
    var response = client.send(
        post("/echo").expectContinue(true).POST(BodyPublishers.ofString("after continue")).build(),
        BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("after continue");
  }

  @Test
  void streamsAChunkedResponse() throws Exception {
    var response = client.send(get("/stream"), BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("line 0\nline 1\nline 2\n");
    assertThat(response.headers().firstValue("transfer-encoding")).hasValue("chunked");
  }

  @Test
  void headAnswersTheHeadersOfGetWithoutTheBody() throws Exception {
    try (var raw = new RawClient(server.address())) {
      var head = raw.send("HEAD /files/x HTTP/1.1\r\nHost: h\r\n\r\n").read(true);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-length")).isEqualTo("2");
      var next = raw.send("GET /files/y HTTP/1.1\r\nHost: h\r\n\r\n").read();
      assertThat(next.body()).isEqualTo("y\n");
    }
  }

  @Test
  void routerAnswers404And405WithAllow() throws Exception {
    assertThat(client.send(get("/nowhere"), BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    var response = client.send(post("/").POST(BodyPublishers.ofString("x")).build(), BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("allow")).hasValue("GET, HEAD");
  }

  @Test
  void handlerFailuresBecome500OrTheirStatusAndTheConnectionGoesOn() throws Exception {
    try (var raw = new RawClient(server.address())) {
      assertThat(raw.send("GET /fail HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(500);
      var teapot = raw.send("GET /teapot HTTP/1.1\r\nHost: h\r\n\r\n").read();
      assertThat(teapot.status()).isEqualTo(418);
      assertThat(teapot.body()).isEqualTo("short and stout\n");
      assertThat(raw.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
    }
  }

  @Test
  void pipelinedBurstIsAnsweredInOrder() throws Exception {
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      burst.append("GET /files/").append(i).append(" HTTP/1.1\r\nHost: h\r\n\r\n");
      if (i % 10 == 0) {
        burst.append("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab").append(i % 10).append("\r\n0\r\n\r\n");
      }
    }
    try (var raw = new RawClient(server.address())) {
      raw.send(burst.toString());
      for (int i = 0; i < 50; i++) {
        assertThat(raw.read().body()).isEqualTo(i + "\n");
        if (i % 10 == 0) {
          assertThat(raw.read().body()).isEqualTo("ab0");
        }
      }
    }
    assertThat(server.stats().requests()).isEqualTo(55);
  }

  @Test
  void pipelineHandedOverMidwayKeepsOrderAndLosesNoBytes() throws Exception {
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      String route = i == 17 ? "/blocking/" : "/files/"; // the 18th request takes the connection to a thread
      burst.append("GET ").append(route).append(i).append(" HTTP/1.1\r\nHost: h\r\n\r\n");
    }
    try (var raw = new RawClient(server.address())) {
      raw.send(burst.toString());
      for (int i = 0; i < 30; i++) {
        assertThat(raw.read().body()).isEqualTo(i + "\n");
      }
      assertThat(raw.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("I am request #1\n");
    }
    assertThat(server.stats().requests()).isEqualTo(31);
    assertThat(server.stats().accepted()).isEqualTo(1);
  }

  @Test
  void http10ClosesUnlessAskedToKeepAlive() throws Exception {
    try (var raw = new RawClient(server.address())) {
      var response = raw.send("GET /files/a HTTP/1.0\r\n\r\n").read();
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(raw.closedByServer()).isTrue();
    }
    try (var raw = new RawClient(server.address())) {
      var first = raw.send("GET /files/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
      assertThat(first.header("connection")).isEqualTo("keep-alive");
      var stream = raw.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
      assertThat(stream.body()).isEqualTo("line 0\nline 1\nline 2\n");
      assertThat(stream.header("connection")).isEqualTo("close");
    }
  }

  @Test
  void connectionCloseIsHonoured() throws Exception {
    try (var raw = new RawClient(server.address())) {
      var response = raw.send("GET /files/a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(counter.get()).isZero();
  }

  @Test
  void counterCountsEveryRequestOnceAcrossConnections() throws Exception {
    int threads = 8;
    int each = 40;
    List<Thread> workers = new ArrayList<>();
    var seen = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
    for (int t = 0; t < threads; t++) {
      workers.add(Thread.ofVirtual().start(() -> {
        try (var own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
          for (int i = 0; i < each; i++) {
            seen.add(own.send(get("/"), BodyHandlers.ofString()).body());
          }
        } catch (IOException | InterruptedException e) {
          throw new AssertionError(e);
        }
      }));
    }
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(seen).hasSize(threads * each).contains("I am request #" + threads * each + "\n");
    assertThat(counter.get()).isEqualTo(threads * each);
  }

  private java.net.http.HttpRequest get(String path) {
    return java.net.http.HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build();
  }

  private java.net.http.HttpRequest.Builder post(String path) {
    return java.net.http.HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
