package dev.weft.http;

/**
 * Whether an {@link HttpServer} logs each request, in the Common Log Format with the time taken, to
 * the {@code System.Logger} named {@value #LOGGER} at level {@code INFO}.
 *
 * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="accessLog" :
 * var options = HttpOptions.defaults().withAccessLog(AccessLog.ON);
 * // 127.0.0.1 - - [22/Nov/2026:09:00:00 +0000] "GET / HTTP/1.1" 200 18 0.2ms
 * }
 */
public enum AccessLog {
  /** No access log (the default): nothing is formatted per request. */
  OFF,
  /** One line per request. */
  ON;

  /** The name of the logger the lines go to. */
  public static final String LOGGER = "dev.weft.http.access";
}
