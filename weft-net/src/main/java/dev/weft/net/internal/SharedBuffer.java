package dev.weft.net.internal;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Bytes written to several connections of one event loop without a copy per connection: each
 * connection queues a view of {@link #data} and lets go of it once sent (or when it closes); the
 * last one to let go hands the buffer back to its owner for reuse. {@code Broadcast} sends each
 * batch this way, as Netty sends a retained duplicate of one buffer to every channel of a group.
 *
 * <p>Threads: confined to the one loop thread that runs every connection holding it; the bytes
 * must not change while it is held.
 */
public final class SharedBuffer {
  private final ByteBuffer data;
  private final Consumer<ByteBuffer> onFree;
  private int holders = 1;

  /** {@code data} in read mode, held by the caller until it calls {@link #release()}. */
  public SharedBuffer(ByteBuffer data, Consumer<ByteBuffer> onFree) {
    this.data = data;
    this.onFree = onFree;
  }

  /** A new holder's view of the bytes. */
  ByteBuffer retain() {
    holders++;
    return data.duplicate();
  }

  /** A view of the bytes, for a copy made at once (no hold). */
  ByteBuffer view() {
    return data.duplicate();
  }

  /** The number of bytes. */
  public int size() {
    return data.remaining();
  }

  /** Lets go of one hold; the last one returns the buffer to its owner. */
  public void release() {
    if (--holders == 0) {
      onFree.accept(data);
    }
  }

  /** Written to by {@link #writeShared}; implemented by the event loops' transports. */
  public interface Writer {
    /** Queues the bytes of {@code buffer} like {@code Transport.write}, holding it until sent. */
    void writeShared(SharedBuffer buffer);
  }
}
