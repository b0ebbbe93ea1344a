package dev.weft;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The pool contract on {@link Pool#threads(int)}: a fixed set of platform threads. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ThreadsPoolTest extends PoolContract {
  @Override
  protected Pool newPool(int concurrency) {
    return Pool.threads(concurrency);
  }
}
