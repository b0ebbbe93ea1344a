package dev.weft.net.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;

/**
 * The bytes a connection has been asked to write and has not sent yet: a queue of fixed-size direct
 * chunks borrowed from the loop's pool, of read buffers handed over whole (an echo, queued without a
 * copy), and of views of {@link SharedBuffer}s (a broadcast batch, queued without a copy).
 * Appending copies into the tail chunk; sending is one
 * gathering write of every chunk, so everything written during a loop pass goes out in one system
 * call (the difference between a fast and a slow pub/sub fan-out). Drained chunks go back to the
 * pool, so an idle connection holds none.
 *
 * <p>Each chunk is kept in read mode: position = next byte to send, limit = end of data; appends go
 * past the limit with absolute puts. Confined to the connection's loop thread.
 */
final class OutboundBuffer {
  /** Marks a pooled chunk in {@code owners}; a shared view has its {@link SharedBuffer} there. */
  private static final Object POOLED = new Object();

  private ArrayDeque<ByteBuffer> chunks;
  /**
   * In step with {@code chunks}: {@link #POOLED}, or the shared buffer the view belongs to. Made
   * with the first shared view: until then every chunk is pooled, and a connection that is only
   * written to (most) keeps one queue, not two.
   */
  private ArrayDeque<Object> owners;
  private long size;

  long size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Copies {@code src}'s remaining bytes in, moving its position to its limit. */
  void append(ByteBuffer src, ChunkPool pool) {
    if (chunks == null) {
      chunks = new ArrayDeque<>(4);
    }
    size += src.remaining();
    ByteBuffer tail = owners == null || owners.peekLast() == POOLED ? chunks.peekLast() : null;
    while (src.hasRemaining()) {
      if (tail == null || tail.limit() == tail.capacity()) {
        tail = pool.take();
        chunks.addLast(tail);
        if (owners != null) {
          owners.addLast(POOLED);
        }
      }
      int n = Math.min(tail.capacity() - tail.limit(), src.remaining());
      int at = tail.limit();
      tail.limit(at + n);
      tail.put(at, src, src.position(), n);
      src.position(src.position() + n);
    }
  }

  /**
   * Queues {@code chunk} itself (in read mode, a buffer from the loop's pool that the caller hands
   * over), to be given back to the pool once sent; later appends may fill its free space.
   */
  void appendOwned(ByteBuffer chunk) {
    if (chunks == null) {
      chunks = new ArrayDeque<>(4);
    }
    size += chunk.remaining();
    chunks.addLast(chunk);
    if (owners != null) {
      owners.addLast(POOLED);
    }
  }

  /** Queues a view of {@code shared} without copying it, holding it until sent or released. */
  void appendShared(SharedBuffer shared) {
    if (chunks == null) {
      chunks = new ArrayDeque<>(4);
    }
    if (owners == null) {
      owners = new ArrayDeque<>(Math.max(4, chunks.size() + 1));
      for (int i = 0; i < chunks.size(); i++) {
        owners.addLast(POOLED);
      }
    }
    size += shared.size();
    chunks.addLast(shared.retain());
    owners.addLast(shared);
  }

  /**
   * Sends as much as the channel takes now, in gathering writes of up to {@code gather.length}
   * chunks; returns the bytes sent.
   */
  long writeTo(GatheringByteChannel channel, ByteBuffer[] gather, ChunkPool pool) throws IOException {
    long total = 0;
    while (size > 0) {
      long attempted;
      long n;
      if (chunks.size() == 1) {
        ByteBuffer only = chunks.peekFirst();
        attempted = only.remaining();
        n = channel.write(only);
      } else {
        int count = 0;
        attempted = 0;
        for (ByteBuffer chunk : chunks) {
          gather[count++] = chunk;
          attempted += chunk.remaining();
          if (count == gather.length) {
            break;
          }
        }
        n = channel.write(gather, 0, count);
      }
      if (n <= 0) {
        break;
      }
      total += n;
      size -= n;
      releaseSent(pool);
      if (n < attempted) {
        break;
      }
    }
    return total;
  }

  private void releaseSent(ChunkPool pool) {
    while (!chunks.isEmpty() && !chunks.peekFirst().hasRemaining()) {
      giveBack(chunks.pollFirst(), owner(), pool);
    }
  }

  /** Drops everything (the connection closed) and returns the chunks. */
  void release(ChunkPool pool) {
    if (chunks != null) {
      while (!chunks.isEmpty()) {
        giveBack(chunks.pollFirst(), owner(), pool);
      }
    }
    size = 0;
  }

  /** The owner of the chunk just taken off the head of {@code chunks}. */
  private Object owner() {
    return owners == null ? POOLED : owners.pollFirst();
  }

  private static void giveBack(ByteBuffer chunk, Object owner, ChunkPool pool) {
    if (owner == POOLED) {
      pool.give(chunk);
    } else {
      ((SharedBuffer) owner).release();
    }
  }
}
