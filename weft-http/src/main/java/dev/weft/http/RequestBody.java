package dev.weft.http;

import dev.weft.http.internal.RequestParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A request's body as an {@link InputStream}, read through the connection's parser: each read
 * hands out bytes of the current slice of the read buffer, and parses (or reads from the wire)
 * only when the slice is used up. Used by the handler's thread, which is the connection's.
 */
final class RequestBody extends InputStream {
  private final HttpConnection connection;
  private final long declared;
  private ByteBuffer slice;
  private long read;
  private boolean ended;
  private boolean failed;
  private HttpException refusal; // the parser's refusal of the body, when that is why it failed

  RequestBody(HttpConnection connection, long declared) {
    this.connection = connection;
    this.declared = declared;
    this.ended = declared == 0;
  }

  @Override
  public int read() throws IOException {
    return available(true) ? slice.get() & 0xff : -1;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length == 0) {
      return 0;
    }
    if (!available(true)) {
      return -1;
    }
    int n = Math.min(length, slice.remaining());
    slice.get(bytes, offset, n);
    read += n;
    return n;
  }

  @Override
  public int available() {
    return slice == null ? 0 : slice.remaining();
  }

  /** Whether every byte of the body has been read. */
  boolean ended() {
    return ended;
  }

  /** Whether reading failed: the connection's framing is lost. */
  boolean failed() {
    return failed;
  }

  /** The parser's refusal that ended the body (malformed, too large); null if none did. */
  HttpException refusal() {
    return refusal;
  }

  /** Bytes of a Content-Length body not read yet (unknown for chunked: -1). */
  long unread() {
    return declared < 0 ? -1 : declared - read;
  }

  /** Reads and drops the rest of the body, up to {@code limit} bytes; whether it ended. */
  boolean drain(long limit) {
    try {
      long dropped = 0;
      while (!ended && dropped <= limit && available(false)) {
        dropped += slice.remaining();
        slice.position(slice.limit());
      }
      return ended;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private boolean available(boolean reading) throws IOException {
    while (slice == null || !slice.hasRemaining()) {
      if (ended) {
        return false;
      }
      if (failed) {
        throw new IOException("request body failed earlier");
      }
      try {
        RequestParser.Event event = connection.parser().parse(connection.input());
        switch (event) {
          case BODY -> slice = connection.parser().body();
          case END -> ended = true;
          case NEED_MORE -> connection.fillBody(reading);
          case HEAD -> throw new IllegalStateException("a request head inside a body");
        }
      } catch (InterruptedException e) {
        failed = true;
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("reading the request body was interrupted");
      } catch (IOException | RuntimeException e) {
        failed = true;
        if (e instanceof HttpException refused) {
          refusal = refused;
        }
        throw e;
      }
    }
    return true;
  }
}
