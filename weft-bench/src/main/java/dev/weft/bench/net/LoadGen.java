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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network load generator: one thread, one selector, closed loops, so it costs the shared cores
 * as little as possible and treats every server alike. Prints one {@code RESULT} line per cell:
 *
 * <pre>
 * RESULT  LABEL  CELL  UNIT  VALUE  p99_us  P99  cpu  SERVER_CPU  errors  ERRORS
 * </pre>
 *
 * where {@code SERVER_CPU} is the CPU time the server process used per second of the measured
 * window (from {@code /proc}, with {@code -Dserver.pid=PID}; NaN without), and {@code ERRORS} counts
 * wrong echoes, or lost and out-of-order lines. Modes:
 *
 * <pre>
 * LoadGen echo   PORT LABEL CONNECTIONS SIZE SECONDS     closed loop: msg/s and p99 round trip
 * LoadGen bulk   PORT LABEL SECONDS                      one connection streaming: MB/s
 * LoadGen pubsub PORT LABEL SUBSCRIBERS SECONDS redis|line   1 publisher: lines/s, p99, loss
 * LoadGen idle   PORT LABEL COUNT SERVER_PID           memory the server holds per idle connection
 * </pre>
 *
 * The warm-up before each measured window is {@code -Dwarmup=SECONDS} (1 by default). {@code
 * LoadGen batch} reads one cell per line, {@code SERVER_PID MODE PORT LABEL ARGS...}, from standard
 * input, and passes a line {@code ROUND ...} through to its output as it is (run-net.sh runs every
 * round in one generator JVM, so that its code is compiled once, not at the start of each round).
 * With {@code -Dpercentiles=true} an echo cell also prints its round trips' p50, p90, p99, p99.9
 * and maximum (the tail at 50 connections is set by the scheduler of a small machine: there the
 * whole distribution says more than its p99).
 *
 * <p>Not a test: benchmarks are run by {@code weft-bench/run-net.sh}, never by the build.
 */
