package dev.weft.net.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One loop's free direct buffers, of two sizes: outbound chunks ({@link #CHUNK_SIZE}), which
 * {@code write} copies into, and read buffers ({@link #READ_SIZE}), which the loop reads into and a
 * connection may take over whole when its protocol writes back what it was given (see {@link
 * EventLoop#handOverReadBuffer}). Direct, so the kernel copies straight from and to them (a heap
 * buffer costs the JDK an extra copy through a temporary direct one). Keeps at most {@link #KEEP}
 * free chunks and {@link #KEEP_READ} free read buffers (4 MiB of each); beyond that, returned
 * buffers are left to the garbage collector. Loop-confined.
 */
final class ChunkPool {
  static final int CHUNK_SIZE = 16 * 1024;
  static final int KEEP = 256;
  static final int READ_SIZE = 64 * 1024;
  /** A read buffer counts as this many chunks towards {@link #taken()}. */
  static final int READ_IN_CHUNKS = READ_SIZE / CHUNK_SIZE;
  static final int KEEP_READ = KEEP / READ_IN_CHUNKS;

  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
  private final ArrayDeque<ByteBuffer> freeRead = new ArrayDeque<>();
  /**
   * Chunks handed out since the pool was made, a read buffer counting as {@link #READ_IN_CHUNKS};
   * the loop reads it to bound a pass's borrowing.
   */
  private long taken;
  /** Buffers of either size allocated because none was free. */
  private long allocated;

  long taken() {
    return taken;
  }

  long allocated() {
    return allocated;
  }

  /** An empty outbound chunk in read mode (position = limit = 0). */
  ByteBuffer take() {
    taken++;
    ByteBuffer chunk = free.pollLast();
    if (chunk == null) {
      allocated++;
      chunk = ByteBuffer.allocateDirect(CHUNK_SIZE);
    }
    chunk.clear().limit(0);
    return chunk;
  }

  /** A cleared read buffer, to read into. */
  ByteBuffer takeRead() {
    taken += READ_IN_CHUNKS;
    ByteBuffer buffer = freeRead.pollLast();
    if (buffer == null) {
      allocated++;
      buffer = ByteBuffer.allocateDirect(READ_SIZE);
    }
    return buffer.clear();
  }

  /** Takes back a chunk or read buffer from {@link #take} or {@link #takeRead}. */
  void give(ByteBuffer buffer) {
    if (buffer.capacity() == CHUNK_SIZE) {
      if (free.size() < KEEP) {
        free.addLast(buffer);
      }
    } else if (freeRead.size() < KEEP_READ) {
      freeRead.addLast(buffer);
    }
  }
}
