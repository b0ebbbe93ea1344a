package dev.weft.http.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The reusable buffer a connection writes its responses into: heads and small bodies gather here
 * and go out in one write, pipelined responses in one write for the whole batch. Used by the
 * connection's thread only.
 */
public final class OutputBuffer {
  private static final byte[] DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final ByteBuffer buffer;
  private final Wire wire;
  private final byte[] number = new byte[20];
  private long written;

  public OutputBuffer(Wire wire, int capacity) {
    this.wire = wire;
    this.buffer = ByteBuffer.allocate(capacity);
  }

  /** Appends one byte. */
  public OutputBuffer put(int b) throws IOException, InterruptedException {
    if (!buffer.hasRemaining()) {
      flush();
    }
    buffer.put((byte) b);
    return this;
  }

  /** Appends {@code bytes}; a large array is written directly after what is buffered. */
  public OutputBuffer put(byte[] bytes, int offset, int length) throws IOException, InterruptedException {
    if (length > buffer.remaining()) {
      flush();
      if (length > buffer.capacity() / 2) {
        written += length;
        wire.write(ByteBuffer.wrap(bytes, offset, length));
        return this;
      }
    }
    buffer.put(bytes, offset, length);
    return this;
  }

  /** Appends {@code bytes}. */
  public OutputBuffer put(byte[] bytes) throws IOException, InterruptedException {
    return put(bytes, 0, bytes.length);
  }

  /** Appends the Latin-1 bytes of {@code text} (header names and values). */
  public OutputBuffer putLatin1(String text) throws IOException, InterruptedException {
    int n = text.length();
    if (n > buffer.remaining()) {
      flush();
      if (n > buffer.capacity()) {
        return put(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    for (int i = 0; i < n; i++) {
      buffer.put((byte) text.charAt(i));
    }
    return this;
  }

  /** Appends {@code value} in decimal ({@code radix} 10) or hexadecimal (16). */
  public OutputBuffer putNumber(long value, int radix) throws IOException, InterruptedException {
    int i = number.length;
    do {
      number[--i] = DIGITS[(int) (value % radix)];
      value /= radix;
    } while (value > 0);
    return put(number, i, number.length - i);
  }

  /** Appends CR LF. */
  public OutputBuffer crlf() throws IOException, InterruptedException {
    return put('\r').put('\n');
  }

  /** Sends what is buffered. */
  public void flush() throws IOException, InterruptedException {
    if (buffer.position() > 0) {
      written += buffer.position();
      wire.write(buffer.flip());
      buffer.clear();
    }
  }

  /** Whether bytes wait to be sent. */
  public boolean pending() {
    return buffer.position() > 0;
  }

  /** Bytes handed to the wire or buffered since creation. */
  public long count() {
    return written + buffer.position();
  }

  /** Notes bytes sent around this buffer (a file transfer), for {@link #count()}. */
  public void counted(long bytes) {
    written += bytes;
  }
}
