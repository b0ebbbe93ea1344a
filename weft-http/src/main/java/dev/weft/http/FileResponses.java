package dev.weft.http;

import dev.weft.http.internal.HttpDates;
import dev.weft.http.internal.MimeTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;

/**
 * The response for one regular file: conditional ({@code If-Modified-Since} → 304), ranged
 * ({@code Range: bytes=...} → 206 or 416) or whole. Only single ranges are served; a list of
 * ranges, or a malformed one, gets the whole file, as RFC 9110 allows. Stateless.
 */
final class FileResponses {
  private FileResponses() {}

  static HttpResponse serve(HttpRequest request, Path file, BasicFileAttributes attributes) {
    long size = attributes.size();
    Instant modified = StaticFiles.modified(attributes);
    String lastModified = StaticFiles.httpDate(modified);
    String type = MimeTypes.of(file.getFileName().toString());
    Optional<Instant> since = request.header("If-Modified-Since").flatMap(HttpDates::parse);
    if (since.isPresent() && !modified.isAfter(since.get()) && request.header("Range").isEmpty()) {
      return HttpResponse.empty(304).withHeader("Last-Modified", lastModified);
    }
    Optional<String> range = request.header("Range");
    Optional<String> ifRange = request.header("If-Range");
    if (range.isPresent() && (ifRange.isEmpty() || ifRange.get().equals(lastModified))) {
      long[] span = parseRange(range.get(), size);
      if (span == UNSATISFIABLE) {
        return HttpResponse.text(416, "range not satisfiable: " + range.get() + "\n")
            .withHeader("Content-Range", "bytes */" + size);
      }
      if (span != null) {
        return HttpResponse.file(206, type, file, span[0], span[1] - span[0] + 1)
            .withHeader("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + size)
            .withHeader("Last-Modified", lastModified)
            .withHeader("Accept-Ranges", "bytes");
      }
    }
    return HttpResponse.file(200, type, file, 0, size)
        .withHeader("Last-Modified", lastModified)
        .withHeader("Accept-Ranges", "bytes");
  }

  private static final long[] UNSATISFIABLE = new long[0];

  /** {first, last} of a single byte range; {@link #UNSATISFIABLE}; or null to ignore the header. */
  static long[] parseRange(String header, long size) {
    String value = header.strip();
    if (!value.regionMatches(true, 0, "bytes=", 0, 6) || value.indexOf(',') >= 0) {
      return null;
    }
    String spec = value.substring(6).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    Long first = number(spec.substring(0, dash));
    Long last = number(spec.substring(dash + 1));
    if (first == null && last == null) {
      return null;
    }
    if (first == null) {
      if (last == 0 || size == 0) {
        return UNSATISFIABLE;
      }
      return new long[] {Math.max(0, size - last), size - 1};
    }
    if (last != null && last < first) {
      return null;
    }
    if (first >= size) {
      return UNSATISFIABLE;
    }
    return new long[] {first, last == null ? size - 1 : Math.min(last, size - 1)};
  }

  private static Long number(String text) {
    if (text.isEmpty() || text.length() > 18) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return null;
      }
    }
    return Long.parseLong(text);
  }

  /** {@code name} percent-encoded as one path segment. */
  static String encode(String name) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (Character.isLetterOrDigit(c) && c < 0x80 || "-._~/".indexOf(c) >= 0) {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return encoded.toString();
  }
}
