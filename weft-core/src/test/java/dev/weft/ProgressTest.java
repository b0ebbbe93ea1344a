package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // Pool.close() throws InterruptedException, which javac flags in try
class ProgressTest {

  @Test
  void countsTotalDoneAndFailed() {
    var progress = Progress.create();
    progress.addTotal(5);
    progress.advance();
    progress.advance(2);
    progress.fail();
    assertThat(progress.total()).isEqualTo(5);
    assertThat(progress.done()).isEqualTo(3);
    assertThat(progress.failed()).isEqualTo(1);
    assertThat(progress.isTotalKnown()).isFalse();
    assertThat(progress).hasToString("Progress[3 done, 1 failed of 5]");
  }

  @Test
  void aSnapshotCarriesElapsedTimeAndRateOnItsClock() {
    var clock = new HandClock();
    var progress = Progress.create(100, clock);
    progress.advance(30);
    progress.fail();
    clock.now = Duration.ofSeconds(2).toNanos();
    Progress.Snapshot snapshot = progress.snapshot();
    assertThat(snapshot)
        .isEqualTo(new Progress.Snapshot(100, 30, 1, Duration.ofSeconds(2), 15.0));
    assertThat(snapshot.finished()).isEqualTo(31);
    assertThat(snapshot.fraction()).isEqualTo(0.31);
  }

  @Test
  void theRateIsZeroBeforeAnyTimePassed() {
    var progress = Progress.create(new HandClock());
    progress.advance();
    assertThat(progress.snapshot().rate()).isZero();
    assertThat(progress.snapshot().fraction()).isZero();
  }

  @Test
  void countsFromManyThreadsAddUp() throws Exception {
    var progress = Progress.create();
    try (var pool = Pool.virtual()) {
      pool.map(
          _ -> {
            for (int i = 0; i < 1_000; i++) {
              progress.advance();
            }
            return null;
          },
          IntStream.range(0, 16).boxed().toList());
    }
    assertThat(progress.done()).isEqualTo(16_000);
  }

  @Test
  void negativeCountsAreRefused() {
    assertThatThrownBy(() -> Progress.create(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("total must be >= 0: -1");
    assertThatThrownBy(() -> Progress.create().addTotal(-2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("items must be >= 0: -2");
    assertThatThrownBy(() -> Progress.create().advance(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("items must be >= 0: -3");
  }

  /** A clock read by hand; the progress only reads it. */
  private static final class HandClock implements Clock {
    volatile long now;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public Instant instant() {
      return Instant.EPOCH.plusNanos(now);
    }

    @Override
    public Alarm schedule(Duration delay, Runnable action) {
      throw new UnsupportedOperationException("not needed");
    }

    @Override
    public void sleep(Duration duration) {
      throw new UnsupportedOperationException("not needed");
    }

    @Override
    public long awaitNanos(Lock lock, Condition condition, long nanos) {
      throw new UnsupportedOperationException("not needed");
    }
  }
}
