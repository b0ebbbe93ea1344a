package dev.weft.http.client;

import dev.weft.Clock;
import dev.weft.http.internal.Limits;
import dev.weft.http.internal.ResponseHead;
import dev.weft.http.internal.ResponseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * One keep-alive HTTP/1.1 connection of an {@link HttpFetcher}: a blocking {@link Socket} used
 * from the caller's virtual thread, which parks in {@code read} instead of holding a platform
 * thread, and a {@link ResponseParser}. One exchange at a time (no pipelining).
 *
 * <h2>Timeouts</h2>
 *
 * Reads wait at most the request's timeout ({@code SO_TIMEOUT}, served by the JDK's poller for a
 * virtual thread); until the head is complete, the wait is also bounded by what is left of the
 * timeout since the request was sent, so a server that dribbles a header a byte at a time still
 * times out. A request body larger than the socket buffers is written under an alarm that closes
 * the socket when the timeout passes.
 *
 * <p>Threads: the thread that holds the connection's slot in its {@link HostPool} runs everything;
 * {@code lastUsed} is written by the releasing thread before the pool's lock publishes it, and
 * {@link #close()} may be called from an alarm.
 */
final class Connection {
  static final Limits LIMITS = new Limits(8 * 1024, 100, 64 * 1024, Long.MAX_VALUE);
  private static final int BUFFER_SIZE = 16 * 1024;
  private static final int DRAIN_LIMIT = 64 * 1024;
  private static final int WRITE_ALARM_BYTES = 64 * 1024;

  /** What one exchange produced. */
  record Result(ResponseHead head, long bytes, boolean reusable) {}

  /** A pooled connection the server had closed before it read the request: send again. */
  static final class StaleException extends IOException {
    private static final long serialVersionUID = 1L;

    StaleException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Socket socket;
  private final InputStream input;
  private final OutputStream output;
  private final String peer;
  private final Clock clock;
  private final ResponseParser parser = new ResponseParser(LIMITS);
  private final byte[] buffer = new byte[BUFFER_SIZE];
  private final ByteBuffer in = ByteBuffer.wrap(buffer).limit(0);
  private long lastUsed;
  private int timeoutMillis; // of the exchange in progress, for messages
  private volatile boolean timedOut;

  private Connection(Socket socket, String peer, Clock clock) throws IOException {
    this.socket = socket;
    this.input = socket.getInputStream();
    this.output = socket.getOutputStream();
    this.peer = peer;
    this.clock = clock;
  }

  /** Connects to {@code address} within {@code timeoutMillis}. */
  static Connection open(InetSocketAddress address, String peer, int timeoutMillis, Clock clock)
      throws IOException, InterruptedException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, timeoutMillis);
      return new Connection(socket, peer, clock);
    } catch (SocketTimeoutException e) {
      close(socket);
      throw new HttpConnectTimeoutException("connecting to " + peer + " timed out after " + timeoutMillis + " ms");
    } catch (IOException e) {
      close(socket);
      interrupted(e);
      throw e;
    }
  }

  /**
   * Sends {@code request} and reads the response to it: a 2xx body goes to {@code sink} (at most
   * {@code maxBytes} of it), any other is read and dropped (or the connection is given up when that
   * would mean reading more than 64 KiB).
   *
   * @throws StaleException if {@code reused} and the connection ended before any response byte
   */
  Result exchange(byte[] request, String method, int timeoutMillis, long maxBytes, WritableByteChannel sink,
      LongConsumer progress, boolean reused) throws IOException, InterruptedException {
    long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.timeoutMillis = timeoutMillis;
    try {
      send(request, timeoutMillis, reused);
      long headDeadline = clock.nanoTime() + timeoutNanos;
      parser.expect(method);
      ResponseHead head = null;
      boolean deliver = false;
      long bytes = 0;
      while (true) {
        ResponseParser.Event event = parser.parse(in);
        switch (event) {
          case NEED_MORE -> {
            int wait = head != null ? timeoutMillis : waitMillis(headDeadline, timeoutMillis);
            if (!fill(wait, head == null, reused, bytes)) {
              if (parser.endOfInput() == ResponseParser.Event.END) {
                return new Result(head, bytes, false);
              }
            }
          }
          case HEAD -> {
            head = parser.head();
            deliver = head.status() >= 200 && head.status() <= 299;
            long length = head.contentLength();
            if (deliver && length > maxBytes) {
              throw new BodyTooLargeException(
                  "response body of " + length + " bytes is longer than the " + maxBytes + " allowed", maxBytes);
            }
            if (!deliver && (length > DRAIN_LIMIT || length == ResponseHead.UNTIL_CLOSE)) {
              return new Result(head, 0, false);
            }
          }
          case BODY -> {
            ByteBuffer slice = parser.body();
            int n = slice.remaining();
            if (deliver) {
              if (n > maxBytes - bytes) {
                throw new BodyTooLargeException("response body is longer than the " + maxBytes + " bytes allowed", maxBytes);
              }
              while (slice.hasRemaining()) {
                sink.write(slice);
              }
              bytes += n;
              progress.accept(n);
            } else if ((bytes += n) > DRAIN_LIMIT) {
              return new Result(head, 0, false);
            }
          }
          case END -> {
            return new Result(head, deliver ? bytes : 0, head.keepAlive() && !in.hasRemaining());
          }
        }
      }
    } catch (IOException e) {
      if (timedOut) {
        throw new HttpTimeoutException("sending the request to " + peer + " took longer than " + timeoutMillis + " ms");
      }
      interrupted(e);
      throw e;
    }
  }

  private void send(byte[] request, int timeoutMillis, boolean reused) throws IOException {
    Clock.Alarm alarm = request.length > WRITE_ALARM_BYTES
        ? clock.schedule(java.time.Duration.ofMillis(timeoutMillis), this::expire)
        : null;
    try {
      output.write(request);
    } catch (IOException e) {
      if (reused && !timedOut && !Thread.currentThread().isInterrupted()) {
        throw new StaleException("pooled connection to " + peer + " was closed: " + e.getMessage(), e);
      }
      throw e;
    } finally {
      if (alarm != null) {
        alarm.cancel();
      }
    }
  }

  /** Reads more into {@link #in}; false at end of stream. */
  private boolean fill(int waitMillis, boolean beforeHead, boolean reused, long bodyBytes) throws IOException {
    socket.setSoTimeout(waitMillis);
    int n;
    try {
      n = input.read(buffer, 0, buffer.length);
    } catch (SocketTimeoutException e) {
      throw new HttpTimeoutException(beforeHead
          ? "no response from " + peer + " within " + timeoutMillis(waitMillis) + " ms"
          : "no data for " + waitMillis + " ms from " + peer + " after " + bodyBytes + " body bytes");
    } catch (IOException e) {
      if (beforeHead && reused && !parser.started() && !Thread.currentThread().isInterrupted()) {
        throw new StaleException("pooled connection to " + peer + " was reset: " + e.getMessage(), e);
      }
      throw e;
    }
    if (n < 0) {
      if (beforeHead && reused && !parser.started()) {
        throw new StaleException("pooled connection to " + peer + " was closed by the server", null);
      }
      in.limit(0);
      return false;
    }
    in.position(0).limit(n);
    return true;
  }

  private int timeoutMillis(int waitMillis) {
    return Math.max(waitMillis, timeoutMillis);
  }

  private int waitMillis(long deadline, int timeoutMillis) throws HttpTimeoutException {
    long left = deadline - clock.nanoTime();
    if (left <= 0) {
      throw new HttpTimeoutException("no complete response head from " + peer + " within " + timeoutMillis + " ms");
    }
    return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
  }

  private void expire() {
    timedOut = true;
    close();
  }

  long lastUsed() {
    return lastUsed;
  }

  void used(long nanos) {
    lastUsed = nanos;
  }

  void close() {
    close(socket);
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing more to do with this socket
    }
  }

  /** Turns an I/O failure caused by an interrupt into the {@link InterruptedException} it is. */
  private static void interrupted(IOException e) throws InterruptedException {
    if (Thread.interrupted() || e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
      var interrupted = new InterruptedException("HTTP exchange interrupted");
      interrupted.initCause(e);
      throw interrupted;
    }
  }
}
