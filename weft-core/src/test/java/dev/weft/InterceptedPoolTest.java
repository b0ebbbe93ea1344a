package dev.weft;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * The pool contract on a pool made by {@link Pool#builder()} with an {@link Pool.Interceptor}, as
 * other modules make their backends: every task runs through the interceptor, which here does
 * what a backend in another process does, short of the process: it serializes the work, and runs
 * the copy it deserializes. So this also proves that every item of the contract can be sent.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class InterceptedPoolTest extends PoolContract {
  @Override
  protected Pool newPool(int concurrency) {
    return Pool.builder()
        .name("intercepted")
        .maxConcurrent(concurrency)
        .around((_, work) -> inPlace(work))
        .build();
  }

  private static Callable<?> inPlace(Callable<?> work) {
    Callable<?> copy = roundTrip(work);
    return copy::call;
  }

  private static Callable<?> roundTrip(Callable<?> work) {
    try {
      var bytes = new ByteArrayOutputStream();
      try (var out = new ObjectOutputStream(bytes)) {
        out.writeObject(work);
      }
      try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (Callable<?>) in.readObject();
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalArgumentException("work cannot be sent: " + work, e);
    }
  }
}
