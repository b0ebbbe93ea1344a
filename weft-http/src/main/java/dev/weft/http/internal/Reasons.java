package dev.weft.http.internal;

/** The reason phrases of the status codes (RFC 9110 section 15); "Unknown" for others. */
public final class Reasons {
  private static final String[] PHRASES = new String[600];

  static {
    String[] table = {
      "100", "Continue", "200", "OK", "201", "Created", "202", "Accepted", "204", "No Content",
      "206", "Partial Content", "301", "Moved Permanently", "302", "Found", "303", "See Other",
      "304", "Not Modified", "307", "Temporary Redirect", "308", "Permanent Redirect",
      "400", "Bad Request", "401", "Unauthorized", "403", "Forbidden", "404", "Not Found",
      "405", "Method Not Allowed", "406", "Not Acceptable", "408", "Request Timeout",
      "409", "Conflict", "410", "Gone", "411", "Length Required", "412", "Precondition Failed",
      "413", "Content Too Large", "414", "URI Too Long", "415", "Unsupported Media Type",
      "416", "Range Not Satisfiable", "417", "Expectation Failed", "422", "Unprocessable Content",
      "429", "Too Many Requests", "431", "Request Header Fields Too Large",
      "500", "Internal Server Error", "501", "Not Implemented", "502", "Bad Gateway",
      "503", "Service Unavailable", "504", "Gateway Timeout", "505", "HTTP Version Not Supported"
    };
    for (int i = 0; i < table.length; i += 2) {
      PHRASES[Integer.parseInt(table[i])] = table[i + 1];
    }
  }

  private Reasons() {}

  /** The reason phrase of {@code status}. */
  public static String phrase(int status) {
    String phrase = status >= 0 && status < PHRASES.length ? PHRASES[status] : null;
    return phrase == null ? "Unknown" : phrase;
  }

  /** Whether a response with {@code status} never has a body (1xx, 204, 304). */
  public static boolean bodiless(int status) {
    return status < 200 || status == 204 || status == 304;
  }
}
