package dev.weft.bench.net;

import static dev.weft.bench.net.PubSubLoad.LINE;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The stream every subscriber must receive from a given line on: each line published, with the
 * server's framing before it, kept in a ring for as many lines as can be in flight, with the
 * time each was published. The publisher adds to it; subscribers compare against it.
 */
final class ExpectedStream {
  final long firstSeq;
  /** Bytes per line as delivered: the framing and the payload. */
  final int record;
  final MemorySegment ring;
  final long ringBytes;
  private final byte[] bytes;
  private final byte[] framing;
  private final long[] stamps;
  private final int lines;
  /** Lines added. */
  long published;

  /** Keeps room for at least twice {@code inFlight} lines (a power of two). */
  ExpectedStream(byte[] framing, long firstSeq, int inFlight) {
    this.framing = framing.clone();
    this.firstSeq = firstSeq;
    this.record = framing.length + LINE;
    this.lines = Integer.highestOneBit(Math.max(inFlight, 1)) * 4;
    this.bytes = new byte[lines * record];
    this.ring = MemorySegment.ofArray(bytes);
    this.ringBytes = bytes.length;
    this.stamps = new long[lines];
  }

  /**
   * Adds the line just published: the {@link PubSubLoad#LINE} bytes of {@code batch} before its position,
   * published at {@code stamp}. {@code slowestSeq} is the last line every subscriber has whole,
   * whose successors must still be kept.
   */
  void add(ByteBuffer batch, long stamp, long slowestSeq) {
    if (published - (slowestSeq - firstSeq + 1) >= lines) {
      throw new IllegalStateException("more than " + lines + " lines in flight: the expected stream cannot keep them");
    }
    int at = (int) (published % lines) * record;
    System.arraycopy(framing, 0, bytes, at, framing.length);
    batch.get(batch.position() - LINE, bytes, at + framing.length, LINE);
    stamps[(int) (published % lines)] = stamp;
    published++;
  }

  /** The byte at {@code offset} in the stream, which must still be in the ring. */
  byte byteAt(long offset) {
    return bytes[(int) (offset % ringBytes)];
  }

  long stamp(long line) {
    return stamps[(int) (line % lines)];
  }
}
