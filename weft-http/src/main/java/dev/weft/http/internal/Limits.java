package dev.weft.http.internal;

/**
 * The sizes {@link RequestParser} enforces, each with the status it answers when passed.
 *
 * @param maxRequestLine bytes in the request line, CRLF excluded (414 beyond)
 * @param maxHeaderCount header (and trailer) fields (431 beyond)
 * @param maxHeaderSize bytes of all header (and trailer) lines, CRLFs included (431 beyond)
 * @param maxBodySize bytes of body, chunked or not (413 beyond)
 */
public record Limits(int maxRequestLine, int maxHeaderCount, int maxHeaderSize, long maxBodySize) {
  /** The longest chunk-size line (size and extensions) accepted. */
  public static final int MAX_CHUNK_LINE = 1024;

  public Limits {
    positive("maxRequestLine", maxRequestLine);
    positive("maxHeaderCount", maxHeaderCount);
    positive("maxHeaderSize", maxHeaderSize);
    if (maxBodySize < 0) {
      throw new IllegalArgumentException("maxBodySize must be >= 0: " + maxBodySize);
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0: " + value);
    }
  }
}
