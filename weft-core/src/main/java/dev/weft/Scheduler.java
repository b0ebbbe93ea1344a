package dev.weft;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queue of actions to run at given times, run by the thread that calls {@link #run()} or {@link
 * #runPending()}: Python's {@code sched.scheduler} on a {@link Clock}.
 *
 * <p>Events run in time order; events due at the same time run by priority (a lower number
 * first), then in the order they were entered.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="scheduler" :
 * var scheduler = Scheduler.create();
 * scheduler.enter(Duration.ofSeconds(2), 0, () -> System.out.println("two"));
 * Scheduler.Event one = scheduler.enter(Duration.ofSeconds(1), 0, () -> System.out.println("one"));
 * scheduler.enter(Duration.ofSeconds(1), -1, () -> System.out.println("one, urgent"));
 * scheduler.cancel(one);
 * scheduler.run(); // prints "one, urgent", then "two", and returns
 * }
 *
 * <h2>Comparison with Python's {@code sched} and the JDK</h2>
 *
 * {@link #enter}, {@link #enterAt} ({@code enterabs}), {@link #cancel}, {@link #isEmpty()},
 * {@link #queue()} and {@link #run()} are Python's; {@link #runPending()} is {@code
 * run(blocking=False)}. Python's scheduler sleeps with a {@code delayfunc} and, entered from
 * another thread, cannot be woken early; this one waits on its clock and wakes when an earlier
 * event is entered. {@link #cancel} returns false for an event that is no longer queued instead of
 * raising {@code ValueError}, because in a concurrent program the event may just have started.
 * Unlike {@link java.util.concurrent.ScheduledThreadPoolExecutor}, nothing runs on a pool: actions
 * run one at a time on the caller's thread, in a defined order, and an action's exception
 * propagates out of {@code run()} instead of vanishing into a future nobody reads.
 *
 * <h2>Thread contract</h2>
 *
 * Any thread may enter and cancel events, also while another runs the scheduler. {@code lock}
 * guards {@code queue}, {@code sequence} and the counts; it is never held while an action runs.
 * An action may enter and cancel events of its own scheduler.
 */
public final class Scheduler {
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final TreeSet<Event> queue = new TreeSet<>(); // guarded by lock
  private long sequence; // guarded by lock
  private long ran; // guarded by lock
  private long cancelled; // guarded by lock
  private int waitingRunners; // guarded by lock

  /** One reading of both of the clock's scales, taken together: maps an Instant to nanoTime. */
  private final long originNanos;

  private final Instant originInstant;

  private Scheduler(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.originNanos = clock.nanoTime();
    this.originInstant = clock.instant();
  }

  /** A scheduler on the system clock. */
  public static Scheduler create() {
    return create(Clock.system());
  }

  /** A scheduler whose times are read, and waited for, on {@code clock}. */
  public static Scheduler create(Clock clock) {
    return new Scheduler(clock);
  }

  /**
   * Queues {@code action} to run {@code delay} from now, with {@code priority} ordering it among
   * events due at the same time (lower first).
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public Event enter(Duration delay, int priority, Runnable action) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0: " + delay);
    }
    Objects.requireNonNull(action, "action");
    long now = clock.nanoTime();
    return add(now + saturatedNanos(delay), clock.instant().plus(delay), priority, action);
  }

  /** Queues {@code action} to run {@code delay} from now, at priority 0. */
  public Event enter(Duration delay, Runnable action) {
    return enter(delay, 0, action);
  }

  /**
   * Queues {@code action} to run at the wall-clock {@code time} (read on this scheduler's clock),
   * with {@code priority} ordering it among events due at the same time. A time in the past is due
   * at once. Times are turned into monotonic readings through one pairing of the clock's wall and
   * monotonic scales taken when the scheduler was created, so events entered for the same instant
   * are due at the same time (and ordered by priority), and later changes to the wall clock do
   * not move them, as with Python's {@code sched} on {@code time.monotonic}.
   */
  public Event enterAt(Instant time, int priority, Runnable action) {
    Objects.requireNonNull(action, "action");
    Duration fromOrigin = Duration.between(originInstant, time);
    long offset =
        fromOrigin.isNegative()
            ? -saturatedNanos(fromOrigin.negated())
            : saturatedNanos(fromOrigin);
    return add(originNanos + offset, time, priority, action);
  }

  /** Queues {@code action} to run at the wall-clock {@code time}, at priority 0. */
  public Event enterAt(Instant time, Runnable action) {
    return enterAt(time, 0, action);
  }

  /**
   * Removes {@code event} from the queue. Returns false if it is not queued: it has run, is
   * running, was cancelled already, or belongs to another scheduler.
   */
  public boolean cancel(Event event) {
    lock.lock();
    try {
      if (event.scheduler != this || !queue.remove(event)) {
        return false;
      }
      cancelled++;
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs events on the calling thread, each when it falls due, until the queue is empty, waiting on
   * the clock between them. Events entered meanwhile, from an action or from another thread, are
   * run too; one entered earlier than the event being waited for wakes the wait. If an action
   * throws, the exception propagates at once; the events still queued stay queued and a later
   * {@code run()} picks them up.
   */
  public void run() throws InterruptedException {
    for (Event event = awaitNext(); event != null; event = awaitNext()) {
      event.action.run();
    }
  }

  /**
   * Runs, on the calling thread, the events due now and returns how many ran; never waits. Only
   * events already queued when the call begins are considered, so an action that enters a new
   * event due at once does not keep this call going. If an action throws, the exception
   * propagates and the rest stay queued.
   */
  public int runPending() {
    long now = clock.nanoTime();
    long entered;
    lock.lock();
    try {
      entered = sequence;
    } finally {
      lock.unlock();
    }
    int count = 0;
    for (Event event = pollDue(now, entered); event != null; event = pollDue(now, entered)) {
      count++;
      event.action.run();
    }
    return count;
  }

  /** Whether no event is queued. */
  public boolean isEmpty() {
    lock.lock();
    try {
      return queue.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** The queued events in the order they will run. */
  public List<Event> queue() {
    lock.lock();
    try {
      return List.copyOf(queue);
    } finally {
      lock.unlock();
    }
  }

  /** A snapshot of the scheduler's counts. */
  public Stats stats() {
    lock.lock();
    try {
      return new Stats(queue.size(), sequence, ran, cancelled, waitingRunners);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "Scheduler[" + clock + "]";
  }

  /**
   * Counts of a {@link Scheduler} at one moment.
   *
   * @param queued events waiting to run
   * @param entered events entered since the scheduler was made
   * @param ran events taken off the queue to run (an action that threw counts)
   * @param cancelled events removed by {@link Scheduler#cancel}
   * @param waitingRunners threads waiting in {@link Scheduler#run()} for the next event
   */
  public record Stats(int queued, long entered, long ran, long cancelled, int waitingRunners) {}

  private Event add(long nanoTime, Instant time, int priority, Runnable action) {
    lock.lock();
    try {
      var event = new Event(this, nanoTime, time, priority, sequence++, action);
      queue.add(event);
      if (queue.first() == event) {
        changed.signalAll();
      }
      return event;
    } finally {
      lock.unlock();
    }
  }

  /** The next event once it is due, removed from the queue; null when the queue is empty. */
  private Event awaitNext() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (!queue.isEmpty()) {
        Event head = queue.first();
        long wait = head.nanoTime - clock.nanoTime();
        if (wait <= 0) {
          queue.pollFirst();
          ran++;
          return head;
        }
        waitingRunners++;
        try {
          clock.awaitNanos(lock, changed, wait);
        } finally {
          waitingRunners--;
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  private Event pollDue(long now, long enteredBefore) {
    lock.lock();
    try {
      for (Event event : queue) {
        if (event.nanoTime - now > 0) {
          return null;
        }
        if (event.sequence < enteredBefore) {
          queue.remove(event);
          ran++;
          return event;
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  private static long saturatedNanos(Duration duration) {
    return duration.compareTo(Duration.ofDays(100 * 365)) > 0
        ? Duration.ofDays(100 * 365).toNanos()
        : duration.toNanos();
  }

  /**
   * An event queued in a {@link Scheduler}, returned by {@code enter} so that it can be cancelled:
   * Python's {@code sched.Event}. Events compare in the order they run. Two events are equal only
   * if they are the same event, so cancelling one of two events entered with the same time and
   * priority cancels the right one.
   */
  public static final class Event implements Comparable<Event> {
    private final Scheduler scheduler;
    private final long nanoTime;
    private final Instant time;
    private final int priority;
    private final long sequence;
    private final Runnable action;

    private Event(
        Scheduler scheduler, long nanoTime, Instant time, int priority, long sequence, Runnable action) {
      this.scheduler = scheduler;
      this.nanoTime = nanoTime;
      this.time = time;
      this.priority = priority;
      this.sequence = sequence;
      this.action = action;
    }

    /** The wall-clock time at which the event is due, as entered. */
    public Instant time() {
      return time;
    }

    /** The {@link Clock#nanoTime()} reading at which the event is due; this orders events. */
    public long nanoTime() {
      return nanoTime;
    }

    /** The priority among events due at the same time: a lower number runs first. */
    public int priority() {
      return priority;
    }

    /** The order in which the event was entered in its scheduler, from 0. */
    public long sequence() {
      return sequence;
    }

    /** What runs when the event falls due. */
    public Runnable action() {
      return action;
    }

    @Override
    public int compareTo(Event other) {
      int byTime = Long.compare(nanoTime - other.nanoTime, 0);
      if (byTime != 0) {
        return byTime;
      }
      int byPriority = Integer.compare(priority, other.priority);
      return byPriority != 0 ? byPriority : Long.compare(sequence, other.sequence);
    }

    @Override
    public String toString() {
      return "Event[time=" + time + ", priority=" + priority + ", sequence=" + sequence + "]";
    }
  }
}
