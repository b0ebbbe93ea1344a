package dev.weft.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BytesTest {
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void findsTheFirstMatchAtEveryOffsetAndRange(boolean direct) {
    for (int length = 0; length <= 40; length++) {
      for (int at = 0; at < length; at++) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'a');
        bytes[at] = '\n';
        if (at + 3 < length) {
          bytes[at + 3] = '\n'; // a later match must not win
        }
        ByteBuffer data = direct ? ByteBuffer.allocateDirect(length).put(bytes).flip() : ByteBuffer.wrap(bytes);
        for (int from = 0; from <= length; from++) {
          int expected = from <= at ? at : (at + 3 < length && from <= at + 3 ? at + 3 : -1);
          assertThat(Bytes.indexOf(data, from, length, (byte) '\n'))
              .as("length %d, match at %d, from %d", length, at, from).isEqualTo(expected);
          assertThat(Bytes.indexOf(data, from, Math.min(length, at), (byte) '\n'))
              .as("before the match, length %d, at %d, from %d", length, at, from).isEqualTo(-1);
        }
      }
    }
  }

  @Test
  void bytesAboveTheMatchOrWithTheHighBitSetAreNotMistakenForIt() {
    // the borrow of a zero byte can mark the byte above it: only the lowest zero is trusted
    byte[] bytes = {(byte) 0x0b, (byte) 0x0a, (byte) 0x8a, (byte) 0xff, 0x0a, 0, (byte) 0x80, 0x0a, 0x0a};
    ByteBuffer data = ByteBuffer.wrap(bytes);
    assertThat(Bytes.indexOf(data, 0, bytes.length, (byte) 0x0a)).isEqualTo(1);
    assertThat(Bytes.indexOf(data, 2, bytes.length, (byte) 0x0a)).isEqualTo(4);
    assertThat(Bytes.indexOf(data, 0, bytes.length, (byte) 0xff)).isEqualTo(3);
    assertThat(Bytes.indexOf(data, 0, bytes.length, (byte) 0x80)).isEqualTo(6);
    assertThat(Bytes.indexOf(data, 0, bytes.length, (byte) 0)).isEqualTo(5);
    assertThat(Bytes.indexOf(ByteBuffer.allocate(16), 0, 16, (byte) 1)).isEqualTo(-1);
  }

  @Test
  void aReadOnlyViewWithAnOffsetIsSearchedByAbsoluteIndex() {
    byte[] bytes = "xxxxxxxxxxhello\nworld\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    ByteBuffer view = ByteBuffer.wrap(bytes).position(10).slice().asReadOnlyBuffer();
    assertThat(Bytes.indexOf(view, 0, view.limit(), (byte) '\n')).isEqualTo(5);
    assertThat(Bytes.indexOf(view, 6, view.limit(), (byte) '\n')).isEqualTo(11);
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "direct", "read-only heap", "read-only direct", "slice"})
  void copiesEveryLengthFromEveryKindOfBuffer(String kind) {
    byte[] source = new byte[64];
    for (int i = 0; i < source.length; i++) {
      source[i] = (byte) (i * 7 + 1);
    }
    ByteBuffer src = switch (kind) {
      case "heap" -> ByteBuffer.wrap(source);
      case "direct" -> ByteBuffer.allocateDirect(64).put(source).flip();
      case "read-only heap" -> ByteBuffer.wrap(source).asReadOnlyBuffer();
      case "read-only direct" -> ByteBuffer.allocateDirect(64).put(source).flip().asReadOnlyBuffer();
      default -> ByteBuffer.wrap(new byte[80]).position(16).slice().put(source).flip();
    };
    for (int length = 0; length <= 40; length++) {
      for (int from = 0; from + length <= 64; from += 5) {
        byte[] dst = new byte[50];
        Arrays.fill(dst, (byte) -1);
        Bytes.copy(src, from, dst, 3, length);
        byte[] expected = new byte[50];
        Arrays.fill(expected, (byte) -1);
        System.arraycopy(source, from, expected, 3, length);
        assertThat(dst).as("%s, length %d from %d", kind, length, from).isEqualTo(expected);
      }
    }
    assertThat(src.position()).isZero();
  }

  @Test
  void aCopyOutsideEitherRangeIsRefusedBeforeAnythingIsWritten() {
    ByteBuffer src = ByteBuffer.allocate(16).limit(10);
    byte[] dst = new byte[16];
    Arrays.fill(dst, (byte) 9);
    assertThatThrownBy(() -> Bytes.copy(src, 4, dst, 0, 8)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Bytes.copy(src, 0, dst, 10, 8)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(dst).containsOnly((byte) 9);
  }
}
