package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.http.internal.Limits;
import dev.weft.http.internal.RequestHead;
import dev.weft.http.internal.RequestParser;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the request parser and of a whole connection, with Jazzer.
 *
 * <p>Each input is two bytes that choose how it is cut, then the bytes a client sends: the pieces
 * alternate between {@code (b0 & 0xff) % 64 + 1} and {@code (b1 & 0xff) % 64 + 1} bytes. The seeds
 * (hand-written requests for pipelining, chunked bodies, smuggling and every limit, then what
 * fuzzing runs kept) are in {@code src/test/resources/dev/weft/http/RequestParserFuzzTestInputs},
 * one folder per method; {@code ./test} replays them in a fork of their own. {@code
 * weft-http/fuzz.sh METHOD SECONDS} fuzzes one method.
 *
 * <p>What must hold for any input: the parser throws nothing but {@link HttpException} with one of
 * its statuses, does bounded work per byte, frames the input the same however it is cut, and never
 * accepts a head that two parsers could frame differently; the connection answers every request
 * it ran with exactly one well-framed HTTP/1.1 response, in order, then at most one refusal with the
 * parser's status, and nothing after a {@code Connection: close} — both when a thread serves it
 * from the start and when it starts on an event loop ({@link LoopHarness}) and is handed over to a
 * thread at a request that may block.
 */
class RequestParserFuzzTest {
  private static final Limits LIMITS = new Limits(200, 16, 600, 5000);
  private static final Set<Integer> PARSER_STATUSES = Set.of(400, 413, 414, 417, 431, 501, 505);

  private static HttpServer server;
  private static final List<Entered> entered = new ArrayList<>();

  /** A request the handler ran: its method and the body it answered with (null if it threw). */
  private static final class Entered {
    final String method;
    byte[] answer;

    Entered(String method) {
      this.method = method;
    }
  }

