package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.http.internal.HttpDates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class StaticFilesTest {
  private static final Instant MODIFIED = Instant.parse("2026-01-02T03:04:05Z");

  @TempDir Path dir;
  private Path root;
  private StaticFiles files;

  @BeforeEach
  void tree() throws IOException {
    root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(root.resolve("hello.txt"), "0123456789");
    Files.setLastModifiedTime(root.resolve("hello.txt"), FileTime.from(MODIFIED));
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(root.resolve("docs/index.html"), "<p>docs</p>");
    Files.createDirectories(root.resolve("empty"));
    Files.writeString(dir.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(root.resolve("escape.txt"), dir.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("inside.txt"), root.resolve("hello.txt"));
    files = StaticFiles.under(root);
  }

  @Test
  void servesAFileWithTypeLengthAndLastModified() throws Exception {
    var response = files.handle(HttpRequest.create("GET", "/hello.txt"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentLength()).isEqualTo(10);
    assertThat(response.headers().value("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(response.headers().value("Last-Modified")).hasValue("Fri, 02 Jan 2026 03:04:05 GMT");
    assertThat(files.handle(HttpRequest.create("GET", "/inside.txt")).status()).isEqualTo(200);
  }

  @Test
  void answers304WhenNotModifiedSince() throws Exception {
    assertThat(files.handle(conditional(MODIFIED)).status()).isEqualTo(304);
    assertThat(files.handle(conditional(MODIFIED.plusSeconds(60))).status()).isEqualTo(304);
    assertThat(files.handle(conditional(MODIFIED.minusSeconds(1))).status()).isEqualTo(200);
  }

  @Test
  void servesByteRanges() throws Exception {
    assertThat(range("bytes=2-4").headers().value("Content-Range")).hasValue("bytes 2-4/10");
    assertThat(range("bytes=2-4").contentLength()).isEqualTo(3);
    assertThat(range("bytes=7-").headers().value("Content-Range")).hasValue("bytes 7-9/10");
    assertThat(range("bytes=-3").headers().value("Content-Range")).hasValue("bytes 7-9/10");
    assertThat(range("bytes=5-100").headers().value("Content-Range")).hasValue("bytes 5-9/10");
    assertThat(range("bytes=2-4").status()).isEqualTo(206);
    var unsatisfiable = range("bytes=10-");
    assertThat(unsatisfiable.status()).isEqualTo(416);
    assertThat(unsatisfiable.headers().value("Content-Range")).hasValue("bytes */10");
    assertThat(range("bytes=1-2,4-5").status()).isEqualTo(200);
    assertThat(range("lines=1-2").status()).isEqualTo(200);
    assertThat(range("bytes=4-2").status()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/docs/..%2f..%2fsecret.txt",
      "/docs/%2e%2e/%2e%2e/secret.txt", "/escape.txt", "/hello.txt%00", "/..%5csecret.txt", "/nothing",
      "/docs/../../secret.txt", "/%zz", "/empty/"})
  void neverEscapesTheRootNorListsDirectories(String path) throws Exception {
    var response = files.handle(HttpRequest.create("GET", path));
    assertThat(response.status()).as(path).isEqualTo(404);
  }

  @Test
  void directoriesRedirectToTheirSlashAndServeTheirIndex() throws Exception {
    var redirect = files.handle(HttpRequest.create("GET", "/docs?x=1"));
    assertThat(redirect.status()).isEqualTo(301);
    assertThat(redirect.headers().value("Location")).hasValue("/docs/?x=1");
    var index = files.handle(HttpRequest.create("GET", "/docs/"));
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.headers().value("Content-Type")).hasValue("text/html; charset=utf-8");
  }

  @Test
  void listsDirectoriesOnlyWhenAsked() throws Exception {
    var listing = files.withDirectoryListing().handle(HttpRequest.create("GET", "/"));
    assertThat(listing.status()).isEqualTo(200);
    assertThat(listing.contentLength()).isPositive();
  }

  @Test
  void otherMethodsAre405() throws Exception {
    var response = files.handle(HttpRequest.create("POST", "/hello.txt"));
    assertThat(response.status()).isEqualTo(405);
    assertThat(response.headers().value("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void rootMustBeAnExistingDirectory() {
    assertThatThrownBy(() -> StaticFiles.under(dir.resolve("missing"))).hasMessageStartingWith("static root must exist: ");
    assertThatThrownBy(() -> StaticFiles.under(dir.resolve("secret.txt"))).hasMessageStartingWith("static root must be a directory: ");
  }

  @Test
  void sendsFileBodiesAndRangesOverTheWire() throws Exception {
    byte[] big = new byte[3 << 20];
    new java.util.Random(3).nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    var address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    try (var server = HttpServer.start(address, files, HttpOptions.defaults());
        var raw = new RawClient(server.address())) {
      var whole = raw.send("GET /big.bin HTTP/1.1\r\nHost: h\r\n\r\n").read();
      assertThat(whole.header("content-length")).isEqualTo(String.valueOf(big.length));
      assertThat(whole.body().length()).isPositive();
      var part = raw.send("GET /hello.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=3-5\r\n\r\n").read();
      assertThat(part.status()).isEqualTo(206);
      assertThat(part.body()).isEqualTo("345");
      var head = raw.send("HEAD /hello.txt HTTP/1.1\r\nHost: h\r\n\r\n").read(true);
      assertThat(head.header("content-length")).isEqualTo("10");
      assertThat(raw.send("GET /../secret.txt HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(404);
      var client = java.net.http.HttpClient.newHttpClient();
      var bytes = client.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/big.bin")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      assertThat(bytes.body()).isEqualTo(big);
      client.close();
    }
  }

  private HttpResponse range(String range) throws Exception {
    return files.handle(HttpRequest.create("GET", "/hello.txt", HttpHeaders.of("Range", range), new byte[0]));
  }

  private static HttpRequest conditional(Instant since) {
    return HttpRequest.create("GET", "/hello.txt", HttpHeaders.of("If-Modified-Since", HttpDates.format(since)), new byte[0]);
  }
}
