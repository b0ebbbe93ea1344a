package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A handler that fails because the client's body did not arrive is the client's doing: the
 * connection answers 400 (or the parser's status, when the parser refused the body) and logs no
 * warning, while a handler failing on its own is still a logged 500.
 */
class AbandonedBodyTest {
  private final Logger logger = Logger.getLogger(HttpConnection.class.getName());
  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private HttpServer server;
  private Level levelBefore;

  @BeforeEach
  void start() throws Exception {
    levelBefore = logger.getLevel();
    logger.setLevel(Level.ALL); // other tests in this JVM may quiet the server's loggers
    logger.addHandler(capture);
    HttpHandler handler = request -> switch (request.path()) {
      case "/wrapped" -> {
        try {
          yield HttpResponse.text(request.readBody().length + " bytes\n");
        } catch (java.io.IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      case "/broken" -> throw new IllegalStateException("the handler's own bug");
      default -> HttpResponse.text(request.readBody().length + " bytes\n");
    };
    var options = HttpOptions.defaults().withMaxBodySize(16);
    server = HttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), handler, options);
  }

  @AfterEach
  void stop() {
    server.abort();
    logger.removeHandler(capture);
    logger.setLevel(levelBefore);
  }

  private String serve(String request) {
    var wire = new MemoryWire(request.getBytes(StandardCharsets.ISO_8859_1), new int[] {7});
    server.serve(wire);
    return new String(wire.output(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void aClientThatStopsMidBodyGets400AndNoWarningIsLogged() {
    String answer = serve("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");

    assertThat(answer).startsWith("HTTP/1.1 400 ").contains("Connection: close");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aHandlerThatWrapsTheBodyFailureStillAnswers400() {
    String answer = serve("POST /wrapped HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab");

    assertThat(answer).startsWith("HTTP/1.1 400 ");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aBodyTheParserRefusesKeepsTheParsersStatusEvenWhenWrapped() {
    String answer = serve("POST /wrapped HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n"
        + "x".repeat(32) + "\r\n0\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 413 ");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aHandlersOwnFailureIsStillA500WithAWarning() {
    String answer = serve("GET /broken HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 500 ");
    assertThat(warnings).hasSize(1);
    assertThat(warnings.getFirst().getThrown()).hasMessage("the handler's own bug");
  }
}
