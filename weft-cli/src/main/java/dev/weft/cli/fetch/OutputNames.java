package dev.weft.cli.fetch;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * File names for downloads, as {@code curl -O} and {@code wget} choose them: the last segment of
 * the URL's path, percent-decoded, made safe to use inside the output directory.
 *
 * <p>Safe means a plain name of one path element: every {@code /} and {@code \} (also when
 * percent-encoded), NUL, control character and {@code :} becomes {@code _}; a name of dots only
 * ({@code .}, {@code ..}) has its dots replaced; an empty name (a path ending in {@code /}) becomes
 * {@code index.html}; a name longer than 200 bytes is cut. So no URL can name a file outside the
 * output directory, an absolute path or a device.
 *
 * <p>Collisions are resolved in input order, so the same list always gives the same names: the
 * first URL keeps its name, later ones get {@code name.1.ext}, {@code name.2.ext}... (wget's
 * {@code .1} suffix, put before the extension so that the file still opens by type). Names that
 * differ only in case count as the same, for case-insensitive file systems.
 */
final class OutputNames {
  private static final int MAX_BYTES = 200;

  private OutputNames() {}

  /** One safe name per URI, in the same order, without duplicates. */
  static List<String> assign(List<URI> uris) {
    Set<String> taken = new HashSet<>();
    List<String> names = new ArrayList<>(uris.size());
    for (URI uri : uris) {
      String name = safeName(uri);
      String unique = name;
      for (int n = 1; !taken.add(unique.toLowerCase(Locale.ROOT)); n++) {
        unique = numbered(name, n);
      }
      names.add(unique);
    }
    return names;
  }

  /** The safe name for one URI, before collisions. */
  static String safeName(URI uri) {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    if (isPlain(last)) {
      return last; // the usual case, without the work below (it runs for every URL before the first request)
    }
    String name = clean(decode(last));
    if (name.isEmpty()) {
      return "index.html";
    }
    if (name.chars().allMatch(c -> c == '.')) {
      return name.replace('.', '_');
    }
    return truncate(name);
  }

  /**
   * Whether {@code name} is already safe as it is: 1 to {@value #MAX_BYTES} letters, digits, {@code
   * -}, {@code _} and {@code .}, not starting with a dot (so neither {@code .}, {@code ..} nor
   * hidden), and without escapes to decode.
   */
  private static boolean isPlain(String name) {
    if (name.isEmpty() || name.length() > MAX_BYTES || name.charAt(0) == '.') {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  private static String numbered(String name, int n) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) + "." + n + name.substring(dot) : name + "." + n;
  }

  private static String clean(String name) {
    var out = new StringBuilder(name.length());
    name.codePoints()
        .map(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '/' || c == '\\' || c == ':' ? '_' : c)
        .forEach(out::appendCodePoint);
    return out.toString().strip();
  }

  /** Percent-decoding that leaves malformed escapes as they are (never fails on a URL). */
  private static String decode(String raw) {
    var bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
      if (c == '%' && lo >= 0) {
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String truncate(String name) {
    if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String extension = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
    var out = new StringBuilder();
    int budget = MAX_BYTES - extension.length();
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      int size = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
      if (budget < size) {
        break;
      }
      out.appendCodePoint(c);
      budget -= size;
      i += Character.charCount(c);
    }
    return out + extension;
  }
}
