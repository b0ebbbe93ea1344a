package dev.weft;

import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * How a task ended: with a value, with a failure, or cancelled. Returned by {@link
 * Tasks#gatherSettled} and {@link Task#await()}.
 *
 * {@snippet class="dev.weft.snippets.CoreSnippets" region="outcome" :
 * for (Outcome<String> outcome : Tasks.gatherSettled(tasks)) {
 *   switch (outcome) {
 *     case Outcome.Success<String>(var page) -> System.out.println(page.length());
 *     case Outcome.Failure<String>(var error) -> System.out.println("failed: " + error);
 *     case Outcome.Cancelled<String>() -> System.out.println("cancelled");
 *   }
 * }
 * }
 *
 * <p>Comparison with Python: Twisted's {@code DeferredList} gives {@code (success, result)}
 * pairs and {@code asyncio.gather(return_exceptions=True)} mixes values and exceptions in one
 * list; a sealed type lets the compiler check that every case is handled.
 *
 * @param <T> the type of the value
 */
public sealed interface Outcome<T> {

  /** A task that returned {@code value} (which may be null). */
  record Success<T>(T value) implements Outcome<T> {}

  /** A task that threw {@code error}. */
  record Failure<T>(Throwable error) implements Outcome<T> {}

  /** A task that was cancelled. */
  record Cancelled<T>() implements Outcome<T> {}

  /** Whether this is a {@link Success}. */
  default boolean isSuccess() {
    return this instanceof Success<T>;
  }

  /**
   * The value of a success; for a failure, the error rethrown as {@link Task#join()} would
   * rethrow it; for a cancellation, {@link CancellationException}.
   */
  default T value() {
    return switch (this) {
      case Success<T>(var value) -> value;
      case Failure<T>(var error) -> throw Failures.unchecked("outcome", error);
      case Cancelled<T>() -> throw new CancellationException("cancelled");
    };
  }

  /** A new outcome with {@code mapper} applied to a success's value. */
  default <R> Outcome<R> map(Function<? super T, ? extends R> mapper) {
    return switch (this) {
      case Success<T>(var value) -> new Success<>(mapper.apply(value));
      case Failure<T>(var error) -> new Failure<>(error);
      case Cancelled<T>() -> new Cancelled<>();
    };
  }
}
