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
 * #WINDOW} lines ahead of the slowest subscriber (a closed loop: a server that loses or reorders
 * lines stalls it, and is reported). Each subscriber checks that sequence numbers arrive one by one
 * in order. With {@code redis}, lines are {@code PUBLISH bench ...} commands and subscribers
 * {@code SUBSCRIBE bench}; the payload is found in the replies by its leading {@code #}.
 */
final class PubSubLoad {
  static final int WINDOW = 2000;
  private static final int LINE = 64;

  private PubSubLoad() {}

  /** A subscriber's parser state across reads. */
  private static final class Subscriber {
    final SocketChannel channel;
    long lastSeq = -1;
    long received;
    long errors;
    int state; // 0 seek '#', 1 sequence, 2 timestamp, 3 skip to LF
    long seq;
    long stamp;

    Subscriber(SocketChannel channel) {
      this.channel = channel;
    }

    void parse(ByteBuffer data, long now, LoadGen.Latencies latencies, boolean measuring) {
      for (int i = data.position(); i < data.limit(); i++) {
        byte b = data.get(i);
        switch (state) {
          case 0 -> {
            if (b == '#') {
              state = 1;
              seq = 0;
            }
          }
          case 1 -> {
            if (b == '_') {
              state = 2;
              stamp = 0;
            } else {
              seq = seq * 10 + (b - '0');
            }
          }
          case 2 -> {
            if (b == '_') {
              state = 3;
              line(now, latencies, measuring);
            } else {
              stamp = stamp * 10 + (b - '0');
            }
          }
          default -> {
            if (b == '\n') {
              state = 0;
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
      ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
      ByteBuffer batch = ByteBuffer.allocateDirect(64 * 1024);
      long nextSeq = 1_000_000;
      for (Subscriber sub : subs) {
        sub.lastSeq = nextSeq - 1;
        sub.received = 0;
        sub.errors = 0;
      }
      long start = System.nanoTime();
      long measureFrom = start + (long) 1e9;
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
        }
        long slowest = Long.MAX_VALUE;
        for (Subscriber sub : subs) {
          slowest = Math.min(slowest, sub.lastSeq);
        }
        int room = (int) Math.min(batch.capacity() / LINE, WINDOW - (nextSeq - 1 - slowest));
        if (room > 0) {
          batch.clear();
          for (int i = 0; i < room; i++) {
            appendLine(batch, nextSeq++, now, redis);
          }
          writeFully(publisher, batch.flip());
        }
        selector.select(10);
        now = System.nanoTime();
        boolean measuring = now >= measureFrom;
        for (SelectionKey key : selector.selectedKeys()) {
          SocketChannel channel = (SocketChannel) key.channel();
          int n;
          while ((n = channel.read(in.clear())) > 0) {
            if (key.attachment() instanceof Subscriber sub) {
              sub.parse(in.flip(), now, latencies, measuring);
              lastProgress = now;
            }
          }
          if (n < 0) {
            throw new IOException("server closed a connection");
          }
        }
        selector.selectedKeys().clear();
        if (now - lastProgress > 5e9) {
          throw new IOException("no line delivered for 5 s: lost lines?");
        }
      }
      long delivered = total(subs) - Math.max(0, receivedAtMeasure);
      long errors = 0;
      for (Subscriber sub : subs) {
        errors += sub.errors;
      }
      double elapsed = (end - measureFrom) / 1e9;
      LoadGen.result(label, "pubsub subs=" + subscribers, "lines_per_s", delivered / elapsed, latencies.p99Micros());
      System.out.println("  order/loss errors: " + errors);
      publisher.close();
      for (Subscriber sub : subs) {
        sub.channel.close();
      }
    }
  }

  private static long total(List<Subscriber> subs) {
    long sum = 0;
    for (Subscriber sub : subs) {
      sum += sub.received;
    }
    return sum;
  }

  /** Publishes sequence 0 lines until every subscriber has seen one (it is then subscribed). */
  private static void waitUntilEverySubscriberIsListening(
      Selector selector, SocketChannel publisher, List<Subscriber> subs, boolean redis) throws IOException {
    ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    ByteBuffer line = ByteBuffer.allocate(256);
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
      for (SelectionKey key : selector.selectedKeys()) {
        while (((SocketChannel) key.channel()).read(in.clear()) > 0) {
          if (key.attachment() instanceof Subscriber sub) {
            sub.parse(in.flip(), System.nanoTime(), new LoadGen.Latencies(), false);
          }
        }
      }
      selector.selectedKeys().clear();
    }
  }

  private static void appendLine(ByteBuffer batch, long seq, long now, boolean redis) {
    int start = batch.position();
    if (redis) {
      batch.put("PUBLISH bench ".getBytes(StandardCharsets.US_ASCII));
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
