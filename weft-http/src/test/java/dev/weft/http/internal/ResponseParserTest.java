package dev.weft.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseParserTest {
  private static final Limits LIMITS = new Limits(64, 10, 512, Long.MAX_VALUE);

  /** One parsed response: its head and body. */
  record Parsed(ResponseHead head, String body) {}

  /**
   * Feeds {@code input} in pieces of {@code chunk} bytes, one response per method of {@code
   * methods}; at the end of input, tells the parser so (a close-delimited body ends there).
   */
  static List<Parsed> feed(String input, int chunk, String... methods) throws IOException {
    byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
    var parser = new ResponseParser(LIMITS);
    List<Parsed> parsed = new ArrayList<>();
    var body = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(chunk).flip();
    int offset = 0;
    int next = 0;
    parser.expect(methods[next++]);
    ResponseParser.Event event;
    int steps = 0;
    while (true) {
      if (++steps > 10 * bytes.length + 100) {
        throw new AssertionError("parser makes no progress");
      }
      event = parser.parse(buffer);
      if (event == ResponseParser.Event.NEED_MORE) {
        assertThat(buffer.hasRemaining()).as("NEED_MORE with bytes unread").isFalse();
        if (offset == bytes.length) {
          event = parser.endOfInput();
        } else {
          int n = Math.min(chunk, bytes.length - offset);
          buffer.clear().put(bytes, offset, n).flip();
          offset += n;
          continue;
        }
      }
      switch (event) {
        case HEAD -> body.reset();
        case BODY -> {
          ByteBuffer slice = parser.body();
          byte[] piece = new byte[slice.remaining()];
          slice.get(piece);
          body.writeBytes(piece);
        }
        case END -> {
          parsed.add(new Parsed(parser.head(), body.toString(StandardCharsets.ISO_8859_1)));
          if (next == methods.length) {
            return parsed;
          }
          parser.expect(methods[next++]);
        }
        default -> throw new AssertionError(event);
      }
    }
  }

  /** The same input at every chunk size from 1 byte to the whole, all parsed alike. */
  static List<Parsed> everyChunk(String input, String... methods) throws IOException {
    List<Parsed> first = feed(input, input.length(), methods);
    for (int chunk = 1; chunk < input.length(); chunk++) {
      List<Parsed> again = feed(input, chunk, methods);
      assertThat(again).as("chunk size %d", chunk).hasSize(first.size());
      for (int i = 0; i < first.size(); i++) {
        assertThat(again.get(i).body()).as("body at chunk size %d", chunk).isEqualTo(first.get(i).body());
        assertThat(again.get(i).head().status()).isEqualTo(first.get(i).head().status());
      }
    }
    return first;
  }

  static void failsAtEveryChunk(String input, Class<? extends IOException> type, String message) {
    for (int chunk = 1; chunk <= input.length(); chunk++) {
      int size = chunk;
      assertThatThrownBy(() -> feed(input, size, "GET", "GET"))
          .as("chunk size %d", chunk).isInstanceOf(type).hasMessageContaining(message);
    }
  }

  @Test
  void contentLengthBodiesKeepTheConnection() throws IOException {
    var parsed = everyChunk(
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"
            + "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno\n",
        "GET", "GET");
    assertThat(parsed.get(0).head().status()).isEqualTo(200);
    assertThat(parsed.get(0).head().reason()).isEqualTo("OK");
    assertThat(parsed.get(0).head().field("content-type")).isEqualTo("text/plain");
    assertThat(parsed.get(0).head().keepAlive()).isTrue();
    assertThat(parsed.get(0).body()).isEqualTo("hello");
    assertThat(parsed.get(1).head().status()).isEqualTo(404);
    assertThat(parsed.get(1).body()).isEqualTo("no\n");
  }

  @Test
  void chunkedBodiesAreDechunkedWithExtensionsAndTrailers() throws IOException {
    var parsed = everyChunk(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer: yes\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\n\r\n",
        "GET", "GET");
    assertThat(parsed.get(0).head().contentLength()).isEqualTo(ResponseHead.CHUNKED);
    assertThat(parsed.get(0).body()).isEqualTo("hello 0123456789");
    assertThat(parsed.get(1).head().status()).isEqualTo(204);
    assertThat(parsed.get(1).body()).isEmpty();
  }

  @Test
  void aBodyWithoutLengthEndsWhenTheConnectionCloses() throws IOException {
    var parsed = everyChunk("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", "GET");
    assertThat(parsed.getFirst().head().contentLength()).isEqualTo(ResponseHead.UNTIL_CLOSE);
    assertThat(parsed.getFirst().head().keepAlive()).isFalse();
    assertThat(parsed.getFirst().body()).isEqualTo("until the end");
  }

  @Test
  void headAnd204And304HaveNoBodyWhateverTheirFieldsSay() throws IOException {
    var parsed = everyChunk(
        "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
            + "HTTP/1.1 304 Not Modified\r\nContent-Length: 1000\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        "HEAD", "GET", "GET", "GET");
    assertThat(parsed).extracting(p -> p.head().status()).containsExactly(200, 304, 204, 200);
    assertThat(parsed).extracting(Parsed::body).containsExactly("", "", "", "ok");
  }

  @Test
  void interimResponsesAreSkipped() throws IOException {
    var parsed = everyChunk(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
            + "HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\nmade",
        "POST");
    assertThat(parsed.getFirst().head().status()).isEqualTo(201);
    assertThat(parsed.getFirst().head().field("Link")).isNull();
    assertThat(parsed.getFirst().body()).isEqualTo("made");
  }

  @Test
  void http10KeepsTheConnectionOnlyWhenAsked() throws IOException {
    var parsed = everyChunk(
        "HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\na"
            + "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nb",
        "GET", "GET");
    assertThat(parsed.get(0).head().version()).isEqualTo(HttpVersion.HTTP_1_0);
    assertThat(parsed.get(0).head().keepAlive()).isTrue();
    assertThat(parsed.get(1).head().keepAlive()).isFalse();
  }

  @Test
  void connectionCloseEndsTheConnection() throws IOException {
    var parsed = feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 100, "GET");
    assertThat(parsed.getFirst().head().keepAlive()).isFalse();
  }

  @Test
  void aStatusLineWithoutReasonIsAccepted() throws IOException {
    var parsed = everyChunk("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n", "GET");
    assertThat(parsed.getFirst().head().status()).isEqualTo(404);
    assertThat(parsed.getFirst().head().reason()).isEmpty();
  }

  @Test
  void truncatedBodiesFail() {
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf", EOFException.class,
        "connection closed after 4 of 10 body bytes");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", EOFException.class,
        "in the middle of a chunked body after 3 bytes");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", EOFException.class,
        "in the middle of a chunked body");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nContent-Le", EOFException.class, "in the middle of the response head");
  }

  @Test
  void anEmptyConnectionIsReportedAsSuch() {
    var parser = new ResponseParser(LIMITS);
    parser.expect("GET");
    assertThatThrownBy(parser::endOfInput).isInstanceOf(EOFException.class)
        .hasMessage("connection closed before the response head");
  }

  @Test
  void malformedResponsesAreRefusedWithTheRuleAndTheValue() {
    failsAtEveryChunk("HTTP/2 200 OK\r\n\r\n", ProtocolException.class, "malformed status line: HTTP/2 200 OK");
    failsAtEveryChunk("ICY 200 OK\r\n\r\n", ProtocolException.class, "malformed status line: ICY 200 OK");
    failsAtEveryChunk("HTTP/1.1 20x OK\r\n\r\n", ProtocolException.class, "malformed status line");
    failsAtEveryChunk("HTTP/1.1 200 OK\n\n", ProtocolException.class, "status line ended by a bare LF");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        ProtocolException.class, "Content-Length fields disagree: 1, 2");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        ProtocolException.class, "Content-Length is not a decimal number: -1");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
        ProtocolException.class, "both Content-Length and Transfer-Encoding");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        ProtocolException.class, "last transfer coding must be chunked: gzip");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        ProtocolException.class, "chunk size is not hexadecimal: zz");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        ProtocolException.class, "header field name has a space or invalid character: Bad Name");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nA: 1\r\n folded\r\n\r\n",
        ProtocolException.class, "obsolete line folding");
  }

  @Test
  void oversizedHeadsAreRefusedAsSoonAsSeen() {
    failsAtEveryChunk("HTTP/1.1 200 " + "O".repeat(100) + "\r\n\r\n",
        ProtocolException.class, "status line longer than 64 bytes");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nBig: " + "x".repeat(600) + "\r\n\r\n",
        ProtocolException.class, "header section longer than 512 bytes");
    StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 11; i++) {
      many.append("F").append(i).append(": v\r\n");
    }
    failsAtEveryChunk(many.append("\r\n").toString(), ProtocolException.class, "more than 10 header fields");
  }

  @Test
  void fieldsAndChunksFollowTheRequestParsersRules() {
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nX: a\u0001b\r\n\r\n",
        ProtocolException.class, "header field X has a control character (1)");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nX: a\rY: b\r\n\r\n",
        ProtocolException.class, "header field X has a control character (13)");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\n: x\r\n\r\n", ProtocolException.class, "header field has no name: : x");
    failsAtEveryChunk("HTTP/1.1 200 OK\r\nX: y\n\r\n", ProtocolException.class, "header section ended by a bare LF");
    String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    failsAtEveryChunk(chunked + "1234567890abcdef0\r\n",
        ProtocolException.class, "chunk size too large: 1234567890abcdef0");
    failsAtEveryChunk(chunked + "5 x\r\nhello\r\n0\r\n\r\n",
        ProtocolException.class, "chunk size followed by something other than an extension: 5 x");
    failsAtEveryChunk(chunked + "1\nab\r\n", ProtocolException.class, "chunk size line ended by a bare LF");
    failsAtEveryChunk(chunked + "1\r\nab\r\n0\r\n\r\n", ProtocolException.class, "chunk data longer than 0 bytes");
    failsAtEveryChunk(chunked + "0\r\n" + "T: v\r\n".repeat(11) + "\r\n",
        ProtocolException.class, "more than 10 header fields");
  }

  @Test
  void refusalsQuoteOnlyTheStartOfALongLine() throws IOException {
    var parser = new ResponseParser(LIMITS);
    parser.expect("GET");
    assertThatThrownBy(() -> parser.parse(ascii("HTTP/1.1 200 OK\r\n:" + "x".repeat(200) + "\r\n")))
        .hasMessage("header field has no name: :" + "x".repeat(99));
    var chunks = new ResponseParser(LIMITS);
    chunks.expect("GET");
    assertThat(chunks.parse(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")))
        .isEqualTo(ResponseParser.Event.HEAD);
    assertThatThrownBy(() -> chunks.parse(ascii("z".repeat(60) + "\r\n")))
        .hasMessage("chunk size is not hexadecimal: " + "z".repeat(40));
  }

  @Test
  void stringsOfRepeatedFieldsAreReusedFromTheResponseBefore() throws IOException {
    var parser = new ResponseParser(LIMITS);
    ByteBuffer in = ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nServer: s1\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nServer: s1\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nServer: s2\r\n\r\n");
    ResponseHead[] heads = new ResponseHead[3];
    for (int i = 0; i < 3; i++) {
      parser.expect("GET");
      assertThat(parser.parse(in)).isEqualTo(ResponseParser.Event.HEAD);
      heads[i] = parser.head();
      assertThat(parser.parse(in)).isEqualTo(ResponseParser.Event.END);
    }
    assertThat(heads[1].fields()[3]).isSameAs(heads[0].fields()[3]);
    assertThat(heads[2].fields()).containsExactly("Content-Length", "0", "Server", "s2");
    assertThat(heads[2].fields()[2]).isSameAs(heads[0].fields()[2]);
  }

  @Test
  void aFailedParserStaysFailed() {
    var parser = new ResponseParser(LIMITS);
    parser.expect("GET");
    assertThatThrownBy(() -> parser.parse(ByteBuffer.wrap("BAD\r\n".getBytes(StandardCharsets.US_ASCII))))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> parser.parse(ByteBuffer.allocate(0))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> parser.expect("GET")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("FAILED");
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
