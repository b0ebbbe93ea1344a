package dev.weft.bench.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The pub/sub cell of {@link LoadGen}: one publisher, N subscribers, all on one selector. The
 * publisher sends 64-byte lines {@code #SEQ_NANOS_padding} in batches and keeps at most {@link
 * #WINDOW_DELIVERIES} deliveries (50 to 2000 lines) ahead of the slowest subscriber (a closed loop: a server that loses or reorders
 * lines stalls it, and is reported). Each subscriber checks that sequence numbers arrive one by one
 * in order. With {@code redis}, lines are {@code PUBLISH bench ...} commands and subscribers
 * {@code SUBSCRIBE bench}; the payload is found in the replies by its leading {@code #}.
 */
final class PubSubLoad {
  /** Lines in flight at most, per subscriber: {@value} deliveries in all, between 50 and 2000 lines. */
  static final int WINDOW_DELIVERIES = 200_000;
  private static final int LINE = 64;
  private static final byte[] REDIS_PREFIX = "PUBLISH bench ".getBytes(StandardCharsets.US_ASCII);

  private PubSubLoad() {}

  /** A subscriber's parser state across reads. */
  private static final class Subscriber {
    final SocketChannel channel;
    long lastSeq = -1;
    long received;
    long errors;
    int state; // 0 seek '#', 1 sequence, 2 timestamp, 3 skip the padding to the LF
    long seq;
    long stamp;
    /** Bytes of the current payload seen ('#' counts), or left to skip in state 3. */
    int count;

    Subscriber(SocketChannel channel) {
      this.channel = channel;
    }

    /**
     * Finds the payloads in what a server delivered (whatever framing it adds: a tag, or Redis's
     * reply array) by their leading {@code #}; every payload is {@link #LINE} bytes up to and
     * including its LF, so the padding is skipped, not scanned.
     */
    void parse(ByteBuffer data, long now, LoadGen.Latencies latencies, boolean measuring) {
      int limit = data.limit();
      for (int i = data.position(); i < limit; i++) {
        byte b = data.get(i);
        switch (state) {
          case 0 -> {
            if (b == '#') {
              state = 1;
              seq = 0;
              count = 1;
            }
          }
          case 1 -> {
            count++;
            if (b == '_') {
              state = 2;
              stamp = 0;
            } else {
              seq = seq * 10 + (b - '0');
            }
          }
          case 2 -> {
            count++;
            if (b == '_') {
              state = 3;
              count = LINE - count;
              line(now, latencies, measuring);
            } else {
              stamp = stamp * 10 + (b - '0');
            }
          }
          default -> {
            int n = Math.min(count, limit - i);
            i += n - 1;
            count -= n;
            if (count == 0) {
              state = 0;
              if (data.get(i) != '\n') {
                errors++;
              }
            }
          }
        }
      }
    }

    private void line(long now, LoadGen.Latencies latencies, boolean measuring) {
      if (lastSeq >= 0 && seq != lastSeq + 1) {
        errors++;
      }
      lastSeq = seq;
      received++;
      if (measuring && (seq & 15) == 0) {
        latencies.add(now - stamp);
      }
    }
  }

  static void run(InetSocketAddress address, String label, int subscribers, double seconds, boolean redis)
      throws IOException, InterruptedException {
    try (Selector selector = Selector.open()) {
      List<Subscriber> subs = new ArrayList<>();
      for (int i = 0; i < subscribers; i++) {
        var sub = new Subscriber(LoadGen.open(address));
        if (redis) {
          writeFully(sub.channel, ByteBuffer.wrap("SUBSCRIBE bench\r\n".getBytes(StandardCharsets.US_ASCII)));
        }
        sub.channel.register(selector, SelectionKey.OP_READ, sub);
        subs.add(sub);
      }
      SocketChannel publisher = LoadGen.open(address);
      publisher.register(selector, SelectionKey.OP_READ, null);
      waitUntilEverySubscriberIsListening(selector, publisher, subs, redis);

      var latencies = new LoadGen.Latencies();
      var cpu = new LoadGen.ServerCpu();
      ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
      ByteBuffer batch = ByteBuffer.allocateDirect(64 * 1024);
      long nextSeq = 1_000_000;
      int window = Math.clamp(WINDOW_DELIVERIES / subscribers, 50, 2000);
      for (Subscriber sub : subs) {
        sub.lastSeq = nextSeq - 1;
        sub.received = 0;
        sub.errors = 0;
      }
      long start = System.nanoTime();
      long measureFrom = start + (long) (LoadGen.WARMUP_SECONDS * 1e9);
      long end = measureFrom + (long) (seconds * 1e9);
      long receivedAtMeasure = -1;
      long lastProgress = start;
      while (true) {
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        if (receivedAtMeasure < 0 && now >= measureFrom) {
          receivedAtMeasure = total(subs);
          cpu.start();
        }
        long slowest = Long.MAX_VALUE;
        for (Subscriber sub : subs) {
          slowest = Math.min(slowest, sub.lastSeq);
        }
        int room = (int) Math.min(batch.capacity() / (LINE + REDIS_PREFIX.length), window - (nextSeq - 1 - slowest));
        if (room > 0) {
          batch.clear();
          for (int i = 0; i < room; i++) {
            appendLine(batch, nextSeq++, now, redis);
          }
          writeFully(publisher, batch.flip());
        }
        selector.select(10);
        now = System.nanoTime();
        if (readReady(selector, in, now, latencies, now >= measureFrom)) {
          lastProgress = now;
        }
        if (now - lastProgress > 5e9) {
          throw new IOException("no line delivered for 5 s: lost lines?");
        }
      }
      cpu.stop();
      long delivered = total(subs) - Math.max(0, receivedAtMeasure);
      // every line published must reach every subscriber: drain what is still in flight
      long lastPublished = nextSeq - 1;
      long drainDeadline = System.nanoTime() + (long) 10e9;
      while (subs.stream().anyMatch(sub -> sub.lastSeq < lastPublished) && System.nanoTime() < drainDeadline) {
        selector.select(10);
        readReady(selector, in, System.nanoTime(), latencies, false);
      }
      long errors = 0;
      long lost = 0;
      for (Subscriber sub : subs) {
        errors += sub.errors;
        lost += lastPublished - sub.lastSeq;
      }
      double elapsed = (end - measureFrom) / 1e9;
      LoadGen.result(label, "pubsub subs=" + subscribers, "lines_per_s", delivered / elapsed, latencies.p99Micros(),
          cpu.perSecond(elapsed), errors + lost);
      System.out.println("  " + label + " subs=" + subscribers + ": " + (nextSeq - 1_000_000) + " lines published, "
          + errors + " out of order or missing, " + lost + " not delivered after 10 s");
      publisher.close();
      for (Subscriber sub : subs) {
        sub.channel.close();
      }
    }
  }

  /** Reads every ready subscriber; whether any line arrived. */
  private static boolean readReady(
      Selector selector, ByteBuffer in, long now, LoadGen.Latencies latencies, boolean measuring) throws IOException {
    boolean progress = false;
    for (SelectionKey key : selector.selectedKeys()) {
      SocketChannel channel = (SocketChannel) key.channel();
      int n;
      while ((n = channel.read(in.clear())) > 0) {
        if (key.attachment() instanceof Subscriber sub) {
          sub.parse(in.flip(), now, latencies, measuring);
          progress = true;
        }
      }
      if (n < 0) {
        throw new IOException("server closed a connection");
      }
    }
    selector.selectedKeys().clear();
    return progress;
  }

  private static long total(List<Subscriber> subs) {
    long sum = 0;
    for (Subscriber sub : subs) {
      sum += sub.received;
    }
    return sum;
  }

  /**
   * Publishes sequence 0, 1, ... lines until every subscriber has seen one (it is then subscribed),
   * then waits until every subscriber has seen the last one, so no warm-up line is still in flight
   * when the measured sequence starts.
   */
  private static void waitUntilEverySubscriberIsListening(
      Selector selector, SocketChannel publisher, List<Subscriber> subs, boolean redis) throws IOException {
    ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    ByteBuffer line = ByteBuffer.allocate(256);
    var ignored = new LoadGen.Latencies();
    long deadline = System.nanoTime() + (long) 30e9;
    long seq = 0;
    while (subs.stream().anyMatch(sub -> sub.received == 0)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("subscribers not listening after 30 s");
      }
      line.clear();
      appendLine(line, seq++, System.nanoTime(), redis);
      writeFully(publisher, line.flip());
      selector.select(50);
      readReady(selector, in, System.nanoTime(), ignored, false);
    }
    long last = seq - 1;
    while (subs.stream().anyMatch(sub -> sub.lastSeq != last)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("warm-up lines not delivered after 30 s");
      }
      selector.select(50);
      readReady(selector, in, System.nanoTime(), ignored, false);
    }
  }

  private static void appendLine(ByteBuffer batch, long seq, long now, boolean redis) {
    int start = batch.position();
    if (redis) {
      batch.put(REDIS_PREFIX);
    }
    int payloadStart = batch.position();
    batch.put((byte) '#');
    putNumber(batch, seq);
    batch.put((byte) '_');
    putNumber(batch, now);
    batch.put((byte) '_');
    while (batch.position() - payloadStart < LINE - 1 - (redis ? 1 : 0)) {
      batch.put((byte) 'p');
    }
    if (redis) {
      batch.put((byte) '\r');
    }
    batch.put((byte) '\n');
    assert batch.position() > start;
  }

  private static void putNumber(ByteBuffer buffer, long value) {
    String digits = Long.toString(value);
    for (int i = 0; i < digits.length(); i++) {
      buffer.put((byte) digits.charAt(i));
    }
  }

  static void writeFully(SocketChannel channel, ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      channel.write(data);
    }
  }
}
