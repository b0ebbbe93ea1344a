package dev.weft.http.internal;

/**
 * The character classes of HTTP/1.1's grammar (RFC 9110 section 5.6.2, RFC 9112), shared by the
 * request and response parsers.
 */
final class Syntax {
  private static final boolean[] TCHAR = tokenChars();

  private Syntax() {}

  /** Whether {@code b} is a {@code tchar}: a byte of a method, a field name or a token. */
  static boolean isToken(byte b) {
    return b >= 0 && TCHAR[b];
  }

  static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  /** The value of a hexadecimal digit, or -1 for any other byte. */
  static int hex(byte b) {
    return b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
  }

  private static boolean[] tokenChars() {
    boolean[] t = new boolean[128];
    for (char c = '0'; c <= '9'; c++) {
      t[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      t[c] = true;
      t[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      t[c] = true;
    }
    return t;
  }
}