public final class LoadGen {
  static final double WARMUP_SECONDS = Double.parseDouble(System.getProperty("warmup", "1.0"));
  /** The server measured by the current cell; set per cell in batch mode. */
  private static long serverPid = Long.getLong("server.pid", -1);
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  private LoadGen() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("batch")) {
      batch();
      return;
    }
    cell(args);
  }

  /**
   * Runs one cell per line of standard input, {@code SERVER_PID MODE PORT LABEL ARGS...}, in this one
   * JVM: no start-up per cell, and the generator's own code is compiled after the first cells.
   */
  private static void batch() throws Exception {
    var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("ROUND")) { // a marker between rounds, passed through for the report
        System.out.println(line);
        continue;
      }
      String[] words = line.trim().split("\\s+");
      serverPid = Long.parseLong(words[0]);
      cell(Arrays.copyOfRange(words, 1, words.length));
      System.out.flush();
      settle();
    }
  }

  /**
   * Lets the machine settle after a cell before the next one starts: collects the generator's
   * garbage, then waits until the server just measured has used no CPU for 50 ms (at most 2 s),
   * so the next cell does not share the cores with a server still closing a thousand connections.
   */
  private static void settle() {
    System.gc();
    if (serverPid < 0) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    try {
      for (long before = ServerCpu.cpuTicks(); System.nanoTime() < deadline; ) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        long after = ServerCpu.cpuTicks();
        if (after == before) {
          return;
        }
        before = after;
      }
    } catch (IOException gone) {
      // the server has exited: nothing to wait for
    }
  }

  private static void cell(String[] args) throws Exception {
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
      return percentileMicros(0.99);
    }

    /** The {@code q} quantile (0 the lowest, 1 the highest) in microseconds; NaN if none was added. */
    double percentileMicros(double q) {
      if (size == 0) {
        return Double.NaN;
      }
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return sorted[Math.clamp((long) Math.ceil(size * q) - 1, 0, size - 1)] / 1000.0;
    }
  }

  /** The server's CPU time over the measured window: started when measuring starts. */
  static final class ServerCpu {
    private long startTicks = -1;
    private long endTicks = -1;

    void start() throws IOException {
      if (startTicks < 0) {
        startTicks = cpuTicks();
      }
    }

    void stop() throws IOException {
      endTicks = cpuTicks();
    }

    /** CPU seconds per wall second. */
    double perSecond(double seconds) {
      if (serverPid < 0 || startTicks < 0 || endTicks < 0) {
        return Double.NaN;
      }
      return (endTicks - startTicks) / (double) CLOCK_TICKS_PER_SECOND / seconds;
    }

    private static long cpuTicks() throws IOException {
      if (serverPid < 0) {
        return 0;
      }
      String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
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
      for (int i = 0; i < size; i++) {
        message[i] = (byte) ('a' + i % 26);
      }
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

    /** Whether what came back is what was sent. */
    boolean echoed() {
      return in.flip().equals(out.rewind());
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
      var cpu = new ServerCpu();
      long start = System.nanoTime();
      long measureFrom = start + (long) (WARMUP_SECONDS * 1e9);
      long end = measureFrom + (long) (seconds * 1e9);
      for (EchoConnection connection : all) {
        connection.send(System.nanoTime());
      }
      long messages = 0;
      long wrong = 0;
      while (true) {
        selector.select(100);
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        if (now >= measureFrom) {
          cpu.start();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          var connection = (EchoConnection) key.attachment();
          if (connection.channel.read(connection.in) < 0) {
            throw new IOException("server closed a connection");
          }
          if (!connection.in.hasRemaining()) {
            if (!connection.echoed()) {
              wrong++;
            }
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
      cpu.stop();
      double elapsed = (end - measureFrom) / 1e9;
      result(label, "echo c=" + connections + " size=" + size, "msgs_per_s", messages / elapsed,
          latencies.p99Micros(), cpu.perSecond(elapsed), wrong);
      if (Boolean.getBoolean("percentiles")) {
        System.out.printf("  %s p50 %.0f p90 %.0f p99 %.0f p99.9 %.0f max %.0f%n", label, latencies.percentileMicros(0.5),
            latencies.percentileMicros(0.9), latencies.percentileMicros(0.99), latencies.percentileMicros(0.999),
            latencies.percentileMicros(1));
      }
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
      var cpu = new ServerCpu();
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
          cpu.start();
        }
        if (key.isReadable()) {
          int n;
          while ((n = channel.read(in.clear())) > 0) {
            received += n;
          }
          if (n < 0) {
            throw new IOException("server closed the connection");
          }
        }
        if (sent - received < window) {
          out.clear();
          sent += channel.write(out);
        }
        key.interestOps(sent - received < window ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        selector.selectedKeys().clear();
      }
      cpu.stop();
      double elapsed = (end - measureFrom) / 1e9;
      result(label, "bulk c=1", "mb_per_s", (received - Math.max(0, receivedAtStart)) / elapsed / 1e6, Double.NaN,
          cpu.perSecond(elapsed), received > sent ? 1 : 0);
    }
  }

  /**
   * Opens COUNT connections, does one round trip on each (so the server has accepted and served
   * every one), and reports the memory the server gained per connection: resident size (the heap
   * is pre-touched in the Java servers, so this is native memory: direct buffers, thread stacks,
   * selector tables) plus, for a JVM, the heap still in use after a full collection (taken with
   * {@code jcmd}). A first batch of a tenth as many connections, opened, pinged and closed, and a
   * first {@code jcmd} come before the baseline, so that the code they compile and the attach
   * machinery they start are not counted as connection memory; the resident size after is read
   * before the second {@code jcmd} for the same reason.
   */
  private static void idle(InetSocketAddress address, String label, int count, long pid) throws Exception {
    boolean jvm = !label.equals("redis");
    closeAll(openAndPing(address, Math.max(1, count / 10)));
    long heapBefore = jvm ? heapUsedKiB(pid) : 0;
    long rssBefore = residentKiB(pid);
    List<SocketChannel> channels = openAndPing(address, count);
    long rssAfter = residentKiB(pid);
    long heapAfter = jvm ? heapUsedKiB(pid) : 0;
    double native_ = (rssAfter - rssBefore) / (double) count;
    double heap = (heapAfter - heapBefore) / (double) count;
    result(label, "idle c=" + count, "kib_per_conn", native_ + heap, Double.NaN, Double.NaN, 0);
    System.out.printf("  %s: resident +%.2f KiB/conn, heap after GC +%.2f KiB/conn%n", label, native_, heap);
    closeAll(channels);
  }

  /** Opens {@code count} blocking connections and does one round trip on each. */
  private static List<SocketChannel> openAndPing(InetSocketAddress address, int count) throws IOException {
    List<SocketChannel> channels = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      channels.add(SocketChannel.open(address));
    }
    ByteBuffer ping = ByteBuffer.wrap("PING\r\n".getBytes(StandardCharsets.US_ASCII));
    ByteBuffer reply = ByteBuffer.allocate(64);
    for (SocketChannel channel : channels) {
      channel.write(ping.rewind());
    }
    for (SocketChannel channel : channels) {
      if (channel.read(reply.clear()) <= 0) {
        throw new IOException("no reply on an idle connection");
      }
    }
    return channels;
  }

  private static void closeAll(List<SocketChannel> channels) throws IOException {
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

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  /** Runs a full collection in {@code pid} and returns the heap in use after it. */
  static long heapUsedKiB(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = USED.matcher(info);
    if (!m.find()) {
      throw new IOException("no heap figure from jcmd: " + info);
    }
    return Long.parseLong(m.group(1));
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  static void result(String label, String cell, String unit, double value, double p99Micros, double serverCpu, long errors) {
    System.out.printf("RESULT\t%s\t%s\t%s\t%.1f\tp99_us\t%.1f\tcpu\t%.2f\terrors\t%d%n",
        label, cell, unit, value, p99Micros, serverCpu, errors);
  }
}
