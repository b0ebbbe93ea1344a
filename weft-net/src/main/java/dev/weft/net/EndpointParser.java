package dev.weft.net;

import java.util.HashMap;
import java.util.Map;

/** Parses {@link Endpoint} strings; stateless. */
final class EndpointParser {
  private EndpointParser() {}

  static Endpoint parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("endpoint must not be empty: \"" + text + "\"");
    }
    String[] parts = text.split(":", -1);
    if (parts.length < 2 || !parts[0].equals("tcp")) {
      throw new IllegalArgumentException("endpoint must start with tcp: \"" + text + "\"");
    }
    Map<String, String> options = new HashMap<>();
    int positional = 0;
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        throw new IllegalArgumentException("endpoint has an empty field: \"" + text + "\"");
      }
      int eq = part.indexOf('=');
      String key;
      String value;
      if (eq < 0) {
        key = positionalKey(positional++, parts.length - 1, text);
        value = part;
      } else {
        key = part.substring(0, eq);
        value = part.substring(eq + 1);
        if (key.equals("interface")) {
          key = "host";
        }
        if (!key.equals("host") && !key.equals("port") && !key.equals("backlog")) {
          throw new IllegalArgumentException("unknown endpoint option: \"" + part + "\" in \"" + text + "\"");
        }
        if (value.isEmpty()) {
          throw new IllegalArgumentException("endpoint option has no value: \"" + part + "\" in \"" + text + "\"");
        }
      }
      if (options.put(key, value) != null) {
        throw new IllegalArgumentException("endpoint option given twice: " + key + " in \"" + text + "\"");
      }
    }
    String port = options.get("port");
    if (port == null) {
      throw new IllegalArgumentException("endpoint has no port: \"" + text + "\"");
    }
    return new Endpoint(
        options.getOrDefault("host", Endpoint.LOOPBACK),
        number("port", port, text),
        options.containsKey("backlog") ? number("backlog", options.get("backlog"), text) : Endpoint.DEFAULT_BACKLOG);
  }

  /** {@code tcp:PORT} and {@code tcp:HOST:PORT}. */
  private static String positionalKey(int index, int fields, String text) {
    if (index == 0) {
      return isNumberLike(text, fields) ? "port" : "host";
    }
    if (index == 1) {
      return "port";
    }
    throw new IllegalArgumentException("endpoint has too many positional fields: \"" + text + "\"");
  }

  private static boolean isNumberLike(String text, int fields) {
    String[] parts = text.split(":", -1);
    return fields == 1 || parts.length < 3 || parts[2].contains("=");
  }

  private static int number(String name, String value, String text) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number: \"" + value + "\" in \"" + text + "\"", e);
    }
  }
}