  @BeforeAll
  static void startServer() throws Exception {
    // handlers that fail on a truncated body are logged as warnings: expected by the thousand here
    java.util.logging.Logger.getLogger("dev.weft.http").setLevel(java.util.logging.Level.SEVERE);
    HttpHandler answering = request -> {
      var e = new Entered(request.method());
      entered.add(e);
      byte[] body = request.readBody();
      HttpResponse response;
      byte[] answer;
      switch (request.path()) {
        case "/stream" -> {
          answer = concat(body, "end\n".getBytes(StandardCharsets.US_ASCII));
          response = HttpResponse.stream(200, "text/plain", out -> {
            out.write(body);
            out.write("end\n".getBytes(StandardCharsets.US_ASCII));
          });
        }
        case "/empty" -> {
          answer = new byte[0];
          response = HttpResponse.empty(204);
        }
        default -> {
          answer = (body.length + " bytes\n").getBytes(StandardCharsets.US_ASCII);
          response = HttpResponse.text(new String(answer, StandardCharsets.US_ASCII));
        }
      }
      e.answer = answer;
      return response;
    };
    // on the loop path, a request whose target has an odd length goes to a thread: pipelines hand
    // over at any request, after any number answered on the loop
    HttpHandler handler = new HttpHandler() {
      @Override
      public HttpResponse handle(HttpRequest request) throws Exception {
        return answering.handle(request);
      }

      @Override
      public boolean mayBlock(HttpRequest request) {
        return request.target().length() % 2 == 1;
      }
    };
    var options = HttpOptions.defaults().withMaxRequestLine(LIMITS.maxRequestLine())
        .withMaxHeaders(LIMITS.maxHeaderCount(), LIMITS.maxHeaderSize()).withMaxBodySize(LIMITS.maxBodySize());
    server = HttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), handler, options);
  }

  @AfterAll
  static void stopServer() {
    server.abort();
  }

  @FuzzTest
  void parserFramesAnyInputTheSameHoweverItIsCut(byte[] data) {
    if (data.length < 2) {
      return;
    }
    byte[] input = Arrays.copyOfRange(data, 2, data.length);
    Outcome whole = parse(input, new int[] {Math.max(1, input.length)}, Integer.MAX_VALUE);
    Outcome cut = parse(input, sizes(data), Integer.MAX_VALUE);
    assertThat(cut.describe()).isEqualTo(whole.describe());
    assertThat(parse(input, new int[] {1}, Integer.MAX_VALUE).describe()).isEqualTo(whole.describe());
  }

  /**
   * Each input is served twice: by a connection on a thread from the start, and by one that starts
   * on an event loop and is handed over at the first request that may block. One seed folder
   * covers both paths.
   */
  @FuzzTest
  void connectionAnswersEveryRequestWithOneWellFramedResponse(byte[] data) throws Exception {
    if (data.length < 2) {
      return;
    }
    byte[] input = Arrays.copyOfRange(data, 2, data.length);
    entered.clear();
    long refusedBefore = server.stats().refused();
    var wire = new MemoryWire(input, sizes(data));
    server.serve(wire);
    checkAnswers(input, wire.output(), server.stats().refused() > refusedBefore);

    entered.clear();
    refusedBefore = server.stats().refused();
    byte[] received = LoopHarness.serve(server, input, sizes(data)).received();
    checkAnswers(input, received, server.stats().refused() > refusedBefore);
  }

  /** The checks of a connection's answers to {@code input}, whichever path served it. */
  private static void checkAnswers(byte[] input, byte[] output, boolean refused) {
    List<Response> responses = Responses.parse(output, entered);
    assertThat(responses).hasSize(entered.size() + (refused ? 1 : 0));
    for (int i = 0; i < responses.size(); i++) {
      Response response = responses.get(i);
      if (i < responses.size() - 1) {
        assertThat(response.close()).as("response %d says close but another follows", i).isFalse();
      }
      if (i < entered.size() && entered.get(i).answer != null && response.status() < 400) {
        assertThat(response.body()).as("body of response %d", i).isEqualTo(
            entered.get(i).method.equals("HEAD") ? new byte[0] : entered.get(i).answer);
      }
    }
    if (refused) {
      assertThat(responses.getLast().close()).isTrue();
    }

    // the same bytes through the parser alone: the server answers its failure with its status
    Outcome reference = parse(input, new int[] {Math.max(1, input.length)}, Integer.MAX_VALUE);
    boolean closedEarly = responses.stream().limit(Math.max(0, reference.heads)).anyMatch(Response::close);
    if (!closedEarly) {
      assertThat(entered).hasSize(reference.heads);
      if (reference.status != 0) {
        assertThat(responses).as("a response to the failure (%s)", reference.message).hasSize(reference.heads + (reference.failedInBody ? 0 : 1));
        assertThat(responses.getLast().status()).as(reference.message).isEqualTo(reference.status);
      }
    }
  }

  /** The piece sizes the first two bytes choose. */
  private static int[] sizes(byte[] data) {
    return new int[] {(data[0] & 0xff) % 64 + 1, (data[1] & 0xff) % 64 + 1};
  }

  /** What the parser made of an input: heads, bodies and trailers, then its failure if any. */
  private record Outcome(StringBuilder text, int heads, int status, String message, boolean failedInBody) {
    String describe() {
      return text + "|" + status + " " + message;
    }
  }

  /**
   * Feeds {@code input} to a fresh parser in pieces cycling through {@code sizes}, stopping after
   * {@code maxHeads} heads' requests or a request that does not keep the connection alive.
   */
  static Outcome parse(byte[] input, int[] sizes, int maxHeads) {
    var parser = new RequestParser(LIMITS);
    var text = new StringBuilder();
    ByteBuffer buffer = ByteBuffer.allocate(64 + input.length).flip();
    int offset = 0;
    int piece = 0;
    int steps = 0;
    int heads = 0;
    long bodyBytes = 0;
    boolean inBody = false;
    try {
      while (true) {
        assertThat(++steps).as("parser steps for %d bytes", input.length).isLessThanOrEqualTo(4 * input.length + 16);
        switch (parser.parse(buffer)) {
          case HEAD -> {
            RequestHead head = parser.head();
            checkUnambiguous(head);
            heads++;
            inBody = true;
            bodyBytes = 0;
            text.append(head.method()).append(' ').append(head.target()).append(' ').append(head.version())
                .append(Arrays.toString(head.fields())).append(head.contentLength()).append(head.keepAlive())
                .append(head.expectContinue()).append('[');
          }
          case BODY -> {
            ByteBuffer body = parser.body();
            assertThat(body.remaining()).isPositive();
            bodyBytes += body.remaining();
            text.append(StandardCharsets.ISO_8859_1.decode(body));
          }
          case END -> {
            RequestHead head = parser.head();
            if (!head.chunked()) {
              assertThat(bodyBytes).isEqualTo(head.contentLength());
            }
            text.append(']').append(parser.trailers()).append('\n');
            inBody = false;
            parser.reset();
            if (heads >= maxHeads || !head.keepAlive() || streamedTo10(head)) {
              return new Outcome(text, heads, 0, null, false);
            }
          }
          case NEED_MORE -> {
            assertThat(buffer.hasRemaining()).as("NEED_MORE with input left").isFalse();
            if (offset == input.length) {
              return new Outcome(text, heads, 0, null, false);
            }
            int n = Math.min(sizes[piece++ % sizes.length], input.length - offset);
            buffer.clear().put(input, offset, n).flip();
            offset += n;
          }
        }
      }
    } catch (HttpException e) {
      assertThat(PARSER_STATUSES).as("status of %s", e.getMessage()).contains(e.status());
      return new Outcome(text, heads, e.status(), e.getMessage(), inBody);
    }
  }

  /** The server closes after a streamed (length unknown) answer to HTTP/1.0: /stream there. */
  private static boolean streamedTo10(RequestHead head) {
    return head.version() == HttpVersion.HTTP_1_0 && pathOf(head.target()).equals("/stream") && !head.method().equals("HEAD");
  }

  private static String pathOf(String target) {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  /** A head the parser accepts must have one framing any other parser would agree on. */
  private static void checkUnambiguous(RequestHead head) {
    int lengths = 0;
    int codings = 0;
    int hosts = 0;
    String[] fields = head.fields();
    for (int i = 0; i < fields.length; i += 2) {
      lengths += fields[i].equalsIgnoreCase("content-length") ? 1 : 0;
      codings += fields[i].equalsIgnoreCase("transfer-encoding") ? 1 : 0;
      hosts += fields[i].equalsIgnoreCase("host") ? 1 : 0;
    }
    assertThat(lengths).as("Content-Length fields").isLessThanOrEqualTo(1);
    assertThat(lengths > 0 && codings > 0).as("Content-Length beside Transfer-Encoding").isFalse();
    if (codings > 0) {
      assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_1);
      assertThat(head.chunked()).isTrue();
    }
    if (head.version() == HttpVersion.HTTP_1_1) {
      assertThat(hosts).as("Host fields").isEqualTo(1);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** One response as read off the wire. */
  record Response(int status, boolean close, byte[] body) {}

  /** A strict reader of HTTP/1.1 responses: anything malformed fails the test. */
  static final class Responses {
    private final byte[] bytes;
    private int at;

    private Responses(byte[] bytes) {
      this.bytes = bytes;
    }

    static List<Response> parse(byte[] bytes, List<Entered> requests) {
      var reader = new Responses(bytes);
      List<Response> responses = new ArrayList<>();
      while (reader.at < bytes.length) {
        boolean head = responses.size() < requests.size() && requests.get(responses.size()).method.equals("HEAD");
        Response response = reader.next(head);
        if (response != null) {
          responses.add(response);
        }
      }
      return responses;
    }

    /** The next final response; null for a {@code 100 Continue}. */
    private Response next(boolean toHead) {
      String statusLine = line();
      assertThat(statusLine).matches("HTTP/1\\.1 [1-5][0-9][0-9] [\\x20-\\x7e]+");
      int status = Integer.parseInt(statusLine.substring(9, 12));
      String length = null;
      String coding = null;
      boolean close = false;
      int dates = 0;
      for (String field = line(); !field.isEmpty(); field = line()) {
        assertThat(field).matches("[A-Za-z0-9-]+: [\\x20-\\x7e]*");
        String name = field.substring(0, field.indexOf(':'));
        String value = field.substring(name.length() + 2);
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
          case "content-length" -> {
            assertThat(length).as("second Content-Length").isNull();
            assertThat(value).matches("[0-9]+");
            length = value;
          }
          case "transfer-encoding" -> {
            assertThat(coding).as("second Transfer-Encoding").isNull();
            assertThat(value).isEqualTo("chunked");
            coding = value;
          }
          case "connection" -> {
            assertThat(value).isIn("close", "keep-alive");
            close = value.equals("close");
          }
          case "date" -> dates++;
          default -> {}
        }
      }
      assertThat(dates).as("Date fields").isLessThanOrEqualTo(1);
      assertThat(length != null && coding != null).as("Content-Length beside Transfer-Encoding").isFalse();
      if (status == 100) {
        assertThat(length).isNull();
        assertThat(coding).isNull();
        return null;
      }
      assertThat(status).isGreaterThanOrEqualTo(200);
      if (status == 204 || status == 304) {
        assertThat(length).isNull();
        assertThat(coding).isNull();
        return new Response(status, close, new byte[0]);
      }
      if (toHead) {
        return new Response(status, close, new byte[0]);
      }
      if (length == null && coding == null) {
        // delimited by closing: allowed only as the connection's last response (HTTP/1.0, stream)
        assertThat(close).as("response %d without length closes the connection", status).isTrue();
        int from = at;
        at = bytes.length;
        return new Response(status, true, Arrays.copyOfRange(bytes, from, at));
      }
      if (length != null) {
        int n = Integer.parseInt(length);
        assertThat(at + n).as("body of %d bytes is complete", n).isLessThanOrEqualTo(bytes.length);
        at += n;
        return new Response(status, close, Arrays.copyOfRange(bytes, at - n, at));
      }
      var body = new ByteArrayOutputStream();
      while (true) {
        String size = line();
        assertThat(size).matches("[0-9a-f]+");
        int n = Integer.parseInt(size, 16);
        if (n == 0) {
          assertThat(line()).as("no trailers").isEmpty();
          return new Response(status, close, body.toByteArray());
        }
        assertThat(at + n + 2).isLessThanOrEqualTo(bytes.length);
        body.write(bytes, at, n);
        at += n;
        assertThat(line()).isEmpty();
      }
    }

    private String line() {
      for (int i = at; i + 1 < bytes.length; i++) {
        if (bytes[i] == '\n') {
          throw new AssertionError("bare LF in a response at " + i);
        }
        if (bytes[i] == '\r') {
          assertThat(bytes[i + 1]).as("CR followed by LF").isEqualTo((byte) '\n');
          String line = new String(bytes, at, i - at, StandardCharsets.ISO_8859_1);
          at = i + 2;
          return line;
        }
      }
      throw new AssertionError("response ends inside a line: " + new String(bytes, at, bytes.length - at, StandardCharsets.ISO_8859_1));
    }
  }
}
