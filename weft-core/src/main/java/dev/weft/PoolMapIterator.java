package dev.weft;

import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.function.BiFunction;

/**
 * The {@link PoolIterator} of {@link Pool#imap}, {@link Pool#imapUnordered} and {@link
 * Pool#imapUnorderedSettled}: a {@link PoolMapping} whose ended items are turned into elements by
 * {@code element} (a value that fails fast, or a settled record).
 *
 * <p>Thread contract: not thread-safe; used by the one consumer thread, as {@link PoolMapping}.
 */
final class PoolMapIterator<T, R, E> implements PoolIterator<E> {
  private final PoolMapping<T, R> mapping;
  private final BiFunction<PoolMapping<T, R>, PoolMapping.Pending<T, R>, E> element;

  PoolMapIterator(PoolMapping<T, R> mapping, BiFunction<PoolMapping<T, R>, PoolMapping.Pending<T, R>, E> element) {
    this.mapping = mapping;
    this.element = element;
  }

  @Override
  public boolean hasNext() {
    return mapping.hasNext();
  }

  @Override
  public E next() {
    if (!mapping.hasNext()) {
      throw new NoSuchElementException("no more items");
    }
    PoolMapping.Pending<T, R> ended;
    try {
      ended = mapping.next();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      var cancelled = new CancellationException("interrupted while waiting for the next item");
      cancelled.initCause(e);
      throw cancelled;
    }
    return element.apply(mapping, ended);
  }

  @Override
  public void close() {
    mapping.cancel();
  }
}
