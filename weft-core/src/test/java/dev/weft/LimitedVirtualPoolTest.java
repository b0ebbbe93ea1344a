package dev.weft;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The pool contract on {@link Pool#virtual(int)}: virtual threads, a concurrency limit. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LimitedVirtualPoolTest extends PoolContract {
  @Override
  protected Pool newPool(int concurrency) {
    return Pool.virtual(concurrency);
  }
}
