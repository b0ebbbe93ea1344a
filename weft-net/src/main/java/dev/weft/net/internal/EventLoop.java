package dev.weft.net.internal;

import dev.weft.Clock;
import dev.weft.net.ConnectionAborted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * One NIO event loop: a platform thread ({@code weft-net-N}) that owns a {@link Selector} and every
 * connection registered on it. Each pass: wait for readiness (or a task), run the handlers of the
 * ready keys (reads call {@code dataReceived}, which appends writes to outbound buffers), run the
 * actions deferred to the end of the pass ({@link #atEndOfThisPass}) and the tasks other threads
 * queued, then flush every connection written to in the pass, one gathering write each (or
 * earlier, between two ready keys, once the pass has taken as many outbound chunks as the pool
 * keeps: replies still leave in batches, and a pass over thousands of ready connections does not
 * hold a chunk for each). A connection that has queued a read buffer's worth (64 KiB) sends it
 * between its own reads instead: a stream leaves as it arrives, while its bytes are in the cache.
 *
 * <p>Shared per loop and reused across connections: one 64 KiB direct read buffer (received data
 * lands there, no allocation per read; protocols see it through a read-only view) and a pool of
 * outbound chunks. A connection whose protocol writes the view straight back (an echo, a proxy
 * between two connections of one loop) takes the read buffer over as an outbound chunk instead of
 * copying it, when it holds at least {@link #HAND_OVER_MIN} bytes, and the loop reads into a fresh
 * one from the pool ({@link #handOverReadBuffer}).
 *
 * <p>Threads: {@link #execute} may be called from any thread (a lock-free queue, and a selector
 * wake-up only when the loop sleeps); everything else runs on the loop thread. {@code sleeping} is
 * set by the loop alone, each time before it checks the queue a last time and sleeps: a producer
 * that adds a task then reads it false knows the loop will see the task before it sleeps. The one
 * producer that clears it wakes the loop; the others see it cleared and know a wake-up is coming.
 * A wake-up decided in one sleep can only end a later one early, never leave it without one.
 */
public final class EventLoop implements Executor {
  static final System.Logger LOG = System.getLogger("dev.weft.net");
  static final int READ_BUFFER_SIZE = ChunkPool.READ_SIZE;
  /**
   * The fewest received bytes a connection takes the read buffer over for, instead of copying them:
   * half the buffer, so a queued read buffer holds at most twice its bytes in memory.
   */
  static final int HAND_OVER_MIN = READ_BUFFER_SIZE / 2;
  private static final int GATHER = 64;

  /** What give-aways are timed with: real time, whatever clock the reactor was given. */
  private static final Clock SYSTEM = Clock.system();

  final Clock clock;
  final ChunkPool chunks = new ChunkPool();
  /** Loop-confined: the buffer reads land in; replaced when a connection takes it over. */
  ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
  /** Loop-confined: the read-only view of {@link #readBuffer} that protocols are given. */
  ByteBuffer readView = readBuffer.asReadOnlyBuffer();
  final ByteBuffer[] gather = new ByteBuffer[GATHER];
  private final Selector selector;
  private final Thread thread;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<NioConnection> dirty = new ArrayDeque<>();
  /** Loop-confined: actions deferred to the end of the current pass ({@link #atEndOfThisPass}). */
  private final ArrayDeque<Runnable> endOfPass = new ArrayDeque<>();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Runnable drainedSignal;
  private final AtomicBoolean sleeping = new AtomicBoolean();
  private volatile boolean stopping;
  /** Loop-confined: the clock reading taken after the last select. */
  long now;
  /** Loop-confined: connections registered here. */
  private int connections;
  /** Loop-confined: {@code chunks.taken()} at the last flush of the dirty connections. */
  private long takenAtFlush;
  private boolean draining;
  /** Loop-confined: whether a ready connection or a task was handled since the last {@link #select}. */
  private boolean workedInPass;
  /** Loop-confined: how the loop gives its CPU away before sleeping. */
  private final GiveAway giveAway = new GiveAway();
  /** Loop-confined: times the loop yielded, and parked, before sleeping; for tests. */
  long yields;
  long parks;
  /** Loop-confined: {@link #local} values by owner, and the last one asked for. */
  private final Map<Object, Object> locals = new WeakHashMap<>();
  private Object lastLocalOwner;
  private Object lastLocal;

  EventLoop(String name, Clock clock, Runnable drainedSignal) {
    this.clock = clock;
    this.drainedSignal = drainedSignal;
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
    this.thread = new LoopThread(this, name);
  }

  void start() {
    thread.start();
  }

  /** Values kept by {@link #local}, for tests; only from this loop's thread. */
  int localCount() {
    return locals.size();
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** A loop's thread knows its loop: {@link #current()} is a type check, not a thread-local lookup. */
  private static final class LoopThread extends Thread {
    final EventLoop loop;

    LoopThread(EventLoop loop, String name) {
      super(loop::run, name);
      setDaemon(true);
      this.loop = loop;
    }
  }

  /** The event loop running the calling thread, or null when it is not one. */
  public static EventLoop current() {
    return Thread.currentThread() instanceof LoopThread thread ? thread.loop : null;
  }

  /**
   * The value {@code owner} keeps for this loop, made by {@code create} the first time; only from
   * this loop's thread. The loop holds values weakly by owner: once the owner is unreachable its
   * value goes, provided the value does not itself refer to the owner. The last owner asked and
   * its value are at hand without a lookup (and held until another owner is asked): {@code
   * Broadcast} asks for its batch of the pass once per message.
   */
  @SuppressWarnings("unchecked") // each owner stores one type under itself
  public <T> T local(Object owner, Function<? super EventLoop, ? extends T> create) {
    assert inLoop();
    if (lastLocalOwner == owner) {
      return (T) lastLocal;
    }
    Object value = locals.get(owner);
    if (value == null) {
      value = create.apply(this);
      locals.put(owner, value);
    }
    lastLocalOwner = owner;
    lastLocal = value;
    return (T) value;
  }

  /**
   * Runs {@code action} once this loop has handled every ready connection of its pass (and before
   * it sleeps); only from this loop's thread. {@code Broadcast} uses it to publish the lines one
   * pass read as one batch: it then reaches each other loop as one delivery, one write per
   * subscriber, as Netty's {@code channelReadComplete} flush does.
   */
  public void atEndOfThisPass(Runnable action) {
    assert inLoop();
    endOfPass.addLast(action);
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (sleeping.get() && !inLoop() && sleeping.compareAndSet(true, false)) {
      selector.wakeup();
    }
  }

  SelectionKey register(java.nio.channels.SelectableChannel channel, int ops, Handler handler)
      throws IOException {
    return channel.register(selector, ops, handler);
  }

  /**
   * Selects now, handling what is ready as a pass does: the selector drops the keys cancelled
   * since its last select ({@link Detach} needs its channel deregistered). Loop thread, outside a
   * select (from a task).
   */
  void selectNow() throws IOException {
    selector.selectNow(this::ready);
  }

  /** Loop-confined: read buffers handed over to a connection so far. */
  long handOvers;

  /**
   * Hands the read buffer over to the caller, with the position and limit of {@link #readView}
   * (what the protocol has not consumed of the last read), and reads into a fresh buffer from the
   * pool from now on. The caller owns it and gives it back to {@link #chunks} once sent. Loop
   * thread, while the protocol handles the read that filled it.
   */
  ByteBuffer handOverReadBuffer() {
    handOvers++;
    ByteBuffer taken = readBuffer;
    taken.limit(readView.limit()).position(readView.position());
    readBuffer = chunks.takeRead();
    readView = readBuffer.asReadOnlyBuffer();
    return taken;
  }

  /** A connection was written to in this pass: flush it at the end of the pass. */
  void markDirty(NioConnection connection) {
    dirty.addLast(connection);
  }

  void connectionOpened() {
    connections++;
  }

  void connectionClosed() {
    connections--;
    if (draining && connections == 0) {
      draining = false;
      drainedSignal.run();
    }
  }

  /** Graceful close, on the loop: every handler drains; signals once no connection is left. */
  void drain() {
    draining = true;
    for (SelectionKey key : List.copyOf(selector.keys())) {
      if (key.attachment() instanceof Handler handler) {
        handler.drain();
      }
    }
    flushDirty();
    if (draining && connections == 0) {
      draining = false;
      drainedSignal.run();
    }
  }

  /** Stops the loop: remaining connections are aborted with {@code REACTOR_CLOSED}. Any thread. */
  void stop() {
    stopping = true;
    selector.wakeup();
  }

  /** Whether the loop is blocked in {@code select} with no wake-up on its way; for tests. */
  boolean isSleeping() {
    return sleeping.get();
  }

  /** Whether this loop's thread has ended; what it did happens-before a true answer. */
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  boolean awaitTermination(long nanos) throws InterruptedException {
    return terminated.await(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private void run() {
    try {
      while (!stopping) {
        select();
        now = clock.nanoTime();
        runEndOfPass();
        runTasks();
        runEndOfPass();
        flushDirty();
      }
    } catch (Throwable e) {
      LOG.log(Level.ERROR, thread.getName() + " failed", e);
    } finally {
      abortAll();
      terminated.countDown();
    }
  }

  /**
   * Waits for the next pass's work. A loop whose pass handled something (a ready connection or a
   * task) gives its CPU away once before it sleeps: on a machine with more runnable threads than
   * cores, a peer or another loop waiting for this core runs now, and what it sends is often ready
   * by the time the loop looks again, with no sleep and wake-up in between (each wake-up also
   * preempts whoever runs on the core it lands on). With nothing else runnable the yield returns at
   * once. This is the last step of a spin-yield-park idle strategy, without the spin. A loop whose
   * yields keep costing it a scheduler tick parks for a moment instead ({@link GiveAway}).
   */
  private void select() throws IOException {
    boolean worked = workedInPass;
    workedInPass = false;
    if (!tasks.isEmpty() || !endOfPass.isEmpty()) {
      selector.selectNow(this::ready);
      return;
    }
    if (worked) {
      giveCpuAway();
      if (selector.selectNow(this::ready) > 0) {
        return;
      }
    }
    sleeping.set(true);
    try {
      if (tasks.isEmpty() && !stopping) {
        selector.select(this::ready);
      } else {
        selector.selectNow(this::ready);
      }
    } finally {
      sleeping.set(false);
    }
  }

  private void giveCpuAway() {
    long start = SYSTEM.nanoTime();
    if (giveAway.parks(start)) {
      parks++;
      LockSupport.parkNanos(GiveAway.PARK_NANOS);
    } else {
      yields++;
      Thread.yield();
    }
    giveAway.took(start, SYSTEM.nanoTime());
  }

  private void ready(SelectionKey key) {
    workedInPass = true;
    if (key.attachment() instanceof Handler handler) {
      try {
        handler.ready(key, key.readyOps());
      } catch (java.nio.channels.CancelledKeyException e) {
        // closed by an earlier event of this pass
      }
      if (chunks.taken() - takenAtFlush >= ChunkPool.KEEP) {
        // a pass over thousands of ready connections would otherwise hold a chunk for each until
        // its end (80 MiB for 5,000 one-line replies): flush once a pool's worth is out, so the
        // chunks come back and are reused, and replies still leave in batches
        flushDirty();
      }
    }
  }

  private void runTasks() {
    for (int budget = 4096; budget > 0; budget--) {
      Runnable task = tasks.poll();
      if (task == null) {
        return;
      }
      workedInPass = true;
      try {
        task.run();
      } catch (Throwable e) {
        LOG.log(Level.WARNING, "task on " + thread.getName() + " failed", e);
      }
    }
  }

  private void runEndOfPass() {
    for (Runnable action = endOfPass.pollFirst(); action != null; action = endOfPass.pollFirst()) {
      try {
        action.run();
      } catch (Throwable e) {
        LOG.log(Level.WARNING, "end-of-pass action on " + thread.getName() + " failed", e);
      }
    }
  }

  private void flushDirty() {
    takenAtFlush = chunks.taken();
    for (NioConnection connection = dirty.pollFirst(); connection != null; connection = dirty.pollFirst()) {
      connection.flushIfDirty();
    }
  }

  private void abortAll() {
    var reason = new ConnectionAborted(ConnectionAborted.Cause.REACTOR_CLOSED, "reactor closed");
    List<Handler> handlers = new ArrayList<>();
    for (SelectionKey key : selector.keys()) {
      if (key.attachment() instanceof Handler handler) {
        handlers.add(handler);
      }
    }
    for (Handler handler : handlers) {
      try {
        handler.abort(reason);
      } catch (Throwable e) {
        LOG.log(Level.WARNING, "closing on " + thread.getName() + " failed", e);
      }
    }
    Runnable task;
    while ((task = tasks.poll()) != null) {
      if (task instanceof Registration registration) {
        registration.reject();
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "selector close failed", e);
    }
  }

  /** A task that registers a new channel: rejected (the channel closed) if the loop stops first. */
  interface Registration extends Runnable {
    void reject();
  }

  @Override
  public String toString() {
    return thread.getName();
  }
}
