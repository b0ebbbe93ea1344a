package dev.weft.process;

import static org.awaitility.Awaitility.await;

import dev.weft.Pool;
import dev.weft.PoolContract;
import dev.weft.Probe;
import java.io.Serial;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * weft-core's pool contract, unchanged, against {@link ProcessPool#create}: every test of the
 * contract runs with its work in worker JVMs. The work shares state with the test through probes
 * in a {@link SharedMemory} region, and cancelled work is stopped by killing its worker, so the
 * contract's "stopped" means "no task of the pool is running any more" here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolContractTest extends PoolContract {
  private final SharedMemory memory = SharedMemory.create(64 * 1024);

  @Override
  protected Pool newPool(int concurrency) {
    return ProcessPool.create(ProcessPool.Options.workers(concurrency).withName("contract"));
  }

  @Override
  protected Probe probe() {
    return new SharedProbe(memory.longArray(1));
  }

  @Override
  protected void awaitStopped(Pool pool, Probe interrupted, long n) {
    await().atMost(PATIENCE).until(() -> pool.stats().running() == 0);
  }

  @Override
  protected int endlessItems() {
    return 1_000; // each item is a round trip to a worker; 1,000 is still 60 look-aheads
  }

  @AfterEach
  void releaseMemory() {
    memory.close();
  }

  /** A probe in shared memory: the same counter in the test's JVM and in every worker. */
  private record SharedProbe(SharedLongArray cell) implements Probe {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public long increment() {
      return cell.addAndGet(0, 1);
    }

    @Override
    public long decrement() {
      return cell.addAndGet(0, -1);
    }

    @Override
    public void raiseTo(long candidate) {
      for (long seen = cell.get(0); seen < candidate; seen = cell.get(0)) {
        if (cell.compareAndSet(0, seen, candidate)) {
          return;
        }
      }
    }

    @Override
    public long value() {
      return cell.get(0);
    }

    /** Polls: a worker has no way to be woken by a write in another process. */
    @Override
    public void awaitAtLeast(long n) throws InterruptedException {
      while (cell.get(0) < n) {
        LockSupport.parkNanos(100_000);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    }
  }
}
