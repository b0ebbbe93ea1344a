package dev.weft.net.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Searches and copies received bytes eight at a time. A line receiver looks for every LF in
 * everything it reads, and a byte-by-byte loop over a direct buffer checks bounds and the buffer's
 * liveness once per byte. A broadcast copies a few small parts per message out of buffers of
 * every kind (direct, heap, read-only views): {@code ByteBuffer}'s own bulk copies then make
 * several virtual calls per part that the JIT cannot resolve, while a view handle reads any kind
 * of buffer without them.
 */
public final class Bytes {
  /** Little-endian: the first byte in memory is the lowest of the long. */
  private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle ARRAY_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private Bytes() {}

  /**
   * The index of the first {@code value} in {@code data} between {@code from} (inclusive) and
   * {@code to} (exclusive), absolute indexes; -1 if there is none. Position and limit are not used
   * or moved.
   */
  public static int indexOf(ByteBuffer data, int from, int to, byte value) {
    long pattern = ONES * (value & 0xFF);
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long x = (long) LONGS.get(data, i) ^ pattern; // a matching byte becomes zero
      long zeros = (x - ONES) & ~x & HIGHS; // exact for the lowest zero byte, the first in memory
      if (zeros != 0) {
        return i + Long.numberOfTrailingZeros(zeros) / Byte.SIZE;
      }
    }
    for (; i < to; i++) {
      if (data.get(i) == value) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Copies {@code length} bytes of {@code src} from absolute index {@code from} into {@code dst} at
   * {@code at}; {@code src}'s position and limit are not used or moved.
   *
   * @throws IndexOutOfBoundsException if either range is outside its buffer or array
   */
  public static void copy(ByteBuffer src, int from, byte[] dst, int at, int length) {
    Objects.checkFromIndexSize(from, length, src.limit());
    Objects.checkFromIndexSize(at, length, dst.length);
    if (length < Long.BYTES) {
      for (int i = 0; i < length; i++) {
        dst[at + i] = src.get(from + i);
      }
      return;
    }
    int last = length - Long.BYTES; // the last eight bytes are copied once more, overlapping
    for (int i = 0; i < last; i += Long.BYTES) {
      ARRAY_LONGS.set(dst, at + i, (long) LONGS.get(src, from + i));
    }
    ARRAY_LONGS.set(dst, at + last, (long) LONGS.get(src, from + last));
  }
}
