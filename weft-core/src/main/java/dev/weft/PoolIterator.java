package dev.weft;

import java.util.Iterator;
import java.util.concurrent.CancellationException;

/**
 * The lazy result of {@link Pool#imap}, {@link Pool#imapUnordered} and {@link
 * Pool#imapUnorderedSettled}: an iterator that keeps a bounded number of items in flight and
 * cancels them when closed early.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="poolIterator" :
 * try (PoolIterator<Page> pages = pool.imap(this::fetch, urls)) {
 *   while (pages.hasNext()) {
 *     Page page = pages.next();
 *     if (page.isTheOne()) {
 *       break;                    // close() cancels the fetches still in flight
 *     }
 *   }
 * }
 * }
 *
 * <p>{@link #hasNext()} draws items from the input to refill the look-ahead (it may block while
 * the input does) but never waits for a result; {@link #next()} waits for the next result. Because
 * {@link Iterator#next()} cannot throw {@link InterruptedException}, an interrupt while {@code
 * next()} waits cancels the items in flight, leaves the thread's interrupt flag set and throws
 * {@link CancellationException}; the iterator is then finished. After a failure, an interrupt or
 * {@link #close()}, {@link #hasNext()} returns false.
 *
 * <p>Comparison: Python's {@code multiprocessing.Pool.imap} iterator, whose {@code next(timeout)}
 * is this {@code next()}, and which keeps running the remaining work when abandoned; with
 * try-with-resources nothing is left running here. The JDK has no lazy counterpart.
 *
 * <p>Thread contract: not thread-safe; one thread consumes it. {@link #close()} may be called
 * from that thread only; to stop it from another thread, interrupt the consumer.
 *
 * @param <E> the type of the elements
 */
public sealed interface PoolIterator<E> extends Iterator<E>, AutoCloseable
    permits PoolMapIterator {

  /** Cancels the items still in flight and ends the iteration; never throws. */
  @Override
  void close();
}
