package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Throttle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30) // a regression that blocks fails the test instead of hanging the build
class ThrottleTimingTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final VirtualClock clock = VirtualClock.create();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /** Acquires {@code count} permits on another thread, advancing the clock to each wait's end. */
  private List<Long> grantTimesInNanos(Throttle throttle, int count) throws Exception {
    var times = new ArrayList<Long>();
    Future<Void> acquirer = threads.submit(() -> {
      for (int i = 0; i < count; i++) {
        throttle.acquire().close();
        synchronized (times) {
          times.add(clock.elapsed().toNanos());
        }
      }
      return null;
    });
    for (int round = 0; !acquirer.isDone() && round < count * 20 + 100; round++) {
      try {
        clock.awaitAlarms(1, Duration.ofMillis(50));
        clock.advanceToNextAlarm();
      } catch (TimeoutException finishedOrNotYetWaiting) {
        // loop: either the acquirer is done or it is about to wait
      }
    }
    acquirer.get(10, TimeUnit.SECONDS);
    return times;
  }

  @Test
  void rateLetsABurstThroughThenOnePermitPerInterval() throws Exception {
    var throttle = Throttle.rate(2, Duration.ofSeconds(1), clock);

    List<Long> times = grantTimesInNanos(throttle, 6);

    assertThat(times).containsExactly(0L, 0L, 500_000_000L, 1_000_000_000L, 1_500_000_000L, 2_000_000_000L);
  }

  @Test
  void rateWithAFractionalIntervalNeverGrantsEarlyAndDoesNotDrift() throws Exception {
    var throttle = Throttle.rate(3, Duration.ofSeconds(1), clock);

    List<Long> times = grantTimesInNanos(throttle, 30);

    for (int k = 3; k < 30; k++) {
      long exact = (k - 2) * 1_000_000_000L / 3; // (k - 2) * T, T = 1 s / 3
      long ceiling = (k - 2) % 3 == 0 ? exact : exact + 1;
      assertThat(times.get(k)).as("permit %d", k).isEqualTo(ceiling);
    }
    assertThat(times.get(29)).isEqualTo(9_000_000_000L);
  }

  @Test
  void rateRefillsWhileIdleUpToItsBurstOnly() {
    var throttle = Throttle.rate(3, Duration.ofSeconds(3), clock);
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.tryAcquire()).isPresent();
    }
    assertThat(throttle.tryAcquire()).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(throttle.stats().available()).isEqualTo(1);
    clock.advance(Duration.ofHours(1));
    assertThat(throttle.stats()).isEqualTo(new Throttle.Stats(3, 0, 3, 0, 3));

    int granted = 0;
    while (throttle.tryAcquire().isPresent()) {
      granted++;
    }
    assertThat(granted).isEqualTo(3);
  }

  @Test
  void rateWaitersAreServedInArrivalOrder() throws Exception {
    var throttle = Throttle.rate(1, Duration.ofSeconds(1), clock);
    throttle.acquire();
    Future<Throttle.Permit> first = threads.submit(() -> throttle.acquire());
    clock.awaitAlarms(1, BOUND);
    Future<Throttle.Permit> second = threads.submit(() -> throttle.acquire());
    clock.awaitAlarms(2, BOUND);
    assertThat(clock.pendingDelays()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(throttle.stats().waiting()).isEqualTo(2);
    assertThat(throttle.tryAcquire()).as("no jumping the queue").isEmpty();

    clock.advance(Duration.ofSeconds(1));
    first.get(10, TimeUnit.SECONDS);
    assertThat(second.isDone()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    second.get(10, TimeUnit.SECONDS);
  }

  @Test
  void rateAcquireWithTimeoutFailsAtOnceWhenTheNextPermitIsTooFar() throws Exception {
    var throttle = Throttle.rate(1, Duration.ofSeconds(1), clock);
    throttle.acquire();

    assertThatThrownBy(() -> throttle.acquire(Duration.ofMillis(500)))
        .isInstanceOf(TimeoutException.class)
        .hasMessage("Throttle.rate(1, PT1S): no permit within PT0.5S");
    assertThat(clock.elapsed()).isZero();

    Future<Throttle.Permit> patient = threads.submit(() -> throttle.acquire(Duration.ofSeconds(1)));
    clock.awaitAlarms(1, BOUND);
    clock.advance(Duration.ofSeconds(1));
    patient.get(10, TimeUnit.SECONDS);
  }

  @Test
  void anInterruptedRateWaiterGivesItsSlotBack() throws Exception {
    var throttle = Throttle.rate(1, Duration.ofSeconds(1), clock);
    throttle.acquire();
    Future<Throttle.Permit> waiter = threads.submit(() -> throttle.acquire());
    clock.awaitAlarms(1, BOUND);

    waiter.cancel(true);
    org.awaitility.Awaitility.await().atMost(BOUND).until(() -> throttle.stats().waiting() == 0);

    clock.advance(Duration.ofSeconds(1));
    assertThat(throttle.tryAcquire()).isPresent();
  }

  @Test
  void ratePermitCloseDoesNothing() throws InterruptedException {
    var throttle = Throttle.rate(1, Duration.ofSeconds(1), clock);
    var permit = throttle.acquire();
    permit.close();
    permit.close();

    assertThat(throttle.tryAcquire()).isEmpty();
    assertThat(throttle).hasToString("Throttle.rate(1, PT1S)");
  }

  @Test
  void concurrencyAcquireTimesOutOnTheClock() throws Exception {
    var throttle = Throttle.concurrency(1, clock);
    var held = throttle.acquire();
    Future<Throttle.Permit> waiter = threads.submit(() -> throttle.acquire(Duration.ofSeconds(1)));
    clock.awaitAlarms(1, BOUND);

    clock.advance(Duration.ofSeconds(1));

    assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(TimeoutException.class)
        .hasMessage("Throttle.concurrency(1): no permit within PT1S");
    assertThat(throttle.stats().waiting()).isZero();
    held.close();
    assertThat(throttle.stats().available()).isEqualTo(1);
  }

  @Test
  void concurrencyTimedAcquireGetsAPermitClosedInTime() throws Exception {
    var throttle = Throttle.concurrency(1, clock);
    var held = throttle.acquire();
    Future<Throttle.Permit> waiter = threads.submit(() -> throttle.acquire(Duration.ofSeconds(1)));
    clock.awaitAlarms(1, BOUND);

    held.close();

    waiter.get(10, TimeUnit.SECONDS).close();
    assertThat(clock.pendingAlarms()).isZero();
  }
}
