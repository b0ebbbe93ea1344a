package dev.weft;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The pool contract on {@link Pool#virtual()}: a virtual thread per task, no limit. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class VirtualPoolTest extends PoolContract {
  @Override
  protected Pool newPool(int concurrency) {
    return Pool.virtual();
  }
}
