package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(30)
class ServerLimitsTest {
  private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  private static final HttpHandler HELLO = request -> {
    request.readBody();
    return HttpResponse.text("hello\n");
  };

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          smuggling: CL and TE        | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 4\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
          smuggling: two CLs          | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\nab
          smuggling: TE and CL        | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 4\\r\\n\\r\\n0\\r\\n\\r\\n
          smuggling: CL with a sign   | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: +2\\r\\n\\r\\nab
          smuggling: TE in HTTP/1.0   | 400 | POST / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
          smuggling: TE twice chunked | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
          smuggling: bare LF          | 400 | GET / HTTP/1.1\\nHost: h\\r\\n\\r\\n
          smuggling: chunk size LF    | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n2\\nab\\r\\n0\\r\\n\\r\\n
          two Host fields             | 400 | GET / HTTP/1.1\\r\\nHost: h\\r\\nHost: i\\r\\n\\r\\n
          unknown expectation         | 417 | PUT / HTTP/1.1\\r\\nHost: h\\r\\nExpect: 200-ok\\r\\nContent-Length: 2\\r\\n\\r\\nab
          smuggling: TE not chunked   | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked, identity\\r\\n\\r\\n
          obs-fold                    | 400 | GET / HTTP/1.1\\r\\nHost: h\\r\\nX: a\\r\\n b\\r\\n\\r\\n
          space before colon          | 400 | GET / HTTP/1.1\\r\\nHost : h\\r\\n\\r\\n
          long request line           | 414 | GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n
          too many headers            | 431 | GET / HTTP/1.1\\r\\nHost: h\\r\\nA: 1\\r\\nB: 2\\r\\nC: 3\\r\\nD: 4\\r\\n\\r\\n
          body too large              | 413 | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 1001\\r\\n\\r\\n
          chunked body too large      | 413 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3e9\\r\\n
          unknown method              | 501 | BREW / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n
          gzip coding                 | 501 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n
          HTTP/2.0                    | 505 | GET / HTTP/2.0\\r\\nHost: h\\r\\n\\r\\n
          """)
  void refusesOverTheWireWithItsStatusAndCloses(String name, int status, String request) throws Exception {
    var options = HttpOptions.defaults().withMaxRequestLine(100).withMaxHeaders(3, 1000).withMaxBodySize(1000);
    try (var server = HttpServer.start(ANY_PORT, HELLO, options);
        var raw = new RawClient(server.address())) {
      var response = raw.send(request.replace("\\r", "\r").replace("\\n", "\n") + "GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
      assertThat(response.status()).as(name).isEqualTo(status);
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(raw.closedByServer()).isTrue();
      assertThat(server.stats().refused() + server.stats().requests()).isEqualTo(1);
    }
  }

  @Test
  void slowlorisGets408WhenTheHeaderTimeoutPasses() throws Exception {
    var clock = VirtualClock.create();
    var options = HttpOptions.defaults().withClock(clock).withHeaderReadTimeout(Duration.ofSeconds(10));
    try (var server = HttpServer.start(ANY_PORT, HELLO, options);
        var raw = new RawClient(server.address())) {
      raw.send("GET / HTTP/1.1\r\n");
      awaitAlarm(clock, Duration.ofSeconds(10));
      for (char c : "Host: h\r\n".toCharArray()) {
        clock.advance(Duration.ofSeconds(1));
        raw.send(String.valueOf(c));
      }
      clock.advance(Duration.ofSeconds(1));
      var response = raw.read();
      assertThat(response.status()).isEqualTo(408);
      assertThat(response.body()).isEqualTo("request head not received within PT10S\n");
      assertThat(raw.closedByServer()).isTrue();
      assertThat(server.stats().timeouts()).isEqualTo(1);
    }
  }

  @Test
  void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    var clock = VirtualClock.create();
    var options = HttpOptions.defaults().withClock(clock).withIdleTimeout(Duration.ofSeconds(30));
    try (var server = HttpServer.start(ANY_PORT, HELLO, options);
        var raw = new RawClient(server.address())) {
      assertThat(raw.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
      // the connection's idle deadline is set from the clock's time when it starts waiting
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.idleConnections() == 1);
      clock.advance(Duration.ofSeconds(29));
      assertThat(server.stats().open()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(1));
      assertThat(raw.closedByServer()).isTrue();
      assertThat(server.stats().timeouts()).isEqualTo(1);
    }
  }

  @Test
  void aClientThatStopsReadingIsClosedAfterTheIdleTimeout() throws Exception {
    var clock = VirtualClock.create();
    var options = HttpOptions.defaults().withClock(clock).withIdleTimeout(Duration.ofSeconds(30));
    var written = new java.util.concurrent.atomic.AtomicLong();
    var streamEnded = new java.util.concurrent.CountDownLatch(1);
    HttpHandler endless = request -> HttpResponse.stream(200, "application/octet-stream", out -> {
      byte[] chunk = new byte[64 * 1024];
      try {
        while (true) {
          out.write(chunk);
          written.addAndGet(chunk.length);
        }
      } finally {
        streamEnded.countDown();
      }
    });
    try (var server = HttpServer.start(ANY_PORT, endless, options);
        var socket = new java.net.Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(server.address());
      socket.getOutputStream().write("GET /endless HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      // the client reads nothing: the server's writes fill the socket buffers and block
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> written.get() > 0);

      // each step passes the idle timeout; the step that finds the write blocked ends it
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
        clock.advance(Duration.ofSeconds(31));
        return server.stats().open() == 0;
      });

      assertThat(streamEnded.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the handler's write failed and it ended").isTrue();
      assertThat(server.stats().timeouts()).isEqualTo(1);
      assertThat(written.get()).as("what the server got out before the client stopped reading").isLessThan(64L << 20);
    }
  }

  @Test
  void aResponseThatTakesLongerThanTheTimeoutInAllIsSentWholeWhileTheClientKeepsReading() throws Exception {
    var clock = VirtualClock.create();
    var options = HttpOptions.defaults().withClock(clock).withIdleTimeout(Duration.ofSeconds(20));
    int total = 32 << 20;
    var written = new java.util.concurrent.atomic.AtomicLong();
    HttpHandler streamed = request -> HttpResponse.stream(200, "application/octet-stream", total, out -> {
      byte[] piece = new byte[16 * 1024];
      for (int sent = 0; sent < total; sent += piece.length) {
        java.util.Arrays.fill(piece, (byte) (sent / piece.length));
        out.write(piece);
        written.addAndGet(piece.length);
      }
    });
    try (var server = HttpServer.start(ANY_PORT, streamed, options);
        var socket = new java.net.Socket()) {
      socket.connect(server.address());
      socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      var received = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      var in = socket.getInputStream();
      long advanced = 0;
      long unpaid = 0;
      long seen = 0;
      int credit = 0;
      for (int n; (n = in.read(buffer)) >= 0; ) {
        received.write(buffer, 0, n);
        // a virtual second per 64 KiB read, at most 5 of them since the server last wrote: on a
        // busy machine its thread may wait to be scheduled while the client reads what the socket
        // buffers hold, and time that passed then would be taken for a client that stopped reading
        for (unpaid += n; unpaid >= 65536; unpaid -= 65536) {
          if (written.get() != seen) {
            seen = written.get();
            credit = 5;
          }
          if (credit > 0) {
            credit--;
            clock.advance(Duration.ofSeconds(1));
            advanced++;
          }
        }
      }

      byte[] all = received.toByteArray();
      assertThat(advanced).as("virtual seconds passed; %d bytes received, %d written, %s", all.length, written.get(), server.stats())
          .isGreaterThan(options.idleTimeout().toSeconds());
      assertThat(all.length).isGreaterThan(total);
      byte[] body = java.util.Arrays.copyOfRange(all, all.length - total, all.length);
      for (int i = 0; i < total; i += 16 * 1024) {
        assertThat(body[i]).as("piece at %d", i).isEqualTo((byte) (i / (16 * 1024)));
      }
      assertThat(server.stats().timeouts()).isZero();
    }
  }

  @Test
  void anIdleAlarmThatFiresEarlyWaitsForTheLaterDeadline() throws Exception {
    var clock = VirtualClock.create();
    var options = HttpOptions.defaults().withClock(clock).withIdleTimeout(Duration.ofSeconds(60));
    try (var server = HttpServer.start(ANY_PORT, HELLO, options);
        var raw = new RawClient(server.address())) {
      assertThat(raw.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
      awaitIdle(server);
      clock.advance(Duration.ofSeconds(40));
      assertThat(raw.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
      awaitIdle(server);
      clock.advance(Duration.ofSeconds(40)); // the first alarm fires at 60 s and arms for 100 s
      assertThat(server.stats().open()).isEqualTo(1);
      assertThat(clock.pendingDelays()).containsExactly(Duration.ofSeconds(20));
      clock.advance(Duration.ofSeconds(20));
      assertThat(raw.closedByServer()).isTrue();
      assertThat(server.stats().timeouts()).isEqualTo(1);
    }
  }

  @Test
  void keepAliveRequestsShareOneAlarmAndAClosedConnectionCancelsIt() throws Exception {
    var clock = VirtualClock.create();
    try (var server = HttpServer.start(ANY_PORT, HELLO, HttpOptions.defaults().withClock(clock))) {
      try (var raw = new RawClient(server.address())) {
        for (int i = 0; i < 20; i++) {
          assertThat(raw.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
        }
        awaitIdle(server);
        assertThat(clock.pendingDelays()).hasSize(1);
      }
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().open() == 0);
      assertThat(clock.pendingDelays()).isEmpty();
    }
  }

  @Test
  void anEarlierDeadlineReplacesTheArmedAlarmAndLeavesNoneBehind() throws Exception {
    var clock = VirtualClock.create();
    var options = HttpOptions.defaults().withClock(clock).withHeaderReadTimeout(Duration.ofSeconds(10));
    try (var server = HttpServer.start(ANY_PORT, HELLO, options)) {
      try (var raw = new RawClient(server.address())) {
        raw.send("GET / HTTP/1.1\r\n");
        awaitAlarm(clock, Duration.ofSeconds(10));
        assertThat(clock.pendingDelays()).as("the idle alarm was cancelled").containsExactly(Duration.ofSeconds(10));
        assertThat(raw.send("Host: h\r\n\r\n").read().status()).isEqualTo(200);
      }
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().open() == 0);
      assertThat(clock.pendingDelays()).isEmpty();
    }
  }

  @Test
  void connectionsPastTheLimitAreAnswered503() throws Exception {
    var options = HttpOptions.defaults().withMaxConnections(1);
    try (var server = HttpServer.start(ANY_PORT, HELLO, options);
        var first = new RawClient(server.address())) {
      assertThat(first.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
      try (var second = new RawClient(server.address())) {
        assertThat(second.read().status()).isEqualTo(503);
        assertThat(second.closedByServer()).isTrue();
      }
      assertThat(server.stats().rejected()).isEqualTo(1);
      assertThat(first.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
    }
  }

  @Test
  void shutdownClosesIdleConnectionsAndLetsRequestsInProgressFinish() throws Exception {
    var entered = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    HttpHandler slow = request -> {
      if (request.path().equals("/slow")) {
        entered.countDown();
        release.await();
      }
      return HttpResponse.text("done\n");
    };
    var server = HttpServer.start(ANY_PORT, slow, HttpOptions.defaults());
    try (var idle = new RawClient(server.address());
        var busy = new RawClient(server.address())) {
      assertThat(idle.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
      busy.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
      entered.await();
      Thread closer = Thread.ofVirtual().start(() -> {
        try {
          server.shutdown(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertThat(idle.closedByServer()).isTrue();
      release.countDown();
      var response = busy.read();
      assertThat(response.body()).isEqualTo("done\n");
      assertThat(response.header("connection")).isEqualTo("close");
      closer.join();
      assertThat(server.stats().open()).isZero();
    }
  }

  @Test
  void optionsCheckTheirValues() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpOptions.defaults().withMaxConnections(0))
        .hasMessage("maxConnections must be > 0: 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpOptions.defaults().withIdleTimeout(Duration.ZERO))
        .hasMessage("idleTimeout must be > 0: PT0S");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpOptions.defaults().withMaxBodySize(-1))
        .hasMessage("maxBodySize must be >= 0: -1");
  }

  /** Waits until the server's one connection waits for a request, its idle deadline set. */
  private static void awaitIdle(HttpServer server) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.idleConnections() == 1);
  }

  /** Waits until the connection armed an alarm {@code delay} from now: its wait has begun. */
  private static void awaitAlarm(VirtualClock clock, Duration delay) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> clock.pendingDelays().contains(delay));
  }
}
