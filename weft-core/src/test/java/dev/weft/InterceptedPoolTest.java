package dev.weft;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * The pool contract on a pool made by {@link Pool#builder()} with an {@link Pool.Interceptor}, as
 * other modules make their backends: every task runs through the interceptor (here it calls the
 * work in place, as a remote backend would after shipping it).
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
    return work::call;
  }
}
