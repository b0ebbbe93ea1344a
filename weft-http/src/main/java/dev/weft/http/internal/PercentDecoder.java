package dev.weft.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Decodes one percent-encoded path segment as UTF-8 ({@code +} stays a plus, as in paths). */
public final class PercentDecoder {
  private PercentDecoder() {}

  /** The decoded segment, or empty when an escape is malformed or the bytes are not UTF-8. */
  public static Optional<String> decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return Optional.of(segment);
    }
    byte[] bytes = new byte[segment.length()];
    int n = 0;
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        int hi = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(segment.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          return Optional.empty();
        }
        bytes[n++] = (byte) (hi * 16 + lo);
        i += 2;
      } else if (c > 0x7f) {
        return Optional.empty();
      } else {
        bytes[n++] = (byte) c;
      }
    }
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, n))
          .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
