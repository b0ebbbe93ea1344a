package dev.weft.examples.net;

import dev.weft.net.Endpoint;
import dev.weft.net.ListeningPort;
import dev.weft.net.Protocol;
import dev.weft.net.Reactor;
import dev.weft.net.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;

/**
 * Twisted's classic echo server: a {@link Protocol} that writes back every byte it receives. In
 * Twisted, {@code class Echo(Protocol): def dataReceived(self, data): self.transport.write(data)}
 * and {@code reactor.listenTCP(8000, EchoFactory())}; here the factory is a lambda, and the reactor
 * is an object with as many event loops as the machine has cores.
 *
 * <p>Run: {@code ./weft examples echo-server [PORT]} (default 8000), then {@code
 * ./weft examples echo-client [PORT]} or {@code nc 127.0.0.1 8000}. Stop it with Ctrl-C.
 */
public final class EchoServer {
  private EchoServer() {}

  /** Echoes what it receives; one instance per connection, its events on that connection's loop. */
  static final class Echo implements Protocol {
    private Transport transport;

    @Override
    public void connectionMade(Transport newTransport) {
      transport = newTransport;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      transport.write(data); // queued: a large read hands its buffer over, a small one is copied
    }
  }

  /** A running server: its address, and close() to stop it (the reactor finishes what it sends). */
  public record Running(Reactor reactor, ListeningPort port) implements AutoCloseable {
    public InetSocketAddress address() {
      return port.address();
    }

    @Override
    public void close() {
      reactor.close();
    }
  }

  /** Starts an echo server on 127.0.0.1:{@code port} (0 picks a free port). */
  public static Running start(int port) throws IOException {
    Reactor reactor = Reactor.start();
    try {
      return new Running(reactor, reactor.listen(Endpoint.tcp(port), peer -> new Echo()));
    } catch (IOException | RuntimeException e) {
      reactor.close();
      throw e;
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
    try (Running server = start(port)) {
      System.out.println("echo server on " + server.address());
      new CountDownLatch(1).await(); // serve until the process is stopped
    }
  }
}
