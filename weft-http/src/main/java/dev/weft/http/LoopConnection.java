package dev.weft.http;

import dev.weft.Clock;
import dev.weft.http.HttpConnection.Resume;
import dev.weft.http.HttpResponse.Body;
import dev.weft.http.internal.OutputBuffer;
import dev.weft.http.internal.RequestHead;
import dev.weft.http.internal.RequestParser;
import dev.weft.http.internal.TransportWire;
import dev.weft.http.internal.Wire;
import dev.weft.net.Protocol;
import dev.weft.net.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One HTTP/1.1 connection served on a weft-net event loop, as a {@link Protocol}: each read is fed
 * to the incremental {@link RequestParser} straight from the loop's read buffer, a request without
 * a body for a {@linkplain HttpHandler#nonBlocking non-blocking} handler is answered on the loop,
 * and the responses to one read's requests are encoded into one buffer that goes to the transport
 * in one write. The first request that needs to block hands the connection over, for good, to an
 * {@link HttpConnection} on a virtual thread: with the parser, the bytes not parsed yet and a
 * {@link Resume} saying what was under way. Refusals (a malformed or oversized request, a head that
 * took too long) are handed over too, and answered there with a lingering close.
 *
 * <h2>Timeouts</h2>
 *
 * The idle timeout runs from the last read while no request is begun, the header read timeout
 * from the read that began a head. One alarm per connection stays armed and, when it fires before
 * the current deadline (the connection read since), arms itself again for it: a keep-alive
 * connection sets no alarm per request.
 *
 * <h2>Threads</h2>
 *
 * The connection's event loop runs everything here; other threads call {@link #closeIfIdle()} and
 * {@link #abort()}, which hop onto the loop, and {@link #idle()}, which reads a volatile field. The
 * alarm hops onto the loop before it acts. Every other field belongs to the loop thread.
 */
final class LoopConnection implements Protocol {
  private static final System.Logger LOG = System.getLogger(LoopConnection.class.getName());
  private static final int BUFFER_SIZE = 16 * 1024;
  /** The body of every request answered on the loop: empty, and stateless, so one serves all. */
  private static final InputStream NO_BODY = new InputStream() {
    @Override
    public int read() {
      return -1;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) {
      java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
      return length == 0 ? 0 : -1;
    }
  };
  private static final byte[] BUSY =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  /** Takes a connection off its loop and gives its wire, for blocking use, to a receiver (on the loop thread). */
  interface Detacher {
    void detach(Transport transport, Consumer<Wire> receiver);
  }

  private final HttpServer server;
  private final HttpOptions options;
  private final Clock clock;
  private final Detacher detacher;
  private final RequestParser parser;
  private final Runnable alarmFired = this::alarmFired;
  private Transport transport;
  private OutputBuffer out;
  private ResponseWriter responses;
  private boolean done; // handed over or closing: input is dropped from now on
  private long headStart; // when the read that began the current head arrived
  private long idleSince; // when the last read arrived
  private Clock.Alarm alarm;
  private Clock.Alarm handOverAlarm; // armed while a hand-over waits for the responses queued before it
  private long alarmDue;
  private volatile boolean idle; // no request begun, not done: what a graceful shutdown closes

  LoopConnection(HttpServer server, Detacher detacher) {
    this.server = server;
    this.options = server.options();
    this.clock = options.clock();
    this.detacher = detacher;
    this.parser = new RequestParser(options.limits());
  }

  @Override
  public void connectionMade(Transport connection) {
    this.transport = connection;
    Wire wire = new TransportWire(connection);
    this.out = new OutputBuffer(wire, BUFFER_SIZE);
    this.responses = new ResponseWriter(out, wire, server.dates());
    if (!server.loopConnectionOpened(this)) {
      done = true;
      connection.write(ByteBuffer.wrap(BUSY));
      connection.loseConnection();
      return;
    }
    idleSince = clock.nanoTime();
    arm(idleSince + options.idleTimeout().toNanos(), idleSince);
    idle = true;
    if (server.closing()) {
      closeIfIdleOnLoop();
    }
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    if (done) {
      data.position(data.limit());
      return;
    }
    long now = clock.nanoTime();
    boolean carried = parser.started(); // a head begun in an earlier read
    int answered;
    try {
      answered = serve(data);
      out.flush();
    } catch (IOException | InterruptedException | RuntimeException e) {
      // the transport's writes do not fail or wait: an encoder bug, or an interrupt of the loop
      LOG.log(System.Logger.Level.WARNING, () -> "connection from " + transport.peer() + " failed", e);
      done = true;
      transport.abortConnection();
      return;
    }
    if (done) {
      return;
    }
    idleSince = now;
    if (!parser.started()) {
      arm(now + options.idleTimeout().toNanos(), now);
      if (!idle) {
        idle = true; // a volatile write only when it changes, not one per read
      }
    } else {
      idle = false;
      if (!carried || answered > 0) {
        headStart = now;
      }
      arm(headStart + options.headerReadTimeout().toNanos(), now);
    }
    if (!transport.isWritable()) {
      transport.pauseProducing(); // the client sends requests faster than it reads the answers
    }
  }

  @Override
  public void writabilityChanged(Transport connection) {
    if (connection.isWritable() && !done) {
      connection.resumeProducing();
    }
  }

  @Override
  public void readConnectionLost(Transport connection) {
    // the client sent its last byte: answer what was complete (done already), then close
    done = true;
    idle = false;
    connection.loseConnection();
  }

  @Override
  public void connectionLost(Throwable reason) {
    done = true;
    idle = false;
    cancelAlarm();
    cancelHandOverAlarm();
    server.loopConnectionClosed(this);
  }

  /** Closes the connection if no request is begun (a graceful shutdown); from any thread. */
  void closeIfIdle() {
    transport.executor().execute(this::closeIfIdleOnLoop);
  }

  /** Whether the connection waits for a new request; any thread. */
  boolean idle() {
    return idle;
  }

  /** Closes the connection now, from any thread. */
  void abort() {
    transport.abortConnection();
  }

  private void closeIfIdleOnLoop() {
    if (!done && !parser.started()) {
      done = true;
      idle = false;
      transport.loseConnection();
    }
  }

  /**
   * Answers the complete requests in {@code data} while they can be answered on the loop; returns
   * how many were. Stops at the first that needs a thread, which takes the connection over.
   */
  private int serve(ByteBuffer data) throws IOException, InterruptedException {
    int answered = 0;
    while (!done) {
      RequestParser.Event event;
      try {
        event = parser.parse(data);
      } catch (HttpException e) {
        handOver(data, new Resume.Refuse(e.status(), e.getMessage()));
        return answered;
      }
      if (event == RequestParser.Event.NEED_MORE) {
        return answered;
      }
      if (event != RequestParser.Event.HEAD) {
        throw new IllegalStateException("a request body on the loop: " + event);
      }
      RequestHead head = parser.head();
      if (head.hasBody() || head.expectContinue()) {
        handOver(data, new Resume.Serve(head));
        return answered;
      }
      var request = new HttpRequest(
          head.method(), head.target(), head.version(), new HttpHeaders(head.fields()), NO_BODY,
          transport.peer(), Map.of());
      HttpHandler handler = server.handler();
      if (handler instanceof Router router) { // route once, for both questions
        Router.Match match = router.route(request);
        handler = match.handler();
        request = match.request();
      }
      if (mayBlock(handler, request)) {
        handOver(data, new Resume.Serve(head));
        return answered;
      }
      respond(handler, request, head, data);
      answered++;
    }
    return answered;
  }

  private static boolean mayBlock(HttpHandler handler, HttpRequest request) {
    try {
      return handler.mayBlock(request);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, () -> "handler failed to tell whether it blocks on " + request, e);
      return true;
    }
  }

  /** Runs the non-blocking {@code handler} for {@code request} and encodes its response. */
  private void respond(HttpHandler handler, HttpRequest request, RequestHead head, ByteBuffer data)
      throws IOException, InterruptedException {
    boolean logged = options.accessLog() == AccessLog.ON;
    long start = logged ? clock.nanoTime() : 0;
    server.requestStarted();
    HttpResponse response = HttpConnection.invoke(handler, request, () -> null); // no body on the loop
    if (!(response.body() instanceof Body.Bytes || response.body() instanceof Body.Empty)) {
      handOver(data, new Resume.Send(head, response)); // a file or a stream: sent from a thread
      return;
    }
    boolean keepAlive = head.keepAlive() && !server.closing();
    long before = out.count();
    keepAlive = responses.write(response, head.version(), keepAlive, head.method().equals("HEAD"));
    if (logged) {
      server.accessLog(request, response.status(), out.count() - before, clock.nanoTime() - start);
    }
    parser.reset();
    if (!keepAlive) {
      done = true;
      idle = false;
      out.flush();
      transport.loseConnection();
    }
  }

  /**
   * Gives the connection to a virtual thread for good, with the bytes of {@code data} not parsed
   * yet; what was encoded so far is sent first.
   */
  private void handOver(ByteBuffer data, Resume resume) throws IOException, InterruptedException {
    done = true;
    idle = false;
    cancelAlarm();
    out.flush();
    ByteBuffer rest = ByteBuffer.allocate(Math.max(BUFFER_SIZE, data.remaining() + BUFFER_SIZE / 4));
    rest.put(data).flip();
    server.loopConnectionLeaving(this);
    detacher.detach(transport, wire -> {
      cancelHandOverAlarm(); // handed over: the thread's own timeouts take it from here
      server.adopt(new HttpConnection(server, wire, parser, rest, resume));
    });
    // the hand-over waits until the responses queued before it are sent: not for ever
    handOverAlarm = clock.schedule(options.idleTimeout(), () -> transport.executor().execute(this::handOverExpired));
  }

  /**
   * The client has not taken the responses queued before a hand-over within the idle timeout (the
   * bound a connection on a thread puts on each piece it sends): the connection is dropped, and
   * counts as a timeout. Loop thread; the alarm is cancelled when the hand-over completes or the
   * connection is lost, so this runs only while the hand-over still waits.
   */
  private void handOverExpired() {
    if (handOverAlarm == null) {
      return; // cancelled after it fired
    }
    handOverAlarm = null;
    server.timedOut();
    transport.abortConnection();
  }

  /** Makes sure an alarm fires by {@code due}: nothing to do when the armed one fires earlier. */
  private void arm(long due, long now) {
    if (alarm != null && alarmDue - due <= 0) {
      return;
    }
    cancelAlarm();
    alarmDue = due;
    alarm = clock.schedule(Duration.ofNanos(Math.max(0, due - now)), () -> transport.executor().execute(alarmFired));
  }

  private void cancelHandOverAlarm() {
    if (handOverAlarm != null) {
      handOverAlarm.cancel();
      handOverAlarm = null;
    }
  }

  private void cancelAlarm() {
    if (alarm != null) {
      alarm.cancel();
      alarm = null;
    }
  }

  /** The alarm fired, on the loop: expire the wait whose deadline passed, or arm for the current one. */
  private void alarmFired() {
    alarm = null;
    if (done) {
      return;
    }
    long now = clock.nanoTime();
    boolean heading = parser.started();
    long due = heading
        ? headStart + options.headerReadTimeout().toNanos()
        : idleSince + options.idleTimeout().toNanos();
    if (due - now > 0) {
      arm(due, now);
      return;
    }
    server.timedOut();
    if (!heading) {
      done = true;
      idle = false;
      transport.loseConnection();
      return;
    }
    try {
      handOver(ByteBuffer.allocate(0), new Resume.Refuse(408, "request head not received within " + options.headerReadTimeout()));
    } catch (IOException | InterruptedException e) {
      transport.abortConnection();
    }
  }

  @Override
  public String toString() {
    return "LoopConnection[" + (transport == null ? "unconnected" : transport.peer()) + "]";
  }
}
