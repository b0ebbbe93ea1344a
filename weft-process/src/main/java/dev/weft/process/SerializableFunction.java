package dev.weft.process;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that can be sent to a worker process, for the pool's {@code map} family. A
 * lambda whose target type is this interface is serializable, with what it captures.
 *
 * {@snippet :
 * SerializableFunction<Integer, Integer> square = x -> x * x;
 * }
 *
 * @param <T> the type of the argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {}
