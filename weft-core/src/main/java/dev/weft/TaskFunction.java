package dev.weft;

/**
 * A function a {@link Pool} applies to each item of a {@code map}, {@code imap} or {@code
 * imapUnordered}: like {@link java.util.function.Function}, but it may throw a checked exception,
 * so blocking I/O reads naturally inside it.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="taskFunction" :
 * TaskFunction<URI, byte[]> download = uri -> {
 *   try (InputStream in = uri.toURL().openStream()) { // may throw IOException
 *     return in.readAllBytes();
 *   }
 * };
 * try (var pool = Pool.virtual(64)) {
 *   List<byte[]> pages = pool.map(download, uris);
 * }
 * }
 *
 * <p>Comparison: the {@code func} of Python's {@code Executor.map(func, *iterables)}, which may
 * raise anything; a checked exception thrown here reaches the caller wrapped once in {@link
 * TaskFailedException}, an unchecked one as it is.
 *
 * <p>Thread contract: called on the pool's threads, concurrently for different items; a function
 * that touches shared state guards it itself. A blocking function should respond to interruption,
 * which is how a pool cancels it.
 *
 * @param <T> the type of the items
 * @param <R> the type of the results
 */
@FunctionalInterface
public interface TaskFunction<T, R> {

  /** Computes the result for one item. */
  R apply(T item) throws Exception;
}
