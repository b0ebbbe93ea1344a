package dev.weft.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RequestCounterTest {

  @Test
  void countsEveryRequestExactlyOnceAcrossConnections() throws Exception {
    int clients = 8;
    int each = 25;
    Set<String> answers = ConcurrentHashMap.newKeySet();
    try (var server = RequestCounter.start(0)) {
      var uri = URI.create("http://127.0.0.1:" + server.port() + "/");
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        threads.add(Thread.ofVirtual().start(() -> {
          try (var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < each; i++) {
              var response = client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
              assertThat(response.statusCode()).isEqualTo(200);
              answers.add(response.body());
            }
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }));
      }
      for (Thread thread : threads) {
        thread.join();
      }
      try (var client = HttpClient.newHttpClient()) {
        String last = client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()).body();
        assertThat(last).isEqualTo("I am request #" + (clients * each + 1) + "\n");
      }
    }
    // every number from 1 to N was handed out once: N distinct answers for N requests
    assertThat(answers).hasSize(clients * each);
    for (int n = 1; n <= clients * each; n++) {
      assertThat(answers).contains("I am request #" + n + "\n");
    }
  }

  @Test
  void mainPrintsTheAddressItServesOn() throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    var original = System.out;
    Thread main;
    synchronized (System.class) {
      System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
      try {
        main = Thread.ofVirtual().start(() -> {
          try {
            RequestCounter.main(new String[] {"0"});
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
            .until(() -> out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("serving on"));
      } finally {
        System.setOut(original);
      }
    }
    String line = out.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
    assertThat(line).matches("serving on http://127\\.0\\.0\\.1:\\d+/ \\(Ctrl-C stops\\)");
    String url = line.substring("serving on ".length(), line.indexOf(' ', "serving on ".length()));
    try (var client = HttpClient.newHttpClient()) {
      assertThat(client.send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.ofString()).body())
          .isEqualTo("I am request #1\n");
    }
    main.interrupt();
    main.join();
  }
}
