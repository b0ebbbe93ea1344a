package dev.weft.process;

import dev.weft.TaskFunction;
import java.io.Serializable;

/**
 * A {@link TaskFunction} that can be sent to a worker process, for a pool's {@code map} family. A
 * lambda or method reference whose target type is this interface is serializable, with what it
 * captures.
 *
 * {@snippet class="dev.weft.process.snippets.ProcessSnippets" region="serializableFunction" :
 * SerializableFunction<Integer, Long> square = i -> (long) i * i;
 * List<Long> squares = pool.map(square, List.of(1, 2, 3)); // computed in the workers
 * }
 *
 * @param <T> the type of the argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends TaskFunction<T, R>, Serializable {}
