package dev.weft.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.http.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestParserTest {
  private static final String PIPELINE =
      "GET /a?x=1 HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n"
          + "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
          + "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nChecksum: x\r\n\r\n"
          + "\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
          + "HEAD /d HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";

  @Test
  void framesAPipelinedBurstTheSameAtEveryChunkSize() {
    for (int chunk = 1; chunk <= PIPELINE.length(); chunk++) {
      var outcome = Feed.feed(PIPELINE, chunk);
      assertThat(outcome.status()).as("chunk %d: %s", chunk, outcome.message()).isZero();
      var requests = outcome.requests();
      assertThat(requests).as("chunk %d", chunk).hasSize(5);
      assertThat(requests.get(0).head().target()).isEqualTo("/a?x=1");
      assertThat(requests.get(0).head().fields()).containsExactly("Host", "h", "Accept", "*/*");
      assertThat(requests.get(1).body()).isEqualTo("hello");
      assertThat(requests.get(2).body()).isEqualTo("abc0123456789");
      assertThat(requests.get(2).head().chunked()).isTrue();
      assertThat(requests.get(2).trailers()).containsExactly("Checksum", "x");
      assertThat(requests.get(3).head().version()).isEqualTo(HttpVersion.HTTP_1_0);
      assertThat(requests.get(3).head().keepAlive()).isTrue();
      assertThat(requests.get(4).head().method()).isEqualTo("HEAD");
      assertThat(requests.get(4).head().keepAlive()).isFalse();
      assertThat(outcome.partial()).isFalse();
    }
  }

  @Test
  void bodySlicesAreViewsOfTheInput() {
    var parser = new RequestParser(Feed.LIMITS);
    ByteBuffer in = ascii("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
    assertThat(parser.parse(in)).isEqualTo(RequestParser.Event.HEAD);
    assertThat(parser.parse(in)).isEqualTo(RequestParser.Event.BODY);
    in.put(in.limit() - 1, (byte) 'z');
    assertThat(StandardCharsets.ISO_8859_1.decode(parser.body()).toString()).isEqualTo("abz");
  }

  @Test
  void keepAliveFollowsVersionAndConnectionHeader() {
    assertThat(head("GET / HTTP/1.1\r\nHost: h\r\n\r\n").keepAlive()).isTrue();
    assertThat(head("GET / HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive, CLOSE\r\n\r\n").keepAlive()).isFalse();
    assertThat(head("GET / HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
    assertThat(head("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive()).isTrue();
  }

  @Test
  void expectContinueIsNotedForHttp11Only() {
    assertThat(head("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n").expectContinue()).isTrue();
    assertThat(head("PUT / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n").expectContinue()).isFalse();
  }

  @Test
  void absoluteFormTargetsBecomePaths() {
    assertThat(head("GET http://example.org/x?y HTTP/1.1\r\nHost: example.org\r\n\r\n").target()).isEqualTo("/x?y");
    assertThat(head("GET http://example.org HTTP/1.1\r\nHost: example.org\r\n\r\n").target()).isEqualTo("/");
    assertThat(head("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").target()).isEqualTo("*");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          conflicting Content-Length         | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 3\\r\\nContent-Length: 4\\r\\n\\r\\nabc
          duplicate Content-Length           | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 3\\r\\nContent-Length: 3\\r\\n\\r\\nabc
          Content-Length list                | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 3, 3\\r\\n\\r\\nabc
          signed Content-Length              | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: +3\\r\\n\\r\\nabc
          Content-Length and chunked         | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
          chunked not last                   | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked, gzip\\r\\n\\r\\n
          chunked twice                      | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n
          identity coding                    | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: identity\\r\\n\\r\\n
          Transfer-Encoding in HTTP/1.0      | 400 | POST / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
          gzip then chunked                  | 501 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n
          obs-fold                           | 400 | GET / HTTP/1.1\\r\\nHost: h\\r\\nX-A: 1\\r\\n  2\\r\\n\\r\\n
          space before colon                 | 400 | GET / HTTP/1.1\\r\\nHost : h\\r\\n\\r\\n
          tab before colon                   | 400 | GET / HTTP/1.1\\r\\nHost\\t: h\\r\\n\\r\\n
          bare CR in value                   | 400 | GET / HTTP/1.1\\r\\nHost: h\\rX: y\\r\\n\\r\\n
          bare LF line end                   | 400 | GET / HTTP/1.1\\nHost: h\\r\\n\\r\\n
          bare CR in request line            | 400 | GET /\\r HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n
          NUL in value                       | 400 | GET / HTTP/1.1\\r\\nHost: h\\u0000\\r\\n\\r\\n
          empty header name                  | 400 | GET / HTTP/1.1\\r\\n: x\\r\\nHost: h\\r\\n\\r\\n
          missing Host                       | 400 | GET / HTTP/1.1\\r\\n\\r\\n
          two Hosts                          | 400 | GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n
          double space in request line       | 400 | GET  / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n
          lowercase version                  | 400 | GET / http/1.1\\r\\nHost: h\\r\\n\\r\\n
          relative target                    | 400 | GET x HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n
          bad chunk size                     | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n
          chunk without CRLF after data      | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1\\r\\nab\\r\\n0\\r\\n\\r\\n
          chunk size bare LF                 | 400 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1\\nab\\r\\n
          HTTP/2.0                           | 505 | GET / HTTP/2.0\\r\\nHost: h\\r\\n\\r\\n
          HTTP/0.9                           | 505 | GET / HTTP/0.9\\r\\n\\r\\n
          unknown method                     | 501 | BREW / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n
          CONNECT                            | 501 | CONNECT h:443 HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n
          unknown expectation                | 417 | PUT / HTTP/1.1\\r\\nHost: h\\r\\nExpect: tea\\r\\n\\r\\n
          Content-Length over the limit      | 413 | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 10001\\r\\n\\r\\n
          huge Content-Length                | 413 | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 99999999999999999999999\\r\\n\\r\\n
          chunked body over the limit        | 413 | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n2711\\r\\n
          """)
  void refusesWithItsStatus(String name, int status, String request) {
    String input = request.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\u0000", "\0");
    for (int chunk : new int[] {1, 2, 3, 7, input.length()}) {
      var outcome = Feed.feed(input, chunk);
      assertThat(outcome.status()).as("%s at chunk %d: %s", name, chunk, outcome.message()).isEqualTo(status);
      assertThat(outcome.requests()).isEmpty();
    }
  }

  @Test
  void longRequestLineIs414AssoonAsItIsSeen() {
    var outcome = Feed.feed("GET /" + "a".repeat(300), 1);
    assertThat(outcome.status()).isEqualTo(414);
    assertThat(outcome.message()).isEqualTo("request line longer than 256 bytes");
  }

  @Test
  void requestLineAtTheLimitIsAccepted() {
    String target = "/" + "a".repeat(256 - "GET  HTTP/1.1".length() - 1);
    var outcome = Feed.feed("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n", 5);
    assertThat(outcome.status()).as(outcome.message()).isZero();
  }

  @Test
  void tooManyOrTooLargeHeadersAre431() {
    String many = "GET / HTTP/1.1\r\nHost: h\r\n" + "X: y\r\n".repeat(20) + "\r\n";
    assertThat(Feed.feed(many, 4).status()).isEqualTo(431);
    assertThat(Feed.feed(many, 4).message()).isEqualTo("more than 20 header fields");
    String large = "GET / HTTP/1.1\r\nHost: h\r\nX: " + "y".repeat(1100) + "\r\n\r\n";
    assertThat(Feed.feed(large, 9).status()).isEqualTo(431);
    assertThat(Feed.feed(large, 9).message()).isEqualTo("header section longer than 1024 bytes");
    String trailers = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + "T: v\r\n".repeat(21) + "\r\n";
    assertThat(Feed.feed(trailers, 3).status()).isEqualTo(431);
  }

  @Test
  void messagesNameTheRuleAndTheValue() {
    assertThat(Feed.feed("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 64).message())
        .isEqualTo("more than one Content-Length header: 2");
    assertThat(Feed.feed("BREW / HTTP/1.1\r\n\r\n", 64).message()).isEqualTo("method not implemented: BREW");
    assertThat(Feed.feed("GET / HTTP/3.0\r\n\r\n", 64).message()).isEqualTo("HTTP version not supported: HTTP/3.0");
    assertThat(Feed.feed("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 64).message())
        .isEqualTo("last transfer coding must be chunked: chunked, gzip");
  }

  @Test
  void aFailedParserRefusesFurtherUse() {
    var parser = new RequestParser(Feed.LIMITS);
    assertThatThrownBy(() -> parser.parse(ascii("GET / HTTP/9.9\r\n"))).hasMessage("HTTP version not supported: HTTP/9.9");
    assertThatThrownBy(() -> parser.parse(ascii("GET / HTTP/1.1\r\n")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("RequestParser used after a failure");
  }

  @Test
  void resetBeforeTheEndIsAnError() {
    var parser = new RequestParser(Feed.LIMITS);
    parser.parse(ascii("GET / HT"));
    assertThatThrownBy(parser::reset).hasMessage("RequestParser reset before the request ended: REQUEST_LINE");
  }

  @Test
  void limitsAreChecked() {
    assertThatThrownBy(() -> new Limits(0, 1, 1, 1)).hasMessage("maxRequestLine must be > 0: 0");
    assertThatThrownBy(() -> new Limits(1, 1, 1, -1)).hasMessage("maxBodySize must be >= 0: -1");
  }

  @Test
  void stringsOfRepeatedFieldsAreReusedAndChangedOnesAreNot() {
    var parser = new RequestParser(Feed.LIMITS);
    ByteBuffer in = ascii("GET /a HTTP/1.1\r\nHost: h1\r\nAccept: x\r\n\r\n"
        + "GET /a HTTP/1.1\r\nHost: h1\r\nAccept: x\r\n\r\n"
        + "GET /b HTTP/1.1\r\nHost: h2\r\nAccept: x\r\n\r\n");
    RequestHead[] heads = new RequestHead[3];
    for (int i = 0; i < 3; i++) {
      assertThat(parser.parse(in)).isEqualTo(RequestParser.Event.HEAD);
      heads[i] = parser.head();
      assertThat(parser.parse(in)).isEqualTo(RequestParser.Event.END);
      parser.reset();
    }
    assertThat(heads[1].target()).isSameAs(heads[0].target());
    assertThat(heads[1].fields()[1]).isSameAs(heads[0].fields()[1]);
    assertThat(heads[2].target()).isEqualTo("/b");
    assertThat(heads[2].fields()).containsExactly("Host", "h2", "Accept", "x");
    assertThat(heads[2].fields()[3]).isSameAs(heads[0].fields()[3]);
  }

  private static RequestHead head(String request) {
    var outcome = Feed.feed(request + "x".repeat(0), 64);
    assertThat(outcome.status()).as(outcome.message()).isZero();
    var parser = new RequestParser(Feed.LIMITS);
    assertThat(parser.parse(ascii(request))).isEqualTo(RequestParser.Event.HEAD);
    return parser.head();
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
