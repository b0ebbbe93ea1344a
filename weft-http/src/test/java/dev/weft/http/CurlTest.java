package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server against curl: keep-alive across {@code --next}, uploads, ranges. Skipped without curl. */
@Timeout(60)
class CurlTest {
  @TempDir Path dir;

  @Test
  void curlReusesOneConnectionAcrossNextAndCountsEachRequest() throws Exception {
    assumeTrue(curlAvailable(), "curl is not installed");
    var counter = new AtomicLong();
    HttpHandler app = Router.builder()
        // on the event loop until the first upload, which hands the connection over to a thread
        .get("/", HttpHandler.nonBlocking(request -> HttpResponse.text("I am request #" + counter.incrementAndGet() + "\n")))
        .put("/upload", request -> HttpResponse.text(request.readBody().length + " bytes\n"))
        .build();
    Files.write(dir.resolve("payload"), new byte[100_000]);
    try (var server = HttpServer.start(0, app)) {
      String url = "http://127.0.0.1:" + server.port();
      var result = curl(url + "/", "--next", url + "/", "--next", url + "/",
          "--next", "-T", dir.resolve("payload").toString(), url + "/upload",
          "--next", "-H", "Transfer-Encoding: chunked", "-T", dir.resolve("payload").toString(), url + "/upload");
      assertThat(result.stdout()).isEqualTo(
          "I am request #1\nI am request #2\nI am request #3\n100000 bytes\n100000 bytes\n");
      assertThat(result.stderr()).contains("Re-using existing connection");
      assertThat(server.stats().accepted()).isEqualTo(1);
    }
  }

  @Test
  void curlGetsFilesRangesAndHeadFromStaticFiles() throws Exception {
    assumeTrue(curlAvailable(), "curl is not installed");
    Files.writeString(dir.resolve("a.txt"), "abcdefghij");
    try (var server = HttpServer.start(0, StaticFiles.under(dir))) {
      String url = "http://127.0.0.1:" + server.port() + "/a.txt";
      assertThat(curl("-s", url).stdout()).isEqualTo("abcdefghij");
      assertThat(curl("-s", "-r", "2-4", url).stdout()).isEqualTo("cde");
      assertThat(curl("-s", "-I", url).stdout()).contains("Content-Length: 10", "Content-Type: text/plain; charset=utf-8");
      assertThat(curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "--path-as-is",
          "http://127.0.0.1:" + server.port() + "/../etc/passwd").stdout()).isEqualTo("404");
    }
  }

  private record Result(String stdout, String stderr) {}

  private static Result curl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "-v", "--max-time", "20"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    var err = new java.io.ByteArrayOutputStream();
    var stderr = Thread.ofVirtual().start(() -> {
      try {
        process.getErrorStream().transferTo(err);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    byte[] out = process.getInputStream().readAllBytes();
    stderr.join();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("curl ended").isTrue();
    assertThat(process.exitValue()).as("curl exit status: %s", err.toString(StandardCharsets.UTF_8)).isZero();
    return new Result(new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static boolean curlAvailable() {
    try {
      return new ProcessBuilder("curl", "--version").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
