package dev.weft.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.net.ConnectionOptions;
import dev.weft.net.Echo;
import dev.weft.net.Endpoint;
import dev.weft.net.ListeningPort;
import dev.weft.net.ReactorOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** How one loop's pass treats many connections that are ready at once. */
class EventLoopTest {
  private static final int CONNECTIONS = 3 * ChunkPool.KEEP;

  @Test
  void aLoopKnowsItselfAndKeepsOneValuePerOwner() throws Exception {
    onOneLoop(loop -> {
      Object first = new Object();
      Object second = new Object();
      var made = new java.util.concurrent.atomic.AtomicInteger();
      java.util.function.Function<EventLoop, String> create = l -> {
        assertThat(l).isSameAs(loop);
        return "value " + made.incrementAndGet();
      };
      var seen = new java.util.concurrent.CompletableFuture<List<Object>>();
      loop.execute(() -> seen.complete(List.of(
          EventLoop.current(),
          loop.local(first, create), loop.local(first, create), loop.local(second, create),
          loop.local(first, create), loop.local(second, create))));
      assertThat(seen.get()).containsExactly(loop, "value 1", "value 1", "value 2", "value 1", "value 2");
      assertThat(made).hasValue(2);
      assertThat(EventLoop.current()).isNull();
    });
  }

  @Test
  void aPassThatDidWorkGivesTheCpuAwayOnceThenTheLoopSleeps() throws Exception {
    onOneLoop(loop -> {
      await().atMost(Duration.ofSeconds(5)).until(loop::isSleeping);
      long before = giveAwaysOf(loop); // a pass of one task, which yields once before sleeping
      await().atMost(Duration.ofSeconds(5)).until(loop::isSleeping);
      assertThat(giveAwaysOf(loop)).as("one yield (or park), then asleep").isEqualTo(before + 1);

      await().atMost(Duration.ofSeconds(5)).until(loop::isSleeping);
      var woken = new CountDownLatch(1);
      loop.execute(woken::countDown); // asleep after yielding: a task from another thread wakes it
      assertThat(woken.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    });
  }

  @Test
  void aTaskFromAnyThreadIsRunEvenWhenWakeUpsCrossTheLoopsPasses() throws Exception {
    // Three threads each hand the loop one task at a time and wait for it. Their wake-ups race the
    // loop's own: one read while the loop slept, sent after it woke, and swallowed by the select
    // that follows its yield, once left the loop asleep with a task queued and no wake-up to come.
    onOneLoop(loop -> {
      var waited = new java.util.concurrent.atomic.AtomicReference<String>();
      var producers = new ArrayList<Thread>();
      for (int p = 0; p < 3; p++) {
        producers.add(Thread.ofPlatform().start(() -> {
          try {
            for (int i = 0; i < 20_000 && waited.get() == null; i++) {
              var ran = new CountDownLatch(1);
              loop.execute(ran::countDown);
              if (!ran.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                waited.compareAndSet(null, "task " + i + " still queued after 5 s");
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }));
      }
      for (Thread producer : producers) {
        producer.join();
      }
      assertThat(waited.get()).isNull();
    });
  }

  private static long giveAwaysOf(EventLoop loop) throws Exception {
    var giveAways = new java.util.concurrent.CompletableFuture<Long>();
    loop.execute(() -> giveAways.complete(loop.yields + loop.parks));
    return giveAways.get();
  }

  @Test
  void aBroadcastNobodyUsesIsCollectedWithTheBatchItsLoopKept() throws Exception {
    onOneLoop(loop -> {
      var published = new CountDownLatch(1);
      var room = new java.lang.ref.WeakReference<>(dev.weft.net.Broadcast.create());
      loop.execute(() -> { // on the loop: the message goes into the loop's batch of the pass
        room.get().publish(ByteBuffer.wrap(new byte[] {'x', '\n'}));
        published.countDown();
      });
      published.await();
      var other = new Object();
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        System.gc();
        var count = new java.util.concurrent.CompletableFuture<Integer>();
        loop.execute(() -> {
          loop.local(other, l -> "other"); // so the last-asked cache lets go of the broadcast
          count.complete(loop.localCount());
        });
        return room.get() == null && count.get() == 1;
      });
    });
  }

  @Test
  void aPassOverManyReadyConnectionsReusesPooledChunks() throws Exception {
    var group = new LoopGroup(ReactorOptions.defaults().withLoops(1));
    List<SocketChannel> clients = new ArrayList<>();
    try {
      ListeningPort port = group.listen(Endpoint.tcp(0), peer -> new Echo(), ConnectionOptions.defaults());
      var address = new InetSocketAddress("127.0.0.1", port.port());
      for (int i = 0; i < CONNECTIONS; i++) {
        SocketChannel client = SocketChannel.open(address);
        clients.add(client);
        roundTrip(client, true);
      }
      EventLoop loop = group.next();
      // hold the loop while every client sends, so that its next pass finds them all ready
      var held = new CountDownLatch(1);
      var release = new CountDownLatch(1);
      loop.execute(() -> {
        held.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      held.await();
      for (SocketChannel client : clients) {
        client.write(ByteBuffer.wrap(new byte[] {7}));
      }
      release.countDown();
      for (SocketChannel client : clients) {
        roundTrip(client, false);
      }
      var allocated = new java.util.concurrent.CompletableFuture<Long>();
      loop.execute(() -> allocated.complete(loop.chunks.allocated()));
      assertThat(allocated.get()).isLessThanOrEqualTo(ChunkPool.KEEP);
    } finally {
      for (SocketChannel client : clients) {
        client.close();
      }
      group.shutdown(Duration.ofSeconds(5));
    }
  }

  /** What a test does with the one loop of a fresh group. */
  private interface OnLoop {
    void run(EventLoop loop) throws Exception;
  }

  /** Runs {@code test} on a group of one loop, and shuts the group down afterwards. */
  private static void onOneLoop(OnLoop test) throws Exception {
    var group = new LoopGroup(ReactorOptions.defaults().withLoops(1));
    try {
      test.run(group.next());
    } finally {
      group.shutdown(Duration.ofSeconds(5));
    }
  }

  /** Sends a byte first if {@code send}, then reads the one byte echoed. */
  private static void roundTrip(SocketChannel client, boolean send) throws IOException {
    if (send) {
      client.write(ByteBuffer.wrap(new byte[] {7}));
    }
    ByteBuffer reply = ByteBuffer.allocate(1);
    while (reply.hasRemaining()) {
      if (client.read(reply) < 0) {
        throw new IOException("closed before the echo");
      }
    }
    assertThat(reply.get(0)).isEqualTo((byte) 7);
  }
}
