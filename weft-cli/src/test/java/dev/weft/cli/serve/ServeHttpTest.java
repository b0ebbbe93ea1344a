package dev.weft.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(60)
class ServeHttpTest {
  @TempDir Path root;

  @Test
  void counterCountsEveryRequestExactlyOnceUnderLoadAndFilesAreServed() throws Exception {
    Files.writeString(root.resolve("hello.txt"), "hi\n");
    var command = new ServeHttp();
    new CommandLine(command).parseArgs("--port", "0", "--root", root.toString());
    try (var server = command.start()) {
      String base = "http://127.0.0.1:" + server.port();
      int clients = 16;
      int each = 50;
      var bodies = ConcurrentHashMap.<String>newKeySet();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        threads.add(Thread.ofVirtual().start(() -> {
          try (var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < each; i++) {
              var response = client.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), BodyHandlers.ofString());
              assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
              bodies.add(response.body());
            }
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }));
      }
      for (Thread thread : threads) {
        thread.join();
      }
      int sent = clients * each;
      assertThat(bodies).hasSize(sent).contains("I am request #" + sent + "\n");
      assertThat(command.requestsCounted()).isEqualTo(sent);
      try (var client = HttpClient.newHttpClient()) {
        var file = client.send(HttpRequest.newBuilder(URI.create(base + "/hello.txt")).build(), BodyHandlers.ofString());
        assertThat(file.body()).isEqualTo("hi\n");
        var missing = client.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(), BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
      }
      assertThat(ServeHttp.describe(server.stats())).contains(sent + 2 + " requests");
    }
  }
}
