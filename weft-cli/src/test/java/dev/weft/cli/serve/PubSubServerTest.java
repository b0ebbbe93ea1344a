package dev.weft.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.net.Broadcast;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PubSubServerTest {
  private static final int LINES = 100_000;
  private final Broadcast room = Broadcast.create();
  private Servers.Running server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.reactor().close();
    }
  }

  private Socket connect() throws IOException {
    var socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", server.port().port()));
    return socket;
  }

  private static CompletableFuture<List<String>> readLines(Socket socket, int count) {
    return readLines(socket, count, new java.util.concurrent.Semaphore(0));
  }

  /** Reads {@code count} lines on a platform thread, releasing a permit every 1,000 lines. */
  private static CompletableFuture<List<String>> readLines(Socket socket, int count, java.util.concurrent.Semaphore progress) {
    return CompletableFuture.supplyAsync(() -> {
      var lines = new ArrayList<String>(count);
      try {
        var reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        while (lines.size() < count) {
          String line = reader.readLine();
          if (line == null) {
            break;
          }
          lines.add(line);
          if (lines.size() % 1000 == 0) {
            progress.release();
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return lines;
    }, runnable -> Thread.ofPlatform().daemon().start(runnable));
  }

  @Test
  @SuppressWarnings("try") // the slow subscriber is held open and never read
  void aSlowSubscriberIsDisconnectedWhileTheOthersReceiveEverythingInOrder() throws Exception {
    var options = ConnectionOptions.defaults().withOutboundLimit(1024 * 1024);
    server = Servers.start(Endpoint.parse("tcp:0"), Servers.pubsub(room, 1024), options, 2);
    try (Socket publisher = connect(); Socket slow = new Socket()) {
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", server.port().port()));
      List<Socket> fast = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        fast.add(connect());
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> room.stats().subscribers() == 5);
      List<CompletableFuture<List<String>>> received = new ArrayList<>();
      List<java.util.concurrent.Semaphore> progress = new ArrayList<>();
      for (Socket socket : fast) {
        progress.add(new java.util.concurrent.Semaphore(0));
        received.add(readLines(socket, LINES, progress.getLast()));
      }
      String tag = "[127.0.0.1:" + publisher.getLocalPort() + "] ";
      OutputStream out = publisher.getOutputStream();
      var echoes = new BufferedReader(new InputStreamReader(publisher.getInputStream(), StandardCharsets.UTF_8));
      var batch = new StringBuilder();
      for (int i = 0; i < LINES; i++) {
        batch.append("line ").append(i).append(" ").append("p".repeat(60)).append('\n');
        if ((i + 1) % 1000 == 0) {
          // clients that keep up: each is at most two batches of 1,000 lines behind
          if (i >= 2000) {
            for (var reader : progress) {
              assertThat(reader.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
            }
          }
          out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
          batch.setLength(0);
          for (int j = i - 999; j <= i; j++) {
            String echo = echoes.readLine();
            if (!echo.equals(tag + "line " + j + " " + "p".repeat(60))) {
              assertThat(echo).as("the sender's own line %d", j).isEqualTo(tag + "line " + j);
            }
          }
        }
      }
      for (CompletableFuture<List<String>> future : received) {
        List<String> lines = future.get(30, TimeUnit.SECONDS);
        assertThat(lines).hasSize(LINES);
        for (int i = 0; i < LINES; i++) {
          assertThat(lines.get(i)).isEqualTo(tag + "line " + i + " " + "p".repeat(60));
        }
        assertThat(lines.getLast()).startsWith(tag + "line " + (LINES - 1) + " ");
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> room.stats().subscribers() == 4);
      assertThat(server.port().stats().closed()).isEqualTo(1);
      for (Socket socket : fast) {
        socket.close();
      }
    }
  }

  @Test
  void everyClientIncludingTheSenderGetsEachLineTagged() throws Exception {
    server = Servers.start(Endpoint.parse("tcp:0"), Servers.pubsub(room, 1024), ConnectionOptions.defaults(), 1);
    try (Socket a = connect(); Socket b = connect()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> room.stats().subscribers() == 2);
      var atA = readLines(a, 1);
      var atB = readLines(b, 1);
      a.getOutputStream().write("hello\r\n".getBytes(StandardCharsets.UTF_8));
      String expected = "[127.0.0.1:" + a.getLocalPort() + "] hello";
      assertThat(atA.get(10, TimeUnit.SECONDS)).containsExactly(expected);
      assertThat(atB.get(10, TimeUnit.SECONDS)).containsExactly(expected);
    }
  }

  @Test
  void durationsReadTheShortForms() {
    assertThat(ServerOptions.DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(ServerOptions.DurationConverter.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ServerOptions.DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ServerOptions.DurationConverter.parse("0")).isEqualTo(Duration.ZERO);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerOptions.DurationConverter.parse("soon"))
        .hasMessage("duration must look like 30s, 5m, 500ms or PT30S: soon");
  }
}
