package dev.weft.net.internal;

import static dev.weft.net.internal.GiveAway.STALL_NANOS;
import static dev.weft.net.internal.GiveAway.WINDOW_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GiveAwayTest {
  private static final long MS = 1_000_000;

  private final GiveAway giveAway = new GiveAway();
  /** The clock of these tests: a give-away starts here. */
  private long now = 123 * MS;

  @Test
  void aLoopWhoseGiveAwaysReturnQuicklyKeepsYielding() {
    for (int i = 0; i < 10_000; i++) {
      assertThat(giveAway.parks(now)).isFalse();
      giveAway(STALL_NANOS); // at the bound, not over it
    }
  }

  @Test
  void threeStallsWithinAWindowMakeTheLoopParkForAWindowAfterTheLast() {
    giveAway(4 * MS);
    giveAway(4 * MS);
    assertThat(giveAway.parks(now)).as("after two stalls").isFalse();
    giveAway(4 * MS);
    long lastStallEnded = now;

    assertThat(giveAway.parks(now)).as("after the third").isTrue();
    now = lastStallEnded + WINDOW_NANOS - 1;
    assertThat(giveAway.parks(now)).as("until a window has passed").isTrue();
    now = lastStallEnded + WINDOW_NANOS;
    assertThat(giveAway.parks(now)).as("then it yields again").isFalse();
    giveAway(4 * MS);
    assertThat(giveAway.parks(now)).as("and a lone stall changes nothing").isFalse();
  }

  @Test
  void stallsFartherApartThanAWindowNeverMakeItPark() {
    for (int i = 0; i < 20; i++) {
      giveAway(2 * MS);
      now += WINDOW_NANOS / 2;
      assertThat(giveAway.parks(now)).isFalse();
    }
  }

  @Test
  void stallsWhileParkingKeepItParking() {
    stall(3);
    long firstWindowEnds = now + WINDOW_NANOS;
    now = firstWindowEnds - 10 * MS;
    stall(3);
    now = firstWindowEnds + 10 * MS;
    assertThat(giveAway.parks(now)).isTrue();
  }

  @Test
  void theClockMayWrapAround() {
    now = Long.MAX_VALUE - 5 * MS;
    stall(3);
    assertThat(now).isNegative();
    assertThat(giveAway.parks(now)).isTrue();
    now += WINDOW_NANOS;
    assertThat(giveAway.parks(now)).isFalse();
  }

  private void stall(int times) {
    for (int i = 0; i < times; i++) {
      giveAway(2 * MS);
    }
  }

  private void giveAway(long took) {
    giveAway.took(now, now + took);
    now += took;
  }
}
