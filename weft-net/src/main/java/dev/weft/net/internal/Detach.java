package dev.weft.net.internal;

import dev.weft.net.Transport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * Takes a connection away from its event loop for blocking use on another thread: weft-http
 * serves a connection on the loop until a request needs to block (a handler that blocks, a body to
 * stream, a file to send), then hands the socket to a virtual thread for good. Exported to
 * weft-http only; not an API.
 *
 * <p>A channel cannot be put back in blocking mode while a selector holds it, and a selector drops a
 * cancelled key only in its next select: the hand-over cancels the key, and a task on the loop
 * selects once more if the channel is still registered, then switches it to blocking mode and
 * gives it to the receiver.
 */
public final class Detach {
  private Detach() {}

  /**
   * Stops reading from {@code transport} and, once everything written to it has been sent, gives
   * its channel in blocking mode to {@code receiver}, on the loop thread (which must not block:
   * start a thread there). The protocol gets no {@code connectionLost}; if the connection fails
   * before it is handed over, it gets one and the receiver is never called. Call on the
   * connection's loop thread (from its protocol's events).
   *
   * @throws IllegalArgumentException if {@code transport} is not a reactor's connection
   * @throws IllegalStateException if called off the connection's loop thread
   */
  public static void detach(Transport transport, Consumer<SocketChannel> receiver) {
    if (!(transport instanceof NioConnection connection)) {
      throw new IllegalArgumentException("only a reactor's connection can be detached: " + transport);
    }
    if (!((EventLoop) connection.executor()).inLoop()) {
      throw new IllegalStateException("detach must be called on the connection's loop: " + transport);
    }
    connection.detach(receiver);
  }

  /** The task that finishes a hand-over on the loop; if the loop stops first, the channel is closed. */
  static final class HandOver implements EventLoop.Registration {
    private final EventLoop loop;
    private final SocketChannel channel;
    private final Consumer<SocketChannel> receiver;

    HandOver(EventLoop loop, SocketChannel channel, Consumer<SocketChannel> receiver) {
      this.loop = loop;
      this.channel = channel;
      this.receiver = receiver;
    }

    @Override
    public void run() {
      try {
        if (channel.isRegistered()) {
          loop.selectNow();
        }
        channel.configureBlocking(true);
        receiver.accept(channel);
      } catch (IOException | RuntimeException e) {
        EventLoop.LOG.log(Level.WARNING, "could not hand a connection over from " + loop, e);
        reject();
      }
    }

    @Override
    public void reject() {
      try {
        channel.close();
      } catch (IOException e) {
        EventLoop.LOG.log(Level.DEBUG, "close failed", e);
      }
    }
  }
}
