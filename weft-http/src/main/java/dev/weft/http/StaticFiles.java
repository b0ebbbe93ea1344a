package dev.weft.http;

import dev.weft.http.internal.HttpDates;
import dev.weft.http.internal.MimeTypes;
import dev.weft.http.internal.PercentDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A handler that serves the files under a root directory to {@code GET} and {@code HEAD}: content
 * types by extension, {@code Last-Modified} and {@code If-Modified-Since} (304), single byte
 * ranges (206, or 416 when out of the file), {@code index.html} for a directory, and the body sent
 * with {@code FileChannel.transferTo}.
 *
 * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="staticFiles" :
 * HttpHandler site = Router.builder()
 *     .get("/api/time", request -> HttpResponse.text(Instant.now() + "\n"))
 *     .fallback(StaticFiles.under(Path.of("public")))
 *     .build();
 * }
 *
 * <h2>No escape from the root</h2>
 *
 * The request path is split into segments before they are percent-decoded, and a segment that
 * decodes to {@code .}, {@code ..}, or holds a slash, a backslash or NUL is answered 404: {@code
 * /../x}, {@code /%2e%2e/x} and {@code /a%2Fb} never reach the file system. The file found is
 * resolved through its symbolic links, and one that lies outside the real root is answered 404 as
 * if it did not exist. Directories are not listed unless {@link #withDirectoryListing()} says so.
 *
 * <p>Immutable and thread-safe; the handler blocks on file system calls, which is fine on the
 * connection's virtual thread. Comparison: Twisted's {@code static.File} and Python's {@code
 * http.server.SimpleHTTPRequestHandler} (which lists directories by default); nginx's {@code root}
 * with {@code disable_symlinks if_not_owner}-like checks done by resolving real paths.
 */
public final class StaticFiles implements HttpHandler {
  private final Path root;
  private final boolean listing;

  private StaticFiles(Path root, boolean listing) {
    this.root = root;
    this.listing = listing;
  }

  /**
   * Serves the files under {@code root}, which must be a directory; no listings.
   *
   * @throws UncheckedIOException if {@code root} does not exist or is not a directory
   */
  public static StaticFiles under(Path root) {
    try {
      Path real = root.toRealPath();
      if (!Files.isDirectory(real)) {
        throw new IllegalArgumentException("static root must be a directory: " + root);
      }
      return new StaticFiles(real, false);
    } catch (IOException e) {
      throw new UncheckedIOException("static root must exist: " + root, e);
    }
  }

  /** These files, with an HTML listing for a directory without {@code index.html}. */
  public StaticFiles withDirectoryListing() {
    return new StaticFiles(root, true);
  }

  /** The real path of the root. */
  public Path root() {
    return root;
  }

  @Override
  public HttpResponse handle(HttpRequest request) throws IOException {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return HttpResponse.text(405, request.method() + " not allowed on files\n").withHeader("Allow", "GET, HEAD");
    }
    Optional<Path> found = resolve(request.path());
    if (found.isEmpty()) {
      return notFound(request);
    }
    Path file = found.get();
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (attributes.isDirectory()) {
      return directory(request, file);
    }
    if (!attributes.isRegularFile()) {
      return notFound(request);
    }
    return FileResponses.serve(request, file, attributes);
  }

  @Override
  public String toString() {
    return "StaticFiles[" + root + "]";
  }

  /** The real file a raw request path names, if it exists inside the root. */
  Optional<Path> resolve(String rawPath) throws IOException {
    Path path = root;
    for (String segment : PathPattern.split(rawPath)) {
      Optional<String> name = PercentDecoder.decode(segment);
      if (name.isEmpty() || !safe(name.get())) {
        return Optional.empty();
      }
      path = path.resolve(name.get());
    }
    try {
      Path real = path.toRealPath();
      return real.startsWith(root) ? Optional.of(real) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static boolean safe(String name) {
    return !name.isEmpty() && !name.equals(".") && !name.equals("..")
        && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
  }

  private HttpResponse directory(HttpRequest request, Path directory) throws IOException {
    if (!request.path().endsWith("/")) {
      String query = request.query().isEmpty() ? "" : "?" + request.query();
      return HttpResponse.empty(301).withHeader("Location", request.path() + "/" + query);
    }
    Path index = directory.resolve("index.html");
    if (Files.isRegularFile(index) && index.toRealPath().startsWith(root)) {
      return FileResponses.serve(request, index.toRealPath(), Files.readAttributes(index, BasicFileAttributes.class));
    }
    if (!listing) {
      return notFound(request);
    }
    List<String> names;
    try (Stream<Path> entries = Files.list(directory)) {
      names = entries.map(p -> p.getFileName().toString() + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
    }
    StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<title>").append(escape(request.path()))
        .append("</title>\n<h1>").append(escape(request.path())).append("</h1>\n<ul>\n");
    for (String name : names) {
      html.append("<li><a href=\"").append(escape(FileResponses.encode(name))).append("\">")
          .append(escape(name)).append("</a></li>\n");
    }
    html.append("</ul>\n");
    return HttpResponse.bytes(200, MimeTypes.of("index.html"), html.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse notFound(HttpRequest request) {
    return HttpResponse.text(404, "not found: " + request.path() + "\n");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Last-Modified in whole seconds, as HTTP dates carry. */
  static Instant modified(BasicFileAttributes attributes) {
    return attributes.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS);
  }

  static String httpDate(Instant instant) {
    return HttpDates.format(instant);
  }
}
