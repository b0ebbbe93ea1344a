package dev.weft.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.http.HttpHandler;
import dev.weft.http.HttpResponse;
import dev.weft.http.HttpServer;
import dev.weft.http.Router;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HttpFetcherTest {
  private static final byte[] BIG = random(200_000, 1);

  private final AtomicInteger inHandler = new AtomicInteger();
  private final AtomicInteger mostInHandler = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private HttpServer server;
  private HttpFetcher fetcher;

  @BeforeEach
  void start() throws IOException {
    HttpHandler app = Router.builder()
        .get("/hello", request -> HttpResponse.text("hello\n"))
        .get("/big", request -> HttpResponse.bytes(200, "application/octet-stream", BIG))
        .get("/chunked", request -> HttpResponse.stream(200, "text/plain", out -> {
          for (int i = 0; i < 100; i++) {
            out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
        }))
        .get("/missing", request -> HttpResponse.text(404, "no such thing\n"))
        .get("/fail", request -> HttpResponse.text(500, "it broke\n"))
        .get("/busy", request -> HttpResponse.text(503, "later\n").withHeader("Retry-After", "7"))
        .get("/empty", request -> HttpResponse.empty(204))
        .get("/old", request -> HttpResponse.empty(302).withHeader("Location", "/hello"))
        .get("/loop", request -> HttpResponse.empty(301).withHeader("Location", "/loop"))
        .post("/see-other", request -> {
          request.readBody();
          return HttpResponse.empty(303).withHeader("Location", "/hello");
        })
        .post("/echo", request -> HttpResponse.bytes(200, "application/octet-stream", request.readBody()))
        .get("/n/{n}", request -> {
          int now = inHandler.incrementAndGet();
          mostInHandler.accumulateAndGet(now, Math::max);
          try {
            gate.await();
            return HttpResponse.text("n=" + request.pathParameter("n") + "\n");
          } finally {
            inHandler.decrementAndGet();
          }
        })
        .build();
    server = HttpServer.start(0, app);
    fetcher = HttpFetcher.builder().maxConnectionsPerHost(64).requestTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterEach
  void stop() {
    fetcher.close();
    server.abort();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** A response and the bytes its body wrote to the sink. */
  record Got(FetchResponse response, byte[] body, long progress) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static Got fetch(HttpFetcher fetcher, FetchRequest request) throws IOException, InterruptedException {
    var bytes = new ByteArrayOutputStream();
    WritableByteChannel sink = Channels.newChannel(bytes);
    var progress = new AtomicLong();
    FetchResponse response = fetcher.fetch(request, sink, progress::addAndGet);
    return new Got(response, bytes.toByteArray(), progress.get());
  }

  private Got get(String path) throws IOException, InterruptedException {
    return fetch(fetcher, FetchRequest.get(uri(path)));
  }

  @Test
  void keepAliveReusesOneConnection() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertThat(get("/hello").text()).isEqualTo("hello\n");
    }
    assertThat(get("/big").body()).isEqualTo(BIG);
    FetchStats stats = fetcher.stats();
    assertThat(stats.connectionsOpened()).isEqualTo(1);
    assertThat(stats.connectionsReused()).isEqualTo(10);
    assertThat(stats.requests()).isEqualTo(11);
    assertThat(stats.idle()).isEqualTo(1);
    assertThat(server.stats().accepted()).isEqualTo(1);
  }

  @Test
  void bodiesAreStreamedWithProgress() throws Exception {
    Got big = get("/big");
    assertThat(big.response().status()).isEqualTo(200);
    assertThat(big.response().bytes()).isEqualTo(BIG.length);
    assertThat(big.progress()).isEqualTo(BIG.length);
    assertThat(big.body()).isEqualTo(BIG);
  }

  @Test
  void chunkedBodiesArriveDechunked() throws Exception {
    Got chunked = get("/chunked");
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      expected.append("line ").append(i).append('\n');
    }
    assertThat(chunked.text()).isEqualTo(expected.toString());
    assertThat(get("/hello").text()).isEqualTo("hello\n");
    assertThat(fetcher.stats().connectionsOpened()).isEqualTo(1);
  }

  @Test
  void aCloseDelimitedBodyEndsAtCloseAndTheConnectionIsNotReused() throws Exception {
    try (var peer = RawPeer.answering("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it")) {
      for (int i = 0; i < 3; i++) {
        assertThat(fetch(fetcher, FetchRequest.get(peer.uri("/"))).text()).isEqualTo("all of it");
      }
      assertThat(peer.accepted()).isEqualTo(3);
      assertThat(fetcher.stats().connectionsReused()).isZero();
    }
  }

  @Test
  void headGetsTheFieldsWithoutTheBody() throws Exception {
    Got head = fetch(fetcher, FetchRequest.of("HEAD", uri("/big")));
    assertThat(head.response().status()).isEqualTo(200);
    assertThat(head.response().headers().value("Content-Length")).contains(Integer.toString(BIG.length));
    assertThat(head.body()).isEmpty();
    assertThat(get("/hello").text()).isEqualTo("hello\n");
    assertThat(fetcher.stats().connectionsOpened()).isEqualTo(1);
  }

  @Test
  void noContentAndNotModifiedHaveNoBody() throws Exception {
    List<String> answers = List.of(
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n",
        "HTTP/1.1 204 No Content\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    try (var peer = new RawPeer(socket -> {
      for (String answer : answers) {
        RawPeer.readHead(socket.getInputStream());
        socket.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
      }
      socket.getInputStream().read();
    })) {
      Got notModified = fetch(fetcher, FetchRequest.get(peer.uri("/a")));
      assertThat(notModified.response().status()).isEqualTo(304);
      assertThat(notModified.body()).isEmpty();
      Got noContent = fetch(fetcher, FetchRequest.get(peer.uri("/b")));
      assertThat(noContent.response().status()).isEqualTo(204);
      assertThat(fetch(fetcher, FetchRequest.get(peer.uri("/c"))).text()).isEqualTo("ok");
      assertThat(peer.accepted()).as("one connection for the three").isEqualTo(1);
    }
    assertThat(get("/empty").response().status()).isEqualTo(204);
  }

  @Test
  void redirectsAreFollowed() throws Exception {
    Got got = get("/old");
    assertThat(got.response().status()).isEqualTo(200);
    assertThat(got.response().uri()).isEqualTo(uri("/hello"));
    assertThat(got.text()).isEqualTo("hello\n");
  }

  @Test
  void aSeeOtherAfterPostContinuesAsGet() throws Exception {
    Got got = fetch(fetcher, FetchRequest.of("POST", uri("/see-other")).withBody(new byte[] {1, 2, 3}));
    assertThat(got.response().status()).isEqualTo(200);
    assertThat(got.text()).isEqualTo("hello\n");
  }

  @Test
  void endlessRedirectsFail() {
    assertThatThrownBy(() -> get("/loop")).isInstanceOf(ProtocolException.class)
        .hasMessage("more than 5 redirects, the last to /loop");
  }

  @Test
  void redirectsAreReturnedAsTheyAreWhenNotFollowed() throws Exception {
    try (var plain = HttpFetcher.builder().maxRedirects(0).build()) {
      Got got = fetch(plain, FetchRequest.get(uri("/old")));
      assertThat(got.response().status()).isEqualTo(302);
      assertThat(got.response().headers().value("Location")).contains("/hello");
      assertThat(got.body()).isEmpty();
    }
  }

  @Test
  void errorBodiesAreNeverDeliveredAsSuccess() throws Exception {
    Got missing = get("/missing");
    assertThat(missing.response().status()).isEqualTo(404);
    assertThat(missing.response().successful()).isFalse();
    assertThat(missing.body()).isEmpty();
    assertThat(missing.progress()).isZero();
    Got failed = get("/fail");
    assertThat(failed.response().status()).isEqualTo(500);
    assertThat(failed.body()).isEmpty();
    assertThat(get("/hello").text()).isEqualTo("hello\n");
    assertThat(fetcher.stats().connectionsOpened()).as("error bodies drained, connection kept").isEqualTo(1);
  }

  @Test
  void retryAfterIsExposed() throws Exception {
    Got busy = get("/busy");
    assertThat(busy.response().status()).isEqualTo(503);
    assertThat(busy.response().retryAfter()).contains("7");
    assertThat(get("/hello").response().retryAfter()).isEmpty();
  }

  @Test
  void aSilentServerTimesOut() throws Exception {
    try (var peer = new RawPeer(socket -> {
      RawPeer.readHead(socket.getInputStream());
      socket.getInputStream().read(); // never answers; returns when the client gives up
    })) {
      var request = FetchRequest.get(peer.uri("/")).withTimeout(Duration.ofMillis(200));
      assertThatThrownBy(() -> fetch(fetcher, request)).isInstanceOf(HttpTimeoutException.class)
          .hasMessageContaining("within 200 ms");
    }
  }

  @Test
  void aServerStallingMidBodyTimesOut() throws Exception {
    try (var peer = new RawPeer(socket -> {
      RawPeer.readHead(socket.getInputStream());
      socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst ten.".getBytes(StandardCharsets.US_ASCII));
      socket.getInputStream().read();
    })) {
      var request = FetchRequest.get(peer.uri("/")).withTimeout(Duration.ofMillis(200));
      var bytes = new ByteArrayOutputStream();
      assertThatThrownBy(() -> fetcher.fetch(request, Channels.newChannel(bytes), n -> { }))
          .isInstanceOf(HttpTimeoutException.class).hasMessageContaining("no data for 200 ms")
          .hasMessageEndingWith("after 10 body bytes");
      assertThat(bytes.toString(StandardCharsets.US_ASCII)).isEqualTo("first ten.");
    }
  }

  @Test
  void aServerDribblingTheHeadStillTimesOut() throws Exception {
    try (var peer = new RawPeer(socket -> {
      RawPeer.readHead(socket.getInputStream());
      var out = socket.getOutputStream();
      for (int i = 0; peer(i); i++) {
        out.write('X');
        out.flush();
        new CountDownLatch(1).await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    })) {
      var request = FetchRequest.get(peer.uri("/")).withTimeout(Duration.ofMillis(300));
      assertThatThrownBy(() -> fetch(fetcher, request)).isInstanceOf(IOException.class)
          .satisfiesAnyOf(
              e -> assertThat(e).isInstanceOf(HttpTimeoutException.class),
              e -> assertThat(e).isInstanceOf(ProtocolException.class).hasMessageContaining("status line longer"));
    }
  }

  private static boolean peer(int i) {
    return i < 10_000;
  }

  @Test
  void aConnectionDroppedMidBodyFails() throws Exception {
    try (var peer = RawPeer.answering("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")) {
      assertThatThrownBy(() -> fetch(fetcher, FetchRequest.get(peer.uri("/"))))
          .isInstanceOf(EOFException.class).hasMessage("connection closed after 9 of 100 body bytes");
    }
    try (var peer = RawPeer.answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nhalf")) {
      assertThatThrownBy(() -> fetch(fetcher, FetchRequest.get(peer.uri("/"))))
          .isInstanceOf(EOFException.class).hasMessageContaining("in the middle of a chunked body");
    }
  }

  @Test
  void malformedResponsesFailClearly() throws Exception {
    try (var peer = RawPeer.answering("HTTP/1.1 OK 200\r\n\r\n")) {
      assertThatThrownBy(() -> fetch(fetcher, FetchRequest.get(peer.uri("/"))))
          .isInstanceOf(ProtocolException.class).hasMessage("malformed status line: HTTP/1.1 OK 200");
    }
    try (var peer = RawPeer.answering("HTTP/1.1 200 OK\r\nBig: " + "x".repeat(70_000) + "\r\n\r\n")) {
      assertThatThrownBy(() -> fetch(fetcher, FetchRequest.get(peer.uri("/"))))
          .isInstanceOf(ProtocolException.class).hasMessage("header section longer than 65536 bytes");
    }
  }

  @Test
  void bodiesOverTheLimitFailBeforeReachingTheSink() throws Exception {
    var tooBig = FetchRequest.get(uri("/big")).withMaxBytes(1000);
    var bytes = new ByteArrayOutputStream();
    assertThatThrownBy(() -> fetcher.fetch(tooBig, Channels.newChannel(bytes), n -> { }))
        .isInstanceOf(BodyTooLargeException.class)
        .hasMessage("response body of 200000 bytes is longer than the 1000 allowed");
    assertThat(bytes.size()).isZero();
    var chunked = FetchRequest.get(uri("/chunked")).withMaxBytes(50);
    assertThatThrownBy(() -> fetcher.fetch(chunked, Channels.newChannel(bytes), n -> { }))
        .isInstanceOf(BodyTooLargeException.class)
        .satisfies(e -> assertThat(((BodyTooLargeException) e).limit()).isEqualTo(50));
    assertThat(bytes.size()).isLessThanOrEqualTo(50);
    assertThat(get("/big").body()).as("the fetcher goes on").isEqualTo(BIG);
  }

  @Test
  void aPostBodyArrivesExactly() throws Exception {
    byte[] body = random(100_000, 7);
    Got echoed = fetch(fetcher, FetchRequest.of("POST", uri("/echo")).withBody(body).withHeader("Content-Type", "application/octet-stream"));
    assertThat(echoed.response().status()).isEqualTo(200);
    assertThat(echoed.body()).isEqualTo(body);
    Got empty = fetch(fetcher, FetchRequest.of("POST", uri("/echo")));
    assertThat(empty.body()).isEmpty();
  }

  @Test
  void aPooledConnectionTheServerClosedIsRetriedOnceForIdempotentRequests() throws Exception {
    try (var peer = RawPeer.answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
      assertThat(fetch(fetcher, FetchRequest.get(peer.uri("/1"))).text()).isEqualTo("ok");
      assertThat(fetch(fetcher, FetchRequest.get(peer.uri("/2"))).text()).isEqualTo("ok");
      FetchStats stats = fetcher.stats();
      assertThat(stats.staleRetries()).isEqualTo(1);
      assertThat(stats.connectionsOpened()).isEqualTo(2);
      assertThat(fetch(fetcher, FetchRequest.get(peer.uri("/3"))).text()).isEqualTo("ok");
      var post = FetchRequest.of("POST", peer.uri("/4")).withBody(new byte[] {1});
      assertThatThrownBy(() -> fetch(fetcher, post)).isInstanceOf(IOException.class)
          .hasMessageContaining("pooled connection");
    }
  }

  @Test
  void manyConcurrentRequestsShareTheBoundedConnections() throws Exception {
    var failures = new ConcurrentLinkedQueue<Throwable>();
    var next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 200; t++) {
      threads.add(Thread.ofVirtual().start(() -> {
        for (int i = next.getAndIncrement(); i < 1000; i = next.getAndIncrement()) {
          try {
            Got got = get("/n/" + i);
            if (!got.text().equals("n=" + i + "\n")) {
              failures.add(new AssertionError("request " + i + " got " + got.text()));
            }
          } catch (Exception e) {
            failures.add(e);
          }
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();
    FetchStats stats = fetcher.stats();
    assertThat(stats.requests()).isEqualTo(1000);
    assertThat(stats.connectionsOpened()).isLessThanOrEqualTo(64);
    assertThat(stats.connectionsOpened() + stats.connectionsReused()).isEqualTo(1000);
    assertThat(server.stats().accepted()).isLessThanOrEqualTo(64);
  }

  @Test
  void thePoolBoundIsRespected() throws Exception {
    gate = new CountDownLatch(1);
    try (var four = HttpFetcher.builder().maxConnectionsPerHost(4).build()) {
      var done = new CountDownLatch(20);
      var failures = new ConcurrentLinkedQueue<Throwable>();
      for (int i = 0; i < 20; i++) {
        int n = i;
        Thread.ofVirtual().start(() -> {
          try {
            fetch(four, FetchRequest.get(uri("/n/" + n)));
          } catch (Exception e) {
            failures.add(e);
          } finally {
            done.countDown();
          }
        });
      }
      awaitTrue(() -> inHandler.get() == 4);
      gate.countDown();
      done.await();
      assertThat(failures).isEmpty();
      assertThat(mostInHandler.get()).isEqualTo(4);
      assertThat(four.stats().connectionsOpened()).isEqualTo(4);
      assertThat(server.stats().accepted()).isEqualTo(4);
    }
  }

  @Test
  void interruptingAFetchClosesItsConnection() throws Exception {
    try (var peer = new RawPeer(socket -> {
      RawPeer.readHead(socket.getInputStream());
      socket.getInputStream().read();
    })) {
      var caught = new java.util.concurrent.atomic.AtomicReference<Throwable>();
      Thread thread = Thread.ofVirtual().start(() -> {
        try {
          fetch(fetcher, FetchRequest.get(peer.uri("/")));
        } catch (Throwable e) {
          caught.set(e);
        }
      });
      awaitTrue(() -> peer.accepted() == 1);
      thread.interrupt();
      thread.join();
      assertThat(caught.get()).isInstanceOf(InterruptedException.class);
    }
  }

  @Test
  void httpsGoesToTheJdkClient() {
    var request = FetchRequest.get(URI.create("https://127.0.0.1:" + server.port() + "/hello"))
        .withTimeout(Duration.ofSeconds(5));
    assertThatThrownBy(() -> get(request)).isInstanceOf(IOException.class);
    assertThat(fetcher.stats().delegated()).isEqualTo(1);
    assertThat(fetcher.stats().requests()).isZero();
  }

  @Test
  void aClosedFetcherRefusesWork() {
    fetcher.close();
    assertThatThrownBy(() -> get("/hello")).isInstanceOf(IllegalStateException.class)
        .hasMessage("HttpFetcher already closed");
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> HttpFetcher.builder().maxConnectionsPerHost(0))
        .hasMessage("maxConnectionsPerHost must be > 0: 0");
    assertThatThrownBy(() -> HttpFetcher.builder().requestTimeout(Duration.ZERO))
        .hasMessage("requestTimeout must be > 0: PT0S");
    assertThatThrownBy(() -> FetchRequest.of("get", uri("/")))
        .hasMessage("method must be upper-case letters: get");
    assertThatThrownBy(() -> FetchRequest.get(URI.create("/relative")))
        .hasMessage("uri must be absolute with a host: /relative");
  }

  private Got get(FetchRequest request) throws IOException, InterruptedException {
    return fetch(fetcher, request);
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) {
      new CountDownLatch(1).await(10, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    assertThat(condition.getAsBoolean()).as("condition within 10 s").isTrue();
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
