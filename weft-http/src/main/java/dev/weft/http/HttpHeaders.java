package dev.weft.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Header fields in the order they were sent, with names compared without regard to case. A request's
 * headers are as the client sent them; a response's are built with {@link #with}.
 *
 * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="httpHeaders" :
 * HttpHeaders headers = HttpHeaders.of("Cache-Control", "no-store").with("X-Request", "42");
 * Optional<String> cache = headers.value("cache-control"); // "no-store"
 * }
 *
 * <p>Immutable and thread-safe. {@link #with} refuses a name that is not an RFC 9110 token and a
 * value with CR, LF or another control character, so a response cannot be split by what a handler
 * copies into a header. Comparison: the JDK's {@code java.net.http.HttpHeaders} (immutable, but a
 * map of lists that loses the order between names) and Twisted's {@code Headers}.
 */
public final class HttpHeaders {
  private static final HttpHeaders EMPTY = new HttpHeaders(new String[0]);

  /** Names at even indexes, values at odd ones. */
  private final String[] fields;

  HttpHeaders(String[] fields) {
    this.fields = fields;
  }

  /** No fields. */
  public static HttpHeaders empty() {
    return EMPTY;
  }

  /** The fields {@code name1, value1, name2, value2, ...}. */
  public static HttpHeaders of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs: " + namesAndValues.length + " strings");
    }
    HttpHeaders headers = EMPTY;
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers = headers.with(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  /** These fields and one more, added last (a name may repeat). */
  public HttpHeaders with(String name, String value) {
    checkName(name);
    checkValue(name, value);
    String[] more = Arrays.copyOf(fields, fields.length + 2);
    more[fields.length] = name;
    more[fields.length + 1] = value;
    return new HttpHeaders(more);
  }

  /** These fields without any named {@code name}. */
  public HttpHeaders without(String name) {
    List<String> kept = new ArrayList<>(fields.length);
    for (int i = 0; i < fields.length; i += 2) {
      if (!fields[i].equalsIgnoreCase(name)) {
        kept.add(fields[i]);
        kept.add(fields[i + 1]);
      }
    }
    return new HttpHeaders(kept.toArray(String[]::new));
  }

  /** The value of the first field named {@code name}. */
  public Optional<String> value(String name) {
    for (int i = 0; i < fields.length; i += 2) {
      if (fields[i].equalsIgnoreCase(name)) {
        return Optional.of(fields[i + 1]);
      }
    }
    return Optional.empty();
  }

  /** The values of every field named {@code name}, in order. */
  public List<String> values(String name) {
    List<String> values = new ArrayList<>(2);
    for (int i = 0; i < fields.length; i += 2) {
      if (fields[i].equalsIgnoreCase(name)) {
        values.add(fields[i + 1]);
      }
    }
    return List.copyOf(values);
  }

  /** Whether a field named {@code name} is present. */
  public boolean contains(String name) {
    return value(name).isPresent();
  }

  /** The distinct names, in the case and order first sent. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < fields.length; i += 2) {
      names.add(fields[i]);
    }
    return names;
  }

  /** The number of fields. */
  public int size() {
    return fields.length / 2;
  }

  /** The name of field {@code index}, in order from 0. */
  public String name(int index) {
    return fields[2 * index];
  }

  /** The value of field {@code index}, in order from 0. */
  public String value(int index) {
    return fields[2 * index + 1];
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("HttpHeaders[");
    for (int i = 0; i < fields.length; i += 2) {
      text.append(i == 0 ? "" : ", ").append(fields[i]).append(": ").append(fields[i + 1]);
    }
    return text.append(']').toString();
  }

  private static void checkName(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("header name must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c > 0x7e || c <= ' ' || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
        throw new IllegalArgumentException("header name must be a token: " + name);
      }
    }
  }

  private static void checkValue(String name, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < ' ' && c != '\t') || c == 0x7f || c > 0xff) {
        throw new IllegalArgumentException("header " + name + " has a control or non-Latin-1 character at " + i);
      }
    }
  }
}
