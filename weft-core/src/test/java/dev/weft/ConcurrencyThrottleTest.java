package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30) // a regression that blocks fails the test instead of hanging the build
@SuppressWarnings("try") // permits held by try-with-resources are not referenced inside
class ConcurrencyThrottleTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void neverLetsMoreThanTheLimitInAtOnceUnderLoad() throws Exception {
    var throttle = Throttle.concurrency(3);
    var inside = new AtomicInteger();
    var most = new AtomicInteger();
    var full = new CountDownLatch(3);
    var workers = new ArrayList<Future<Void>>();
    for (int i = 0; i < 64; i++) {
      workers.add(threads.submit(() -> {
        for (int round = 0; round < 50; round++) {
          try (var permit = throttle.acquire()) {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            full.countDown();
            full.await(); // the first three holders wait for each other: the limit is reached
            inside.decrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<Void> worker : workers) {
      worker.get(30, TimeUnit.SECONDS);
    }

    assertThat(most.get()).isEqualTo(3);
    assertThat(throttle.stats()).isEqualTo(new Throttle.Stats(3, 0, 3, 0, 64 * 50));
  }

  @Test
  void acquireWaitsUntilAPermitIsClosed() throws Exception {
    var throttle = Throttle.concurrency(1);
    var held = throttle.acquire();
    Future<Throttle.Permit> waiter = threads.submit(() -> throttle.acquire());
    await().atMost(BOUND).until(() -> throttle.stats().waiting() == 1);
    assertThat(throttle.stats().inUse()).isEqualTo(1);

    held.close();

    waiter.get(10, TimeUnit.SECONDS).close();
    assertThat(throttle.stats().available()).isEqualTo(1);
  }

  @Test
  void closingAPermitTwiceReleasesItOnce() throws InterruptedException {
    var throttle = Throttle.concurrency(2);
    var permit = throttle.acquire();
    var other = throttle.acquire();

    permit.close();
    permit.close();

    assertThat(throttle.stats().available()).isEqualTo(1);
    assertThat(throttle.stats().inUse()).isEqualTo(1);
    other.close();
  }

  @Test
  void tryAcquireIsEmptyWhenNoPermitIsFree() {
    var throttle = Throttle.concurrency(1);
    var first = throttle.tryAcquire();
    assertThat(first).isPresent();
    assertThat(throttle.tryAcquire()).isEmpty();
    first.orElseThrow().close();
    assertThat(throttle.tryAcquire()).isPresent();
  }

  @Test
  void releasedPermitsGoToWaitersInArrivalOrderNotToNewcomers() throws Exception {
    var throttle = Throttle.concurrency(1);
    var held = throttle.acquire();
    var order = new ArrayList<String>();
    Future<Void> first = threads.submit(() -> {
      try (var permit = throttle.acquire()) {
        synchronized (order) {
          order.add("first");
        }
      }
      return null;
    });
    await().atMost(BOUND).until(() -> throttle.stats().waiting() == 1);
    var secondHolds = new CountDownLatch(1);
    var letSecondGo = new CountDownLatch(1);
    Future<Void> second = threads.submit(() -> {
      try (var permit = throttle.acquire()) {
        synchronized (order) {
          order.add("second");
        }
        secondHolds.countDown();
        letSecondGo.await();
      }
      return null;
    });
    await().atMost(BOUND).until(() -> throttle.stats().waiting() == 2);

    held.close();
    assertThat(secondHolds.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(throttle.tryAcquire()).isEmpty(); // "second" holds it
    letSecondGo.countDown();

    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
    assertThat(order).containsExactly("first", "second");
  }

  @Test
  void anInterruptedWaiterLeavesTheQueue() throws Exception {
    var throttle = Throttle.concurrency(1);
    var held = throttle.acquire();
    Future<Throttle.Permit> waiter = threads.submit(() -> throttle.acquire());
    await().atMost(BOUND).until(() -> throttle.stats().waiting() == 1);

    waiter.cancel(true);

    await().atMost(BOUND).until(() -> throttle.stats().waiting() == 0);
    held.close();
    assertThat(throttle.stats().available()).isEqualTo(1);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> Throttle.concurrency(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits must be > 0: -3");
    assertThatThrownBy(() -> Throttle.rate(0, Duration.ofSeconds(1)))
        .hasMessage("permits must be > 0: 0");
    assertThatThrownBy(() -> Throttle.rate(5, Duration.ZERO)).hasMessage("per must be > 0: PT0S");
    assertThat(Throttle.concurrency(4)).hasToString("Throttle.concurrency(4)");
  }
}
