package dev.weft.examples.net;

import dev.weft.net.Endpoint;
import dev.weft.net.Protocol;
import dev.weft.net.Reactor;
import dev.weft.net.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Twisted's echo client: connect, send a message, print what comes back, hang up. The protocol
 * counts the bytes it has received and loses the connection once the whole echo is in; the result
 * is a future completed when the connection is lost, where Twisted would fire a Deferred from its
 * factory's {@code clientConnectionLost}.
 *
 * <p>Run: {@code ./weft examples echo-client [PORT [MESSAGE]]} against {@link EchoServer}.
 */
public final class EchoClient {
  private EchoClient() {}

  /** Sends one message and collects its echo. */
  static final class OneEcho implements Protocol {
    private final byte[] message;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final CompletableFuture<String> echoed = new CompletableFuture<>();
    private Transport transport;

    OneEcho(String message) {
      this.message = message.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void connectionMade(Transport newTransport) {
      transport = newTransport;
      transport.write(ByteBuffer.wrap(message));
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      while (data.hasRemaining()) {
        received.write(data.get()); // the echo may arrive in several pieces
      }
      if (received.size() >= message.length) {
        transport.loseConnection();
      }
    }

    @Override
    public void connectionLost(Throwable reason) {
      echoed.complete(received.toString(StandardCharsets.UTF_8));
    }
  }

  /** Sends {@code message} to the echo server at 127.0.0.1:{@code port}; returns what came back. */
  public static String echo(int port, String message)
      throws InterruptedException, ExecutionException, TimeoutException {
    try (Reactor reactor = Reactor.start()) {
      var protocol = new OneEcho(message);
      Transport transport = reactor.connect(Endpoint.tcp(port), peer -> protocol).get(10, TimeUnit.SECONDS);
      System.out.println("connected to " + transport.peer() + " from " + transport.host());
      return protocol.echoed.get(10, TimeUnit.SECONDS);
    }
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
    String message = args.length > 1 ? args[1] : "hello, world";
    System.out.println("Server said: " + echo(port, message));
  }
}
