package dev.weft.net;

import dev.weft.net.internal.Bytes;
import dev.weft.net.internal.EventLoop;
import dev.weft.net.internal.SharedBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A fan-out of messages to many transports: every message {@link #publish published} is written to
 * every subscribed transport, in one order that all subscribers share, with each subscriber's
 * pending messages gathered into one write. The core of a pub/sub or chat server.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="broadcast" :
 * var room = Broadcast.create();
 * ProtocolFactory chat = peer -> new LineReceiver(1024) {
 *   protected void connectionMade() { room.subscribe(transport()); }
 *   protected void lineReceived(ByteBuffer line) { room.publish(line, NEWLINE); }
 *   public void connectionLost(Throwable reason) { room.unsubscribe(transport()); }
 * };
 * }
 *
 * <h2>How it stays fast</h2>
 *
 * Subscribers are grouped by the thread that runs them ({@link Transport#executor()}: one event
 * loop each). A message published from an event loop is copied into that loop's batch for the
 * pass, without a lock; once the loop has read everything ready, the batch is appended to one
 * batch per group, under a short lock that fixes the global order (so the lines of one read reach
 * every loop together). A message published from any other thread is appended to the groups at
 * once. A group's loop is woken once per batch, not once per message, and queues the whole batch,
 * without copying it, in each of its subscribers' outbound buffers, which the loop then sends with
 * one system call per subscriber. Writing each message to each subscriber as it comes costs a
 * system call per message per subscriber: ten times slower at a hundred subscribers; taking a lock
 * per message cost a third of a server's CPU at ten subscribers.
 *
 * <h2>Slow subscribers</h2>
 *
 * A subscriber that does not read fills its own outbound buffer until {@link
 * ConnectionOptions#outboundLimit()} aborts it ({@link ConnectionAborted.Cause#OUTBOUND_LIMIT});
 * the others are never slowed. Memory is bounded by that limit per subscriber.
 *
 * <p>Threads: every method may be called from any thread. {@code lock} guards each group's open
 * batch and scheduled flag; it is never held while writing to a transport. Subscriber lists are
 * confined to their group's thread, and a loop's pending batch to that loop. Each publisher's
 * messages reach every subscriber in the order it published them, and all subscribers see one
 * order. Comparison: Netty's {@code ChannelGroup.writeAndFlush} (which
 * flushes per message unless batched by hand), Redis {@code PUBLISH}; Twisted's chat examples loop
 * over clients calling {@code transport.write}.
 */
public final class Broadcast {
  private static final int BATCH_SIZE = 16 * 1024;
  private static final int KEEP_BATCHES = 16;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Executor, Group> groups = new ConcurrentHashMap<>();
  /** Makes an event loop's batch of the pass, kept by the loop ({@link EventLoop#local}). */
  private static final Function<EventLoop, Pending> NEW_PENDING = Pending::new;
  private final LongAdder subscribers = new LongAdder();
  private final LongAdder published = new LongAdder();
  private final LongAdder publishedBytes = new LongAdder();

  private Broadcast() {}

  /** An empty broadcast. */
  public static Broadcast create() {
    return new Broadcast();
  }

  /** Adds {@code transport}: it receives every message published from now on. */
  public void subscribe(Transport transport) {
    Group group = groups.computeIfAbsent(transport.executor(), Group::new);
    transport.executor().execute(() -> group.add(transport));
  }

  /**
   * Removes {@code transport}; idempotent. Called on the transport's own event loop (from {@code
   * connectionLost}, say) it takes effect at once, so the connections a closing reactor drops are
   * unsubscribed before its loops end.
   */
  public void unsubscribe(Transport transport) {
    Executor executor = transport.executor();
    Group group = groups.get(executor);
    if (group == null) {
      return;
    }
    if (EventLoop.current() == executor) {
      group.remove(transport, subscribers);
    } else {
      executor.execute(() -> group.remove(transport, subscribers));
    }
  }

  /** The groups kept, one per executor with subscribers; for tests. */
  int groupCount() {
    return groups.size();
  }

  /**
   * Sends one message, the concatenation of {@code parts}' remaining bytes, to every subscriber;
   * copies it and returns without waiting. The parts are left as they were (position and limit
   * unchanged), so a constant part such as a tag or a line ending is passed as it is, with no
   * duplicate per message, even from several threads at once, as long as its bytes do not change.
   */
  public void publish(ByteBuffer... parts) {
    EventLoop loop = EventLoop.current();
    if (loop != null) {
      loop.local(this, NEW_PENDING).add(this, parts);
    } else {
      int size = 0;
      for (ByteBuffer part : parts) {
        size += part.remaining();
      }
      List<Group> toWake = appendToGroups(parts);
      published.increment();
      publishedBytes.add(size);
      wake(toWake);
    }
  }

  /** Appends {@code parts} to every group's batch, under the lock that fixes the order; the groups to wake. */
  private List<Group> appendToGroups(ByteBuffer... parts) {
    List<Group> toWake = null;
    lock.lock();
    try {
      for (Group group : groups.values()) {
        if (group.executor instanceof EventLoop loop && loop.isTerminated()) {
          // its reactor has closed: nothing will deliver to it again
          groups.remove(loop, group);
          subscribers.add(-group.members.size()); // the loop's end happens-before isTerminated
          continue;
        }
        group.append(parts);
        if (!group.scheduled) {
          group.scheduled = true;
          if (toWake == null) {
            toWake = new ArrayList<>(groups.size());
          }
          toWake.add(group);
        }
      }
    } finally {
      lock.unlock();
    }
    return toWake;
  }

  private static void wake(List<Group> groups) {
    if (groups != null) {
      for (Group group : groups) {
        group.executor.execute(group::deliver);
      }
    }
  }

  /**
   * {@code target} (write mode) with {@code part}'s remaining bytes appended, {@code part} left
   * as it was: {@code target} itself, or when it is full a buffer of the same kind at least twice
   * as large holding what it held.
   */
  private static ByteBuffer appendTo(ByteBuffer target, ByteBuffer part) {
    int n = part.remaining();
    ByteBuffer to = target;
    if (to.remaining() < n) {
      int size = Math.max(to.capacity() * 2, to.position() + n);
      to = (to.isDirect() ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size)).put(to.flip());
    }
    to.put(to.position(), part, part.position(), n);
    return to.position(to.position() + n);
  }

  /**
   * Counters: subscribers now, messages and bytes published (a message published from an event
   * loop counts once that loop's pass ends).
   */
  public BroadcastStats stats() {
    return new BroadcastStats(subscribers.sum(), published.sum(), publishedBytes.sum());
  }

  /**
   * The messages one event loop published during its current pass, in order: published to the
   * groups together, under one lock, when the pass has read everything ready. A line then costs a
   * copy into this buffer, not a lock and a copy per group, and the lines of one read reach the
   * other loops as one delivery. Confined to its loop, which keeps it weakly by its broadcast: it
   * refers to its broadcast only while a publication is queued, so a broadcast nobody uses any
   * more is collected with its batches (a pub/sub server may make one per topic).
   */
  private static final class Pending {
    private static final int KEEP = 256 * 1024;
    private final EventLoop loop;
    private byte[] bytes = new byte[BATCH_SIZE];
    private int size;
    /** Messages in {@code bytes}; more than none means its publication is queued for the pass's end. */
    private long messages;
    /** The broadcast to publish to while a publication is queued; null otherwise. */
    private Broadcast queuedFor;

    Pending(EventLoop loop) {
      this.loop = loop;
    }

    void add(Broadcast broadcast, ByteBuffer[] parts) {
      int total = size;
      for (ByteBuffer part : parts) {
        total += part.remaining();
      }
      if (total > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, total));
      }
      for (ByteBuffer part : parts) {
        int n = part.remaining();
        Bytes.copy(part, part.position(), bytes, size, n);
        size += n;
      }
      if (messages++ == 0) {
        queuedFor = broadcast;
        loop.atEndOfThisPass(this::publish);
      }
    }

    private void publish() {
      Broadcast broadcast = queuedFor;
      queuedFor = null;
      List<Group> toWake = broadcast.appendToGroups(ByteBuffer.wrap(bytes, 0, size));
      broadcast.published.add(messages);
      broadcast.publishedBytes.add(size);
      messages = 0;
      size = 0;
      if (bytes.length > KEEP) {
        bytes = new byte[BATCH_SIZE];
      }
      wake(toWake);
    }
  }

  /** The subscribers run by one executor. */
  private final class Group {
    final Executor executor;
    /** Guarded by {@code lock}: the batch being filled (write mode), and whether delivery is queued. */
    ByteBuffer open = ByteBuffer.allocateDirect(BATCH_SIZE);
    boolean scheduled;
    /** Confined to {@code executor}'s thread. */
    private final List<Transport> members = new ArrayList<>();
    private Transport[] snapshot = new Transport[0];
    /** Confined to {@code executor}'s thread: batches every subscriber has sent, for reuse. */
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    Group(Executor executor) {
      this.executor = executor;
    }

    void append(ByteBuffer[] parts) {
      for (ByteBuffer part : parts) {
        open = appendTo(open, part);
      }
    }

    void add(Transport transport) {
      if (transport.isOpen() && !members.contains(transport)) {
        members.add(transport);
        subscribers.increment();
        snapshot = members.toArray(Transport[]::new);
      }
    }

    void remove(Transport transport, LongAdder count) {
      if (members.remove(transport)) {
        snapshot = members.toArray(Transport[]::new);
        count.decrement();
      }
    }

    /**
     * Sends the batch to every member: a transport of the event loops queues a view of it (no copy,
     * as Netty writes a retained duplicate to each channel of a group), any other gets a copy. The
     * batch is reused once every member has sent it.
     */
    void deliver() {
      ByteBuffer next = free.isEmpty() ? ByteBuffer.allocateDirect(BATCH_SIZE) : free.pollLast().clear();
      ByteBuffer batch;
      lock.lock();
      try {
        batch = open.flip();
        open = next;
        scheduled = false;
      } finally {
        lock.unlock();
      }
      var shared = new SharedBuffer(batch, this::recycle);
      for (Transport transport : snapshot) {
        if (!transport.isOpen()) {
          continue;
        }
        if (transport instanceof SharedBuffer.Writer writer) {
          writer.writeShared(shared);
        } else {
          transport.write(batch.duplicate());
        }
      }
      shared.release();
    }

    private void recycle(ByteBuffer batch) {
      if (free.size() < KEEP_BATCHES) {
        free.addLast(batch);
      }
    }
  }
}
