package dev.weft.http;

import dev.weft.Clock;
import dev.weft.http.internal.OutputBuffer;
import dev.weft.http.internal.RequestHead;
import dev.weft.http.internal.RequestParser;
import dev.weft.http.internal.Wire;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One HTTP/1.1 connection, served on its own virtual thread: read a head, run the handler, write
 * the response, and again while the connection persists. Pipelined requests already in the read
 * buffer are answered in order and their responses leave in one write.
 *
 * <p>A connection usually starts on an event loop ({@link LoopConnection}) and comes here when a
 * request needs to block: it then starts from the loop's parser, the bytes read and not yet
 * parsed, and a {@link Resume} that says what was under way.
 *
 * <h2>Timeouts</h2>
 *
 * Waiting for a new request or for body bytes is bounded by the idle timeout; a request's head must
 * be complete within the header read timeout of its first byte; and each piece of a response (at
 * most 64 KiB, {@link PiecedWire}) must be taken by the client within the idle timeout, so that a
 * client that stops reading does not hold the connection and its thread for ever. Each wait
 * publishes its deadline, and one alarm per connection on the server's clock checks it: an alarm
 * that fires early arms itself again for the current deadline, so a keep-alive connection does not
 * touch the timer queue per request. An expired read shuts the input down, so the blocked read
 * returns; a late head is answered 408, an idle connection is closed; an expired send closes the
 * connection, so the blocked write fails.
 *
 * <h2>Threads</h2>
 *
 * The connection's virtual thread runs everything here; other threads only call {@link
 * #closeIfIdle()} and {@link #abort()}, and the alarms call {@link #expire}. The fields those read
 * are volatile: {@code idle}, {@code expired}, {@code waiting}, {@code deadline} and {@code
 * alarmDue}; every other field belongs to the connection's thread.
 *
 * <p>Why one class of some 500 lines: the reads, the sends and the alarm share one deadline, one
 * wait in progress and one alarm per connection, fields that must change together under the
 * ordering argued in {@link #alarm}; the piecing of sends ({@link PiecedWire}), the parser and the
 * response encoding already live apart.
 */
final class HttpConnection implements Runnable {
  private static final System.Logger LOG = System.getLogger(HttpConnection.class.getName());
  private static final int BUFFER_SIZE = 16 * 1024;
  private static final long DRAIN_LIMIT = 256 * 1024;
  private static final Duration LINGER = Duration.ofSeconds(2);

  private enum Wait { IDLE, HEADER, BODY, LINGER, SEND }

  /** What a connection handed over from its event loop was doing. */
  sealed interface Resume {
    /** A head has been parsed (the body, if any, follows in the input): serve the request. */
    record Serve(RequestHead head) implements Resume {}

    /** A non-blocking handler answered with {@code response}, which needs a thread to send. */
    record Send(RequestHead head, HttpResponse response) implements Resume {}

    /** The request is refused with {@code status}, the connection then closed with a linger. */
    record Refuse(int status, String message) implements Resume {}
  }

  private final HttpServer server;
  private final Wire wire;
  private final Clock clock;
  private final HttpOptions options;
  private final RequestParser parser;
  private final ByteBuffer in;
  private final OutputBuffer out;
  private final ResponseWriter responses;
  private long headStart;
  private boolean continueSent;
  private RequestHead head;
  private Resume resume; // what the loop was doing, until run() has taken it up
  private volatile boolean idle;
  private volatile Wait expired; // the first wait that timed out; set once, by expire()
  private volatile Wait waiting; // the wait in progress, null between waits
  private volatile long deadline; // when the wait in progress times out, on the clock's nanoTime
  private volatile long alarmDue = NO_ALARM; // when the armed alarm fires; NO_ALARM when none is
  private final ReentrantLock timerLock = new ReentrantLock(); // guards lastAlarm, orders alarm changes
  private Clock.Alarm lastAlarm; // the alarm set last: the armed one, cancelled when replaced or closed

  private static final long NO_ALARM = Long.MIN_VALUE;
  private static final long CLOSED = Long.MAX_VALUE;
  private static final AtomicReferenceFieldUpdater<HttpConnection, Wait> EXPIRED =
      AtomicReferenceFieldUpdater.newUpdater(HttpConnection.class, Wait.class, "expired");

  HttpConnection(HttpServer server, Wire wire) {
    this(server, wire, new RequestParser(server.options().limits()), ByteBuffer.allocate(BUFFER_SIZE).flip(), null);
  }

  /**
   * A connection handed over from the event loop with its {@code parser}, the bytes read and not
   * parsed yet ({@code in}, in read mode, with room to read into) and what was under way.
   */
  HttpConnection(HttpServer server, Wire wire, RequestParser parser, ByteBuffer in, Resume resume) {
    this.server = server;
    this.wire = wire;
    this.options = server.options();
    this.clock = options.clock();
    this.parser = parser;
    this.in = in;
    this.resume = resume;
    Wire sending = new PiecedWire(wire, new SendDeadlines());
    this.out = new OutputBuffer(sending, BUFFER_SIZE);
    this.responses = new ResponseWriter(out, sending, server.dates());
  }

  @Override
  public void run() {
    try {
      if (resume instanceof Resume.Refuse refusal) {
        resume = null;
        refuse(refusal.status(), refusal.message());
        return;
      }
      while (serveOne()) {
        parser.reset();
      }
      out.flush();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "connection from " + wire.peer() + " failed", e);
    } catch (InterruptedException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "connection from " + wire.peer() + " interrupted");
    } finally {
      disarm();
      wire.close();
      server.connectionClosed(this);
    }
  }

  /** Closes the connection if it waits for a new request (a graceful shutdown), from any thread. */
  void closeIfIdle() {
    if (idle) {
      wire.shutdownInput();
    }
  }

  /** Whether the connection waits for a new request, its idle deadline set (any thread). */
  boolean idle() {
    return idle;
  }

  /** Closes the connection now, from any thread. */
  void abort() {
    wire.close();
  }

  RequestParser parser() {
    return parser;
  }

  ByteBuffer input() {
    return in;
  }

  /** Reads more of a body into the input buffer, first sending {@code 100 Continue} if owed. */
  void fillBody(boolean reading) throws IOException, InterruptedException {
    if (head.expectContinue() && !continueSent) {
      if (!reading) {
        throw new EOFException("body not sent: the client waits for 100 Continue");
      }
      continueSent = true;
      responses.sendContinue();
    }
    out.flush();
    if (fill(Wait.BODY) < 0) {
      throw new EOFException(expired == Wait.BODY ? "request body timed out" : "connection closed in a request body");
    }
  }

  /** Serves one request; whether the connection persists. */
  private boolean serveOne() throws IOException, InterruptedException {
    HttpResponse answered = null; // the response a non-blocking handler gave on the loop
    switch (resume) {
      case null -> head = readHead();
      case Resume.Serve serve -> head = serve.head();
      case Resume.Send send -> {
        head = send.head();
        answered = send.response();
      }
      case Resume.Refuse _ -> throw new IllegalStateException("a refusal is handled in run()");
    }
    resume = null;
    if (head == null) {
      return false;
    }
    boolean logged = options.accessLog() == AccessLog.ON;
    long start = logged ? clock.nanoTime() : 0;
    continueSent = false;
    if (answered == null) {
      server.requestStarted();
    }
    var body = new RequestBody(this, head.contentLength()); // without a body: at its end already
    var request = new HttpRequest(
        head.method(), head.target(), head.version(), new HttpHeaders(head.fields()), body, wire.peer(), Map.of());
    HttpResponse response = answered != null ? answered : handle(request, body);
    boolean keepAlive = head.keepAlive() && !server.closing() && reusable(body);
    long before = out.count();
    keepAlive = responses.write(response, head.version(), keepAlive, head.method().equals("HEAD"));
    if (!in.hasRemaining() || !keepAlive) {
      out.flush();
    }
    if (logged) {
      server.accessLog(request, response.status(), out.count() - before, clock.nanoTime() - start);
    }
    return keepAlive && (body.ended() || body.drain(DRAIN_LIMIT)) && parser.ended();
  }

  private HttpResponse handle(HttpRequest request, RequestBody body) throws InterruptedException {
    return invoke(server.handler(), request, () -> bodyFailure(body));
  }

  /**
   * The answer to a handler's failure that reading the request body caused, or null if the body
   * did not fail: the client stopped sending (or sent too slowly), or the parser refused the body
   * (the handler wrapped the parser's {@link HttpException}).
   */
  private HttpResponse bodyFailure(RequestBody body) {
    if (body.refusal() != null) {
      return errorResponse(body.refusal().status(), body.refusal().getMessage());
    }
    if (!body.failed()) {
      return null;
    }
    return expired == Wait.BODY
        ? errorResponse(408, "request body not received in time")
        : errorResponse(400, "request body incomplete");
  }

  /**
   * Runs {@code handler} on {@code request}, on a connection's thread or on an event loop: an
   * {@link HttpException} becomes its status; a failure the request body caused becomes what
   * {@code bodyFailure} answers, logged at DEBUG (common on the open internet, and not the
   * handler's fault); any other exception a logged 500.
   */
  static HttpResponse invoke(HttpHandler handler, HttpRequest request, Supplier<HttpResponse> bodyFailure)
      throws InterruptedException {
    try {
      HttpResponse response = handler.handle(request);
      if (response == null) {
        throw new NullPointerException("handler returned null for " + request);
      }
      return response;
    } catch (HttpException e) {
      return errorResponse(e.status(), e.getMessage());
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      HttpResponse answer = bodyFailure.get();
      if (answer != null) {
        LOG.log(System.Logger.Level.DEBUG, () -> "request body from " + request.peer() + " not received: " + e);
        return answer;
      }
      LOG.log(System.Logger.Level.WARNING, () -> "handler failed on " + request + " from " + request.peer(), e);
      return errorResponse(500, "internal server error");
    }
  }

  /** Whether the rest of the body can be skipped to reach the next request. */
  private boolean reusable(RequestBody body) {
    if (!head.hasBody() || body.ended()) {
      return true;
    }
    if (body.failed() || (head.expectContinue() && !continueSent)) {
      return false;
    }
    return body.unread() < 0 || body.unread() <= DRAIN_LIMIT;
  }

  /** Reads until a head is complete; null when the connection should close instead. */
  private RequestHead readHead() throws IOException, InterruptedException {
    head = null;
    headStart = clock.nanoTime();
    while (true) {
      RequestParser.Event event;
      try {
        event = parser.parse(in);
      } catch (HttpException e) {
        refuse(e.status(), e.getMessage());
        return null;
      }
      if (event == RequestParser.Event.HEAD) {
        return parser.head();
      }
      if (!parser.started()) {
        if (awaitRequest() < 0) {
          return null;
        }
        headStart = clock.nanoTime();
      } else if (fill(Wait.HEADER) < 0) {
        if (expired == Wait.HEADER) {
          refuse(408, "request head not received within " + options.headerReadTimeout());
        }
        return null;
      }
    }
  }

  /** Waits for the first bytes of a new request; -1 if the connection should close. */
  private int awaitRequest() throws IOException, InterruptedException {
    out.flush();
    return fill(Wait.IDLE);
  }

  /**
   * Reads into the input buffer within the wait's time limit; -1 at the end or on a timeout.
   *
   * <p>The limit is a deadline the connection publishes, not an alarm per read: one alarm per
   * connection stays armed and, when it fires early (the connection read since and waits again,
   * with a later deadline), arms itself again for the current deadline. A keep-alive connection
   * thus sets no alarm per request; a new alarm is set only for a deadline earlier than the armed
   * one (a head's timeout while the idle alarm is armed, a linger).
   */
  private int fill(Wait wait) throws IOException, InterruptedException {
    long now = clock.nanoTime();
    long due = switch (wait) {
      case HEADER -> headStart + options.headerReadTimeout().toNanos();
      case IDLE, BODY, SEND -> now + options.idleTimeout().toNanos();
      case LINGER -> now + LINGER.toNanos();
    };
    if (due - now <= 0) {
      expire(wait);
      return -1;
    }
    deadline = due;
    waiting = wait;
    try {
      arm(due, now);
      if (wait == Wait.IDLE) {
        idle = true; // then check closing: shutdown sets closing, then closes the idle connections
        if (server.closing()) {
          return -1;
        }
      }
      int n;
      in.compact();
      try {
        n = wire.read(in);
      } finally {
        in.flip();
      }
      return expired != null ? -1 : n;
    } finally {
      waiting = null;
      idle = false;
    }
  }

  /** Cancels the armed alarm for good, so that a closed connection is not kept until it fires. */
  private void disarm() {
    timerLock.lock();
    try {
      alarmDue = CLOSED;
      if (lastAlarm != null) {
        lastAlarm.cancel();
      }
    } finally {
      timerLock.unlock();
    }
  }

  /**
   * Makes sure an alarm fires by {@code due}: nothing to do (and no lock taken) when the armed
   * one fires earlier; otherwise the armed one is cancelled and one is set for {@code due}.
   */
  private void arm(long due, long now) {
    long armed = alarmDue;
    if (armed == CLOSED || (armed != NO_ALARM && armed - due <= 0)) {
      return;
    }
    timerLock.lock();
    try {
      armed = alarmDue;
      if (armed == CLOSED || (armed != NO_ALARM && armed - due <= 0)) {
        return;
      }
      setAlarm(due, now);
    } finally {
      timerLock.unlock();
    }
  }

  /** Replaces the armed alarm by one at {@code due}; with {@link #timerLock} held. */
  private void setAlarm(long due, long now) {
    if (lastAlarm != null) {
      lastAlarm.cancel();
    }
    alarmDue = due;
    lastAlarm = clock.schedule(Duration.ofNanos(Math.max(0, due - now)), () -> alarm(due));
  }

  /**
   * An alarm set for {@code due} fires (on the clock's thread). A superseded alarm does nothing;
   * otherwise it expires the wait in progress if its deadline has passed, arms itself again for a
   * later deadline, or goes dormant when the connection is not waiting, the next wait arming anew.
   */
  private void alarm(long due) {
    Wait expiring = null;
    timerLock.lock();
    try {
      if (alarmDue != due) {
        return;
      }
      long now = clock.nanoTime();
      Wait wait = waiting;
      if (wait == null) {
        alarmDue = NO_ALARM;
        // a wait that began meanwhile may have seen this alarm armed and relied on it
        wait = waiting;
      }
      if (wait != null) {
        long until = deadline;
        if (until - now <= 0) {
          expiring = wait;
        } else {
          setAlarm(until, now);
        }
      }
    } finally {
      timerLock.unlock();
    }
    if (expiring != null) {
      expire(expiring);
    }
  }

  /**
   * Ends the wait that timed out. Runs on the clock's thread, and may run after the read it
   * bounded has returned (an alarm already firing cannot be cancelled), so the connection's thread
   * can find a wait expired at the start of the next one: only the first expiry counts.
   */
  private void expire(Wait wait) {
    boolean first = EXPIRED.compareAndSet(this, null, wait);
    if (first && wait != Wait.LINGER) {
      server.timedOut();
    }
    if (wait == Wait.SEND) {
      wire.close(); // the blocked write fails; the connection ends
    } else {
      wire.shutdownInput();
    }
  }

  /** Each piece of a response under a {@link Wait#SEND} deadline of the idle timeout. */
  private final class SendDeadlines implements PiecedWire.Deadlines {
    @Override
    public void begin() throws IOException {
      if (expired == Wait.SEND) {
        throw new IOException("the client took no response bytes for " + options.idleTimeout());
      }
      long now = clock.nanoTime();
      long due = now + options.idleTimeout().toNanos();
      deadline = due;
      waiting = Wait.SEND;
      arm(due, now);
    }

    @Override
    public void end() {
      waiting = null;
    }
  }

  /** Answers a request that cannot be served with {@code status}, then closes gracefully. */
  private void refuse(int status, String message) throws InterruptedException {
    server.requestRefused();
    try {
      HttpVersion version = head != null ? head.version() : HttpVersion.HTTP_1_1;
      responses.write(errorResponse(status, message), version, false, false);
      out.flush();
      wire.shutdownOutput();
      linger();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "could not send " + status + " to " + wire.peer(), e);
    }
  }

  /**
   * Reads and drops what the client still sends, for a short while, before the socket closes:
   * closing with unread bytes would reset the connection and could destroy the error response
   * before the client reads it (nginx's lingering close).
   */
  private void linger() throws IOException, InterruptedException {
    long dropped = 0;
    while (dropped < DRAIN_LIMIT && expired == null) {
      in.position(in.limit());
      int n = fill(Wait.LINGER);
      if (n < 0) {
        return;
      }
      dropped += n;
    }
  }

  static HttpResponse errorResponse(int status, String message) {
    return HttpResponse.text(status, message + "\n");
  }

  @Override
  public String toString() {
    return "HttpConnection[" + wire.peer() + "]";
  }
}
