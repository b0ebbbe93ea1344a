package dev.weft.http;

/**
 * The HTTP versions the server speaks: 1.0 and 1.1. Any other {@code HTTP/x.y} is answered with
 * 505, and HTTP/2 is not offered.
 *
 * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="httpVersion" :
 * boolean persistentByDefault = request.version() == HttpVersion.HTTP_1_1;
 * }
 */
public enum HttpVersion {
  /** HTTP/1.0: connections close after each response unless the client asks to keep them. */
  HTTP_1_0("HTTP/1.0"),
  /** HTTP/1.1: connections persist unless either side says {@code Connection: close}. */
  HTTP_1_1("HTTP/1.1");

  private final String text;

  HttpVersion(String text) {
    this.text = text;
  }

  /** The version as it appears on the wire, {@code HTTP/1.1}. */
  public String text() {
    return text;
  }
}
