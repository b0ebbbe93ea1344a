package dev.weft.http;

import dev.weft.http.internal.PercentDecoder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A route's path: literal segments, {@code {name}} for one segment, and a last {@code {name...}}
 * for the rest of the path. Matching compares percent-decoded segments. Immutable.
 */
record PathPattern(String text, List<String> segments) {

  static PathPattern parse(String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("route path must start with /: " + text);
    }
    List<String> segments = split(text);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (segment.startsWith("{") != segment.endsWith("}")) {
        throw new IllegalArgumentException("route parameter must be {name} or {name...}: " + segment);
      }
      if (segment.startsWith("{")) {
        boolean rest = segment.endsWith("...}");
        String name = segment.substring(1, segment.length() - (rest ? 4 : 1));
        if (name.isEmpty() || !names.add(name)) {
          throw new IllegalArgumentException("route parameter names must be unique and non-empty: " + text);
        }
        if (rest && i != segments.size() - 1) {
          throw new IllegalArgumentException("a {name...} parameter must come last: " + text);
        }
      }
    }
    return new PathPattern(text, List.copyOf(segments));
  }

  /** The path parameters if {@code path} (raw, percent-encoded) matches; null if not. */
  Map<String, String> match(List<String> path) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (segment.endsWith("...}")) {
        Optional<String> rest = decode(path.subList(Math.min(i, path.size()), path.size()));
        if (rest.isEmpty()) {
          return null;
        }
        parameters.put(segment.substring(1, segment.length() - 4), rest.get());
        return parameters;
      }
      if (i >= path.size()) {
        return null;
      }
      Optional<String> value = PercentDecoder.decode(path.get(i));
      if (value.isEmpty()) {
        return null;
      }
      if (segment.startsWith("{")) {
        parameters.put(segment.substring(1, segment.length() - 1), value.get());
      } else if (!segment.equals(value.get())) {
        return null;
      }
    }
    return segments.size() == path.size() ? parameters : null;
  }

  /** The segments of a path: {@code /} has none, a trailing slash adds none. */
  static List<String> split(String path) {
    String inner = path.startsWith("/") ? path.substring(1) : path;
    if (inner.isEmpty()) {
      return List.of();
    }
    List<String> segments = new ArrayList<>(List.of(inner.split("/", -1)));
    if (segments.getLast().isEmpty()) {
      segments.removeLast();
    }
    return segments;
  }

  private static Optional<String> decode(List<String> rest) {
    StringBuilder joined = new StringBuilder();
    for (String segment : rest) {
      Optional<String> value = PercentDecoder.decode(segment);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      joined.append(joined.isEmpty() ? "" : "/").append(value.get());
    }
    return Optional.of(joined.toString());
  }
}
