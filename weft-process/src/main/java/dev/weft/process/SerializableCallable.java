package dev.weft.process;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that can be sent to a worker process. A lambda whose target type is this
 * interface is serializable, with what it captures.
 *
 * {@snippet class="dev.weft.process.snippets.ProcessSnippets" region="serializableCallable" :
 * SerializableCallable<Long> task = () -> LongStream.range(0, 1_000_000).sum();
 * Outcome<Long> sum = pool.call(task);
 * }
 *
 * @param <T> the type of the result
 */
@FunctionalInterface
public interface SerializableCallable<T> extends Callable<T>, Serializable {}
