package dev.weft.http.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A loopback server that runs a script on each accepted socket, for responses weft's server never sends. */
final class RawPeer implements AutoCloseable {
  /** What the peer does with one connection. */
  @FunctionalInterface
  interface Script {
    void run(Socket socket) throws Exception;
  }

  private final ServerSocket server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  final CountDownLatch closing = new CountDownLatch(1);

  RawPeer(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          accepted.incrementAndGet();
          sockets.add(socket);
          Thread.ofVirtual().start(() -> {
            try (socket) {
              script.run(socket);
            } catch (Exception e) {
              // the client went away: the script's business ends there
            }
          });
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  /** A peer that answers every request on a connection with {@code response}, then closes. */
  static RawPeer answering(String response) throws IOException {
    return new RawPeer(socket -> {
      readHead(socket.getInputStream());
      socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
    });
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
  }

  int accepted() {
    return accepted.get();
  }

  /** Reads one request head (through the blank line); returns it, or null at end of stream. */
  static String readHead(InputStream in) throws IOException {
    var head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    closing.countDown();
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
