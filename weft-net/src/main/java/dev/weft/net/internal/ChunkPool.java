package dev.weft.net.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One loop's free outbound chunks: direct buffers, so the kernel copies straight from them (a heap
 * buffer costs the JDK an extra copy into a temporary direct one). Keeps at most {@link #KEEP}
 * free chunks; beyond that, returned chunks are left to the garbage collector. Loop-confined.
 */
final class ChunkPool {
  static final int CHUNK_SIZE = 16 * 1024;
  static final int KEEP = 256;

  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
  /** Chunks handed out since the pool was made; the loop reads it to bound a pass's borrowing. */
  private long taken;
  /** Chunks allocated because none was free. */
  private long allocated;

  long taken() {
    return taken;
  }

  long allocated() {
    return allocated;
  }

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

  void give(ByteBuffer chunk) {
    if (free.size() < KEEP) {
      free.addLast(chunk);
    }
  }
}
