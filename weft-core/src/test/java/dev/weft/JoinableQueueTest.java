package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30) // a regression that blocks fails the test instead of hanging the build
class JoinableQueueTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  private <T> Future<T> inBackground(Callable<T> work) {
    return threads.submit(work);
  }

  @Test
  void takesItemsInTheOrderTheyWerePut() throws InterruptedException {
    var queue = JoinableQueue.<String>bounded(4);
    queue.put("a");
    queue.put("b");
    assertThat(queue.offer("c")).isTrue();

    assertThat(List.of(queue.take(), queue.poll(), queue.take())).containsExactly("a", "b", "c");
    assertThat(queue.poll()).isNull();
  }

  @Test
  void putBlocksWhileFullUntilATakeMakesRoom() throws Exception {
    var queue = JoinableQueue.<String>bounded(1);
    queue.put("first");
    Future<Void> putter = inBackground(() -> { queue.put("second"); return null; });
    await().atMost(BOUND).until(() -> queue.stats().waitingPutters() == 1);
    assertThat(putter.isDone()).isFalse();
    assertThat(queue.offer("third")).isFalse();

    assertThat(queue.take()).isEqualTo("first");

    putter.get(10, TimeUnit.SECONDS);
    assertThat(queue.take()).isEqualTo("second");
  }

  @Test
  void taskDoneCalledTooOftenThrows() throws InterruptedException {
    var queue = JoinableQueue.<String>bounded("jobs", 2);
    queue.put("a");
    queue.take();
    queue.taskDone();

    assertThatThrownBy(queue::taskDone)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("taskDone() called too many times on JoinableQueue[jobs]");
    assertThat(queue.stats().unfinished()).isZero();
  }

  @Test
  void joinWakesWhenTheLastItemIsDone() throws Exception {
    var queue = JoinableQueue.<Integer>bounded(4);
    queue.put(1);
    queue.put(2);
    Future<Void> joiner = inBackground(() -> { queue.join(); return null; });
    await().atMost(BOUND).until(() -> queue.stats().waitingJoiners() == 1);

    queue.take();
    queue.taskDone();
    queue.take();
    assertThat(joiner.isDone()).isFalse();
    assertThat(queue.stats().unfinished()).isEqualTo(1);
    queue.taskDone();

    joiner.get(10, TimeUnit.SECONDS);
    assertThat(queue.stats().waitingJoiners()).isZero();
  }

  @Test
  void joinReturnsAtOnceWhenNothingIsUnfinished() throws InterruptedException {
    var queue = JoinableQueue.<Integer>bounded(4);
    queue.join();
    assertThat(queue.stats().unfinished()).isZero();
  }

  @Test
  void closeWakesEveryBlockedTakerWithTheEndSignal() throws Exception {
    var queue = JoinableQueue.<String>bounded("jobs", 4);
    var takers = new ArrayList<Future<String>>();
    for (int i = 0; i < 3; i++) {
      takers.add(inBackground(queue::take));
    }
    await().atMost(BOUND).until(() -> queue.stats().waitingTakers() == 3);

    queue.close();

    for (Future<String> taker : takers) {
      assertThatThrownBy(() -> taker.get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(QueueClosedException.class)
          .hasMessage("JoinableQueue[jobs] is closed and empty");
    }
  }

  @Test
  void closeWakesBlockedPuttersWhoSeeTheQueueIsClosed() throws Exception {
    var queue = JoinableQueue.<String>bounded(1);
    queue.put("fills it");
    Future<Void> putter = inBackground(() -> { queue.put("never fits"); return null; });
    await().atMost(BOUND).until(() -> queue.stats().waitingPutters() == 1);

    queue.close();

    assertThatThrownBy(() -> putter.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(QueueClosedException.class)
        .hasMessage("JoinableQueue[bounded(1)] is closed: no more puts");
    assertThat(queue.stats().size()).isEqualTo(1);
  }

  @Test
  void takersDrainWhatIsLeftAfterCloseThenSeeTheEnd() throws InterruptedException {
    var queue = JoinableQueue.<Integer>bounded(4);
    queue.put(1);
    queue.put(2);
    queue.close();

    assertThat(queue.take()).isEqualTo(1);
    assertThat(queue.poll(Duration.ofDays(1))).isEqualTo(2);
    assertThatThrownBy(queue::take).isInstanceOf(QueueClosedException.class);
    assertThat(queue.poll()).isNull();
    assertThat(queue.poll(Duration.ofDays(1))).isNull(); // returns at once: nothing will come
  }

  @Test
  void putAndOfferAfterCloseThrowNamingTheQueue() {
    var queue = JoinableQueue.<String>bounded("jobs", 4);
    queue.close();
    queue.close(); // twice is harmless

    assertThatThrownBy(() -> queue.put("x"))
        .isInstanceOf(QueueClosedException.class)
        .hasMessage("JoinableQueue[jobs] is closed: no more puts");
    assertThatThrownBy(() -> queue.offer("x")).isInstanceOf(QueueClosedException.class);
    assertThatThrownBy(() -> queue.offer("x", Duration.ofSeconds(1)))
        .isInstanceOf(QueueClosedException.class);
    assertThat(queue.isClosed()).isTrue();
  }

  @Test
  void rejectsNullItemsAndBadCapacity() {
    var queue = JoinableQueue.<String>bounded(4);
    assertThatThrownBy(() -> queue.put(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("a JoinableQueue does not hold null: poll() returns null for empty");
    assertThatThrownBy(() -> queue.offer(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> JoinableQueue.bounded(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be > 0: 0");
  }

  @Test
  void statsCountItemsWorkAndTotals() throws InterruptedException {
    var queue = JoinableQueue.<String>bounded(8);
    queue.put("a");
    queue.put("b");
    queue.put("c");
    queue.take();
    queue.taskDone();
    queue.take();

    assertThat(queue.stats())
        .isEqualTo(new JoinableQueue.Stats(1, 8, 2, 0, 0, 0, 3, 2, false));
    assertThat(JoinableQueue.unbounded().stats().capacity()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void unboundedQueueNeverMakesPutWait() throws InterruptedException {
    var queue = JoinableQueue.<Integer>unbounded();
    for (int i = 0; i < 10_000; i++) {
      queue.put(i);
    }
    assertThat(queue.size()).isEqualTo(10_000);
    assertThat(queue.take()).isZero();
  }

  @Test
  void forEachUntilClosedMarksEachItemDoneAndReturnsAtTheEnd() throws Exception {
    var queue = JoinableQueue.<Integer>bounded(4);
    var seen = new ArrayList<Integer>();
    Future<Void> consumer = inBackground(() -> { queue.forEachUntilClosed(seen::add); return null; });
    for (int i = 0; i < 10; i++) {
      queue.put(i);
    }
    queue.join();
    queue.close();

    consumer.get(10, TimeUnit.SECONDS);
    assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void forEachUntilClosedMarksTheItemDoneWhenTheActionThrows() throws InterruptedException {
    var queue = JoinableQueue.<Integer>bounded(4);
    queue.put(1);
    queue.put(2);

    assertThatThrownBy(
            () -> queue.forEachUntilClosed(item -> { throw new IllegalArgumentException("bad " + item); }))
        .hasMessage("bad 1");
    assertThat(queue.stats().unfinished()).isEqualTo(1);
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  void anInterruptedTakerLeavesAndLosesNoItem() throws Exception {
    var queue = JoinableQueue.<String>bounded(4);
    Future<String> taker = inBackground(queue::take);
    await().atMost(BOUND).until(() -> queue.stats().waitingTakers() == 1);

    taker.cancel(true);
    await().atMost(BOUND).until(() -> queue.stats().waitingTakers() == 0);
    queue.put("kept");

    assertThat(queue.poll()).isEqualTo("kept");
  }

  @Test
  void everyItemIsTakenExactlyOnceByManyProducersAndConsumers() throws Exception {
    int producers = 4;
    int perProducer = 25_000;
    var queue = JoinableQueue.<Integer>bounded(64);
    var taken = new AtomicIntegerArray(producers * perProducer);
    var workers = new ArrayList<Future<Void>>();
    for (int c = 0; c < 4; c++) {
      workers.add(inBackground(() -> {
        queue.forEachUntilClosed(item -> taken.incrementAndGet(item));
        return null;
      }));
    }
    var putters = new ArrayList<Future<Void>>();
    for (int p = 0; p < producers; p++) {
      int base = p * perProducer;
      putters.add(inBackground(() -> {
        for (int i = 0; i < perProducer; i++) {
          queue.put(base + i);
        }
        return null;
      }));
    }
    for (Future<Void> putter : putters) {
      putter.get(30, TimeUnit.SECONDS);
    }
    queue.join();
    queue.close();
    for (Future<Void> worker : workers) {
      worker.get(30, TimeUnit.SECONDS);
    }

    for (int i = 0; i < taken.length(); i++) {
      assertThat(taken.get(i)).as("times item %d was taken", i).isEqualTo(1);
    }
    var stats = queue.stats();
    assertThat(stats.totalPut()).isEqualTo(producers * perProducer);
    assertThat(stats.totalTaken()).isEqualTo(producers * perProducer);
    assertThat(stats.unfinished()).isZero();
  }
}
