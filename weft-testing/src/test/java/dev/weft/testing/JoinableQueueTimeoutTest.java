package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.JoinableQueue;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30) // a regression that blocks fails the test instead of hanging the build
class JoinableQueueTimeoutTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final VirtualClock clock = VirtualClock.create();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void pollGivesUpWhenItsTimeoutPassesOnTheClock() throws Exception {
    var queue = JoinableQueue.<String>bounded(2, clock);
    Future<String> poller = threads.submit(() -> queue.poll(Duration.ofSeconds(5)));
    clock.awaitAlarms(1, BOUND);

    clock.advance(Duration.ofSeconds(4));
    assertThat(poller.isDone()).isFalse();
    clock.advance(Duration.ofSeconds(1));

    assertThat(poller.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void pollReturnsAnItemPutBeforeItsTimeout() throws Exception {
    var queue = JoinableQueue.<String>bounded(2, clock);
    Future<String> poller = threads.submit(() -> queue.poll(Duration.ofSeconds(5)));
    clock.awaitAlarms(1, BOUND);
    clock.advance(Duration.ofSeconds(3));

    queue.put("late but in time");

    assertThat(poller.get(10, TimeUnit.SECONDS)).isEqualTo("late but in time");
    assertThat(clock.pendingAlarms()).isZero();
  }

  @Test
  void offerGivesUpWhenNoRoomComesInTime() throws Exception {
    var queue = JoinableQueue.<String>bounded(1, clock);
    queue.put("full");
    Future<Boolean> offerer = threads.submit(() -> queue.offer("extra", Duration.ofMillis(300)));
    clock.awaitAlarms(1, BOUND);

    clock.advance(Duration.ofMillis(300));

    assertThat(offerer.get(10, TimeUnit.SECONDS)).isFalse();
    assertThat(queue.stats().waitingPutters()).isZero();
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  void offerSucceedsWhenATakeMakesRoomInTime() throws Exception {
    var queue = JoinableQueue.<String>bounded(1, clock);
    queue.put("full");
    Future<Boolean> offerer = threads.submit(() -> queue.offer("extra", Duration.ofSeconds(1)));
    clock.awaitAlarms(1, BOUND);

    assertThat(queue.take()).isEqualTo("full");

    assertThat(offerer.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(queue.take()).isEqualTo("extra");
  }

  @Test
  void timedJoinThrowsWhenWorkIsStillUnfinished() throws Exception {
    var queue = JoinableQueue.<String>bounded("jobs", 4, clock);
    queue.put("a");
    queue.put("b");
    queue.take();
    queue.taskDone();
    Future<Void> joiner = threads.submit(() -> { queue.join(Duration.ofSeconds(2)); return null; });
    clock.awaitAlarms(1, BOUND);

    clock.advance(Duration.ofSeconds(2));

    assertThatThrownBy(() -> joiner.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(TimeoutException.class)
        .hasMessage("JoinableQueue[jobs] still has 1 unfinished items after PT2S");
  }

  @Test
  void timedJoinReturnsWhenTheLastItemIsDoneInTime() throws Exception {
    var queue = JoinableQueue.<String>bounded(4, clock);
    queue.put("a");
    Future<Void> joiner = threads.submit(() -> { queue.join(Duration.ofSeconds(2)); return null; });
    clock.awaitAlarms(1, BOUND);
    clock.advance(Duration.ofSeconds(1));

    queue.take();
    queue.taskDone();

    joiner.get(10, TimeUnit.SECONDS);
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void closeWakesATimedPollerAtOnce() throws Exception {
    var queue = JoinableQueue.<String>bounded(4, clock);
    Future<String> poller = threads.submit(() -> queue.poll(Duration.ofHours(1)));
    clock.awaitAlarms(1, BOUND);

    queue.close();

    assertThat(poller.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(clock.elapsed()).isZero();
  }
}
