package dev.weft.process;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A region of memory shared by processes: a memory-mapped file from which typed arrays ({@link
 * SharedLongArray}, {@link SharedDoubleArray}), locks ({@link SharedLock}) and queues ({@link SharedQueue}) are allocated.
 * Those handles are serializable: a task that captures one finds the same memory in its worker.
 *
 * {@snippet class="dev.weft.process.snippets.ProcessSnippets" region="sharedMemory" :
 * try (var memory = SharedMemory.create(1 << 20); var pool = ProcessPool.start(4)) {
 *   SharedLongArray counter = memory.longArray(1);
 *   pool.call((SerializableCallable<Long>) () -> counter.incrementAndGet(0));
 *   System.out.println(counter.get(0)); // 1
 * }
 * }
 *
 * <p>The file lives in {@code /dev/shm} where there is one (memory, not disk), else in the
 * temporary directory. Its first 64 bytes are a header: a magic number, the size, and the offset
 * of the next free byte, which {@link #allocate} moves with compare-and-set, so any process may
 * allocate. Memory is never freed before {@link #close()}.
 *
 * <h2>Comparison with Python's {@code multiprocessing.Value}, {@code Array} and {@code
 * shared_memory}</h2>
 *
 * Python's {@code Value('i')} is a {@code SharedLongArray} of length one; its operations are
 * atomic ({@code getAndAdd}, {@code compareAndSet}) where Python's need {@code get_lock()}. Like
 * {@code SharedMemory(name=...)}, a region can be opened by path from any process ({@link
 * #open}). Unlike the JDK's {@code MappedByteBuffer}, the mapping is unmapped when closed.
 *
 * <p>Thread contract: the handles are safe for any thread of any process; {@code close()} must
 * not race with accesses in this process.
 */
public final class SharedMemory implements AutoCloseable {
  static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final long MAGIC = 0x7765667453484d31L; // "weftSHM1"
  private static final long HEADER = 64;
  private static final long NEXT_FREE = 16;
  private static final Map<String, SharedMemory> ATTACHED = new ConcurrentHashMap<>();

  private final Path path;
  private final Arena arena;
  private final MemorySegment segment;
  private final boolean owner;

  private SharedMemory(Path path, Arena arena, MemorySegment segment, boolean owner) {
    this.path = path;
    this.arena = arena;
    this.segment = segment;
    this.owner = owner;
  }

  /** A new region of {@code bytes} usable bytes in a new temporary file, deleted by {@link #close()}. */
  public static SharedMemory create(long bytes) {
    Path shm = Path.of("/dev/shm");
    try {
      Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
      return create(Files.createTempFile(dir, "weft-shm-", ".bin"), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("shared memory cannot be created: " + e.getMessage(), e);
    }
  }

  /** A new region of {@code bytes} usable bytes in {@code file} (replacing its content). */
  public static SharedMemory create(Path file, long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("bytes must be > 0: " + bytes);
    }
    long size = HEADER + align(bytes, 64);
    SharedMemory memory = map(file, size, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    memory.segment.set(ValueLayout.JAVA_LONG, 8, size);
    LONG.setVolatile(memory.segment, NEXT_FREE, HEADER);
    LONG.setVolatile(memory.segment, 0L, MAGIC);
    ATTACHED.put(file.toAbsolutePath().toString(), memory);
    return memory;
  }

  /** The region in {@code file}, made by {@link #create} in this or another process. */
  public static SharedMemory open(Path file) {
    return ATTACHED.computeIfAbsent(file.toAbsolutePath().toString(), name -> {
      long size;
      try {
        size = Files.size(file);
      } catch (IOException e) {
        throw new UncheckedIOException("shared memory cannot be opened: " + e.getMessage(), e);
      }
      SharedMemory memory = map(file, size);
      if (size < HEADER || (long) LONG.getVolatile(memory.segment, 0L) != MAGIC) {
        throw new IllegalArgumentException("file is not weft shared memory: " + file);
      }
      return memory;
    });
  }

  private static SharedMemory map(Path file, long size, StandardOpenOption... extra) {
    var options = new java.util.HashSet<>(java.util.List.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
    options.addAll(java.util.List.of(extra));
    Arena arena = Arena.ofShared();
    try (FileChannel channel = FileChannel.open(file, options)) {
      if (channel.size() < size) {
        channel.write(java.nio.ByteBuffer.allocate(1), size - 1);
      }
      MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
      return new SharedMemory(file.toAbsolutePath(), arena, segment, extra.length > 0);
    } catch (IOException e) {
      arena.close();
      throw new UncheckedIOException("shared memory cannot be mapped: " + e.getMessage(), e);
    }
  }

  private static long align(long value, long to) {
    return (value + to - 1) / to * to;
  }

  /** The file that holds the region. */
  public Path path() {
    return path;
  }

  /** The size of the region, header included. */
  public long byteSize() {
    return segment.byteSize();
  }

  /** A new array of {@code length} longs, all zero. */
  public SharedLongArray longArray(int length) {
    if (length <= 0) {
      throw new IllegalArgumentException("length must be > 0: " + length);
    }
    return new SharedLongArray(this, allocate((long) length * Long.BYTES), length);
  }

  /** A new array of {@code length} doubles, all zero. */
  public SharedDoubleArray doubleArray(int length) {
    if (length <= 0) {
      throw new IllegalArgumentException("length must be > 0: " + length);
    }
    return new SharedDoubleArray(this, allocate((long) length * Double.BYTES), length);
  }

  /** A new lock, free. */
  public SharedLock lock() {
    return new SharedLock(this, allocate(Long.BYTES));
  }

  /**
   * A new queue of at most {@code capacity} items of type {@code type}, each at most {@code
   * itemBytes} bytes once serialized.
   */
  public <E> SharedQueue<E> queue(Class<E> type, int capacity, int itemBytes) {
    return SharedQueue.allocate(this, type, capacity, itemBytes);
  }

  /** Reserves {@code bytes} zeroed bytes aligned to 64 and returns their offset. */
  long allocate(long bytes) {
    long size = align(bytes, 64);
    while (true) {
      long next = (long) LONG.getVolatile(segment, NEXT_FREE);
      if (next + size > segment.byteSize()) {
        throw new IllegalStateException(
            "shared memory " + path + " has " + (segment.byteSize() - next) + " bytes left, not " + size);
      }
      if (LONG.compareAndSet(segment, NEXT_FREE, next, next + size)) {
        return next;
      }
    }
  }

  MemorySegment segment() {
    return segment;
  }

  /** How much of the region is in use. */
  public Stats stats() {
    return new Stats(segment.byteSize(), (long) LONG.getVolatile(segment, NEXT_FREE));
  }

  /** The size of a region and how many of its bytes are allocated (header included). */
  public record Stats(long byteSize, long allocated) {}

  /**
   * Unmaps the region in this process; the process that created it also deletes the file. Other
   * processes keep their mappings until they end.
   */
  @Override
  public void close() {
    ATTACHED.remove(path.toString(), this);
    arena.close();
    if (owner) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        throw new UncheckedIOException("shared memory file cannot be deleted: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "SharedMemory[" + path + "]";
  }

  /** What a handle becomes on the wire: the file and an offset, mapped again on arrival. */
  record Ref(String path, long offset, int length, String kind) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    Ref {
      Objects.requireNonNull(path, "path");
    }

    @Serial
    private Object readResolve() {
      SharedMemory memory = open(Path.of(path));
      return switch (kind) {
        case "long[]" -> new SharedLongArray(memory, offset, length);
        case "double[]" -> new SharedDoubleArray(memory, offset, length);
        case "lock" -> new SharedLock(memory, offset);
        default -> throw new IllegalArgumentException("unknown shared handle kind: " + kind);
      };
    }
  }
}
