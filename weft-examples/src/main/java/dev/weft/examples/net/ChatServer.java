package dev.weft.examples.net;

import dev.weft.net.Broadcast;
import dev.weft.net.Endpoint;
import dev.weft.net.LineReceiver;
import dev.weft.net.ListeningPort;
import dev.weft.net.Reactor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Twisted's chat server: a {@link LineReceiver} asks each newcomer for a name, then every line it
 * sends goes to everyone in the room, the sender too, as {@code <name> line}. Twisted loops over a dict of users
 * calling {@code sendLine} on each; here a {@link Broadcast} does the fan-out, so a line is
 * encoded once, reaches every subscriber in one order, and each subscriber's pending lines leave in
 * one write. The names are shared by protocols on different event loops: a concurrent set.
 *
 * <p>Run: {@code ./weft examples chat-server [PORT]} (default 8123), then connect with {@code nc
 * 127.0.0.1 8123} from two terminals. Stop it with Ctrl-C.
 */
public final class ChatServer {
  private ChatServer() {}

  /** One chat connection: first a name, then messages. */
  static final class Chat extends LineReceiver {
    private final Broadcast room;
    private final Set<String> names;
    private String name; // null until chosen; confined to this connection's loop

    Chat(Broadcast room, Set<String> names) {
      super(1024);
      this.room = room;
      this.names = names;
    }

    @Override
    protected void connectionMade() {
      sendLine("What's your name?");
    }

    @Override
    protected void lineReceived(ByteBuffer line) {
      String text = LineReceiver.text(line); // decode now: line is valid only during this call
      if (name == null) {
        chooseName(text.strip());
      } else {
        say("<" + name + "> " + text);
      }
    }

    private void chooseName(String wanted) {
      if (wanted.isEmpty() || !names.add(wanted)) {
        sendLine("Name taken, please choose another.");
        return;
      }
      name = wanted;
      sendLine("Welcome, " + name + "!");
      room.subscribe(transport());
      say("* " + name + " joined");
    }

    private void say(String text) {
      room.publish(ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void connectionLost(Throwable reason) {
      if (name != null) {
        room.unsubscribe(transport());
        names.remove(name);
        say("* " + name + " left");
      }
    }
  }

  /** A running server: its address, and close() to stop it. */
  public record Running(Reactor reactor, ListeningPort port) implements AutoCloseable {
    public InetSocketAddress address() {
      return port.address();
    }

    @Override
    public void close() {
      reactor.close();
    }
  }

  /** Starts a chat server on 127.0.0.1:{@code port} (0 picks a free port). */
  public static Running start(int port) throws IOException {
    Broadcast room = Broadcast.create();
    Set<String> names = ConcurrentHashMap.newKeySet();
    Reactor reactor = Reactor.start();
    try {
      return new Running(reactor, reactor.listen(Endpoint.tcp(port), peer -> new Chat(room, names)));
    } catch (IOException | RuntimeException e) {
      reactor.close();
      throw e;
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8123;
    try (Running server = start(port)) {
      System.out.println("chat server on " + server.address());
      new CountDownLatch(1).await(); // serve until the process is stopped
    }
  }
}
