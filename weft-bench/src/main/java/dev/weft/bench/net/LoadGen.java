package dev.weft.bench.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The network load generator: one thread, one selector, closed loops, so it costs the shared cores
 * as little as possible and treats every server alike. Prints one {@code RESULT} line per cell.
 *
 * <pre>
 * LoadGen echo   PORT LABEL CONNECTIONS SIZE SECONDS     closed loop: msg/s and p99 round trip
 * LoadGen bulk   PORT LABEL SECONDS                      one connection streaming: MB/s
 * LoadGen pubsub PORT LABEL SUBSCRIBERS SECONDS redis|line   1 publisher: lines/s, p99, loss
 * LoadGen idle   PORT LABEL COUNT SERVER_PID             resident size for COUNT idle connections
 * </pre>
 *
 * Not a test: benchmarks are run by {@code weft-bench/run-net.sh}, never by the build.
 */
public final class LoadGen {
  private static final double WARMUP_SECONDS = 1.0;

  private LoadGen() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    String label = args[2];
    var address = new InetSocketAddress("127.0.0.1", port);
    switch (args[0]) {
      case "echo" -> echo(address, label, Integer.parseInt(args[3]), Integer.parseInt(args[4]), Double.parseDouble(args[5]));
      case "bulk" -> bulk(address, label, Double.parseDouble(args[3]));
      case "pubsub" -> PubSubLoad.run(address, label, Integer.parseInt(args[3]), Double.parseDouble(args[4]), args[5].equals("redis"));
      case "idle" -> idle(address, label, Integer.parseInt(args[3]), Long.parseLong(args[4]));
      default -> throw new IllegalArgumentException("unknown mode: " + args[0]);
    }
  }

  static SocketChannel open(InetSocketAddress address) throws IOException {
    SocketChannel channel = SocketChannel.open(address);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    channel.configureBlocking(false);
    return channel;
  }

  /** Round-trip latencies, nanoseconds; sorted once at the end. */
  static final class Latencies {
    private long[] values = new long[1 << 16];
    private int size;

    void add(long nanos) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    double p99Micros() {
      if (size == 0) {
        return Double.NaN;
      }
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return sorted[Math.min(size - 1, (int) Math.ceil(size * 0.99) - 1)] / 1000.0;
    }
  }

  private static final class EchoConnection {
    final SocketChannel channel;
    final ByteBuffer out;
    final ByteBuffer in;
    long sentAt;

    EchoConnection(SocketChannel channel, int size) {
      this.channel = channel;
      byte[] message = new byte[size];
      Arrays.fill(message, (byte) 'e');
      this.out = ByteBuffer.allocateDirect(size).put(message).flip();
      this.in = ByteBuffer.allocateDirect(size);
    }

    void send(long now) throws IOException {
      sentAt = now;
      out.rewind();
      while (out.hasRemaining()) {
        channel.write(out);
      }
    }
  }

  private static void echo(InetSocketAddress address, String label, int connections, int size, double seconds)
      throws IOException {
    try (Selector selector = Selector.open()) {
      List<EchoConnection> all = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        var connection = new EchoConnection(open(address), size);
        connection.channel.register(selector, SelectionKey.OP_READ, connection);
        all.add(connection);
      }
      var latencies = new Latencies();
      long start = System.nanoTime();
      long measureFrom = start + (long) (WARMUP_SECONDS * 1e9);
      long end = measureFrom + (long) (seconds * 1e9);
      for (EchoConnection connection : all) {
        connection.send(System.nanoTime());
      }
      long messages = 0;
      while (true) {
        selector.select(100);
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        for (SelectionKey key : selector.selectedKeys()) {
          var connection = (EchoConnection) key.attachment();
          if (connection.channel.read(connection.in) < 0) {
            throw new IOException("server closed a connection");
          }
          if (!connection.in.hasRemaining()) {
            connection.in.clear();
            if (connection.sentAt >= measureFrom) {
              latencies.add(now - connection.sentAt);
              messages++;
            }
            connection.send(now);
          }
        }
        selector.selectedKeys().clear();
      }
      double elapsed = (end - measureFrom) / 1e9;
      result(label, "echo c=" + connections + " size=" + size, "msgs_per_s", messages / elapsed, latencies.p99Micros());
      for (EchoConnection connection : all) {
        connection.channel.close();
      }
    }
  }

  private static void bulk(InetSocketAddress address, String label, double seconds) throws IOException {
    try (Selector selector = Selector.open(); SocketChannel channel = open(address)) {
      SelectionKey key = channel.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
      ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
      long sent = 0;
      long received = 0;
      long window = 4L << 20;
      long start = System.nanoTime();
      long measureFrom = start + (long) (WARMUP_SECONDS * 1e9);
      long end = measureFrom + (long) (seconds * 1e9);
      long receivedAtStart = -1;
      while (true) {
        selector.select(100);
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        if (receivedAtStart < 0 && now >= measureFrom) {
          receivedAtStart = received;
        }
        if (key.isReadable()) {
          int n;
          while ((n = channel.read(in.clear())) > 0) {
            received += n;
          }
        }
        if (sent - received < window) {
          out.clear();
          sent += channel.write(out);
        }
        key.interestOps(sent - received < window ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        selector.selectedKeys().clear();
      }
      double elapsed = (end - measureFrom) / 1e9;
      result(label, "bulk c=1", "mb_per_s", (received - Math.max(0, receivedAtStart)) / elapsed / 1e6, Double.NaN);
    }
  }

  private static void idle(InetSocketAddress address, String label, int count, long pid) throws Exception {
    long before = residentKiB(pid);
    List<SocketChannel> channels = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      channels.add(SocketChannel.open(address));
    }
    // one round trip on the last connection, so the server has accepted every earlier one
    SocketChannel last = channels.getLast();
    last.write(ByteBuffer.wrap("x\n".getBytes(StandardCharsets.US_ASCII)));
    last.read(ByteBuffer.allocate(64));
    System.gc();
    long after = residentKiB(pid);
    result(label, "idle c=" + count, "rss_mib_added", (after - before) / 1024.0, Double.NaN);
    System.out.println("  rss before " + before / 1024 + " MiB, after " + after / 1024 + " MiB");
    for (SocketChannel channel : channels) {
      channel.close();
    }
  }

  static long residentKiB(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for pid " + pid);
  }

  static void result(String label, String cell, String unit, double value, double p99Micros) {
    System.out.printf("RESULT\t%s\t%s\t%s\t%.1f\tp99_us\t%.1f%n", label, cell, unit, value, p99Micros);
  }
}
