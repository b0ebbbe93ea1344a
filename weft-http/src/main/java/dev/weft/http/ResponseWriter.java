package dev.weft.http;

import dev.weft.http.HttpResponse.Body;
import dev.weft.http.internal.HttpDates;
import dev.weft.http.internal.OutputBuffer;
import dev.weft.http.internal.Reasons;
import dev.weft.http.internal.Wire;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;

/**
 * Encodes responses into a connection's {@link OutputBuffer}: the status line, {@code Date}, the
 * handler's fields, the framing fields the server owns, and the body — bytes copied into the
 * buffer, a file region transferred by the wire, a stream written chunked or counted. Used by the
 * connection's thread only.
 */
final class ResponseWriter {
  private static final byte[] DATE = "\r\nDate: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[][] STATUS_LINES = statusLines();

  private final OutputBuffer out;
  private final Wire wire;
  private final HttpDates dates;

  ResponseWriter(OutputBuffer out, Wire wire, HttpDates dates) {
    this.out = out;
    this.wire = wire;
    this.dates = dates;
  }

  /** Sends {@code 100 Continue} at once. */
  void sendContinue() throws IOException, InterruptedException {
    out.put(CONTINUE);
    out.flush();
  }

  /**
   * Writes {@code response} to a request of {@code version}; the body is left out for a HEAD
   * request. Returns whether the connection may carry another request: {@code keepAlive}, unless
   * the body's end can only be told by closing (a stream of unknown length to HTTP/1.0).
   */
  boolean write(HttpResponse response, HttpVersion version, boolean keepAlive, boolean headRequest)
      throws IOException, InterruptedException {
    int status = response.status();
    Body body = response.body();
    boolean bodiless = Reasons.bodiless(status);
    boolean chunked = !bodiless && body.length() < 0;
    if (chunked && version == HttpVersion.HTTP_1_0) {
      keepAlive = false;
      chunked = false;
    }
    out.put(STATUS_LINES[status]).put(DATE).put(dates.now()).crlf();
    HttpHeaders headers = response.headers();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      if (!owned(name)) {
        out.putLatin1(name).put(':').put(' ').putLatin1(headers.value(i)).crlf();
      }
    }
    if (chunked) {
      out.put(CHUNKED);
    } else if (!bodiless && body.length() >= 0) {
      out.put(CONTENT_LENGTH).putNumber(body.length(), 10).crlf();
    }
    if (!keepAlive) {
      out.put(CLOSE);
    } else if (version == HttpVersion.HTTP_1_0) {
      out.put(KEEP_ALIVE);
    }
    out.crlf();
    if (!bodiless && !headRequest) {
      writeBody(body, chunked);
    }
    return keepAlive;
  }

  private void writeBody(Body body, boolean chunked) throws IOException, InterruptedException {
    switch (body) {
      case Body.Empty empty -> {}
      case Body.Bytes bytes -> out.put(bytes.bytes());
      case Body.FileRegion region -> {
        out.flush();
        try (FileChannel file = FileChannel.open(region.file(), StandardOpenOption.READ)) {
          wire.transferFrom(file, region.offset(), region.length());
        }
        out.counted(region.length());
      }
      case Body.Streamed streamed -> {
        var stream = new BodyStream(out, chunked, streamed.length());
        try {
          streamed.writer().writeTo(stream);
        } catch (InterruptedIOException e) {
          throw new InterruptedException("writing a response body was interrupted");
        }
        stream.finish();
      }
    }
  }

  private static boolean owned(String name) {
    return name.equalsIgnoreCase("content-length")
        || name.equalsIgnoreCase("transfer-encoding")
        || name.equalsIgnoreCase("connection")
        || name.equalsIgnoreCase("date");
  }

  private static byte[][] statusLines() {
    byte[][] lines = new byte[600][];
    for (int status = 100; status < 600; status++) {
      lines[status] = ("HTTP/1.1 " + status + " " + Reasons.phrase(status)).getBytes(StandardCharsets.US_ASCII);
    }
    return lines;
  }

  /** The stream a {@link BodyWriter} writes to: chunks, or exactly the declared length. */
  private static final class BodyStream extends OutputStream {
    private final OutputBuffer out;
    private final boolean chunked;
    private final long length;
    private long count;

    BodyStream(OutputBuffer out, boolean chunked, long length) {
      this.out = out;
      this.chunked = chunked;
      this.length = length;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int n) throws IOException {
      java.util.Objects.checkFromIndexSize(offset, n, bytes.length);
      if (n == 0) {
        return;
      }
      if (length >= 0 && count + n > length) {
        throw new IOException("response body longer than its declared length: " + length);
      }
      count += n;
      try {
        if (chunked) {
          out.putNumber(n, 16).crlf().put(bytes, offset, n).crlf();
        } else {
          out.put(bytes, offset, n);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("writing a response body was interrupted");
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("writing a response body was interrupted");
      }
    }

    void finish() throws IOException, InterruptedException {
      if (chunked) {
        out.put('0').crlf().crlf();
      } else if (length >= 0 && count != length) {
        throw new IOException("response body shorter than its declared length: " + count + " < " + length);
      }
    }
  }
}
