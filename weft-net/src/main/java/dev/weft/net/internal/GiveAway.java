package dev.weft.net.internal;

/**
 * How an event loop gives its CPU away after a pass that did work: by yielding, or by parking
 * for a moment when yields have been costing it a scheduler tick. Loop-confined; times are in
 * nanoseconds of one monotonic clock.
 *
 * <p>A yield keeps the loop runnable, so it comes back with no sleep and wake-up in between. But
 * nothing bounds it. When the loop's core is shared with a thread that does not block (a load
 * generator, a busy neighbour), the loop waits behind that thread until the scheduler next looks,
 * which with nothing else happening on that core is the next tick: 4 ms at 250 Hz. Every
 * connection of the loop waits with it. A parked loop is woken by its timer instead, and a
 * wake-up is a moment the scheduler looks: the loop runs again once the other thread's time slice
 * is used, and may be placed on an idle core.
 *
 * <p>So the loop yields until {@value #STALLS} give-aways within {@link #WINDOW_NANOS} have each
 * kept it away for more than {@link #STALL_NANOS}. It then parks for the shortest time the system
 * gives (about 50 µs with Linux's default timer slack) for one window after the last such stall,
 * and yields again once a window passes without {@value #STALLS} more. A lone stall, such as a
 * pause of the whole process, changes nothing.
 */
final class GiveAway {
  /** A give-away longer than this was a stall: the loop waited behind another thread. */
  static final long STALL_NANOS = 1_000_000;
  /** Stalls within one window that make the loop park. */
  static final int STALLS = 3;
  /** How long stalls are counted together, and how long the loop parks after the last. */
  static final long WINDOW_NANOS = 100_000_000;
  /** What a park asks for; the system rounds it up to its timer slack. */
  static final long PARK_NANOS = 1_000;

  private int stalls;
  private long firstStall;
  private boolean parking;
  private long parkUntil;

  /** Whether a give-away that starts at {@code now} parks rather than yields. */
  boolean parks(long now) {
    if (parking && now - parkUntil >= 0) {
      parking = false;
    }
    return parking;
  }

  /** Records a give-away that took from {@code start} to {@code end}. */
  void took(long start, long end) {
    if (end - start <= STALL_NANOS) {
      return;
    }
    if (stalls == 0 || start - firstStall > WINDOW_NANOS) {
      stalls = 0;
      firstStall = start;
    }
    if (++stalls >= STALLS) {
      stalls = 0;
      parking = true;
      parkUntil = end + WINDOW_NANOS;
    }
  }
}
