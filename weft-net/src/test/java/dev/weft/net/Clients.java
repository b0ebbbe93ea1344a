package dev.weft.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** Blocking loopback clients for tests. */
final class Clients {
  private Clients() {}

  static SocketChannel connect(ListeningPort port) throws IOException {
    return SocketChannel.open(new InetSocketAddress("127.0.0.1", port.port()));
  }

  static void send(SocketChannel channel, String text) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Reads exactly {@code length} bytes (fails at end of stream). */
  static String receive(SocketChannel channel, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("end of stream after " + buffer.position() + " of " + length + " bytes");
      }
    }
    return new String(buffer.array(), StandardCharsets.UTF_8);
  }

  /** Reads until end of stream. */
  static String receiveAll(SocketChannel channel) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    while (channel.read(buffer.clear()) >= 0) {
      out.write(buffer.array(), 0, buffer.position());
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static String roundTrip(SocketChannel channel, String text) throws IOException {
    send(channel, text);
    return receive(channel, text.getBytes(StandardCharsets.UTF_8).length);
  }
}
