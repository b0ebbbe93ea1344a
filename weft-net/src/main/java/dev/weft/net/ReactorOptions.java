package dev.weft.net;

import dev.weft.Clock;
import java.util.Objects;

/**
 * How a {@link Reactor} is built: how many event loops, which clock, what its threads are called.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="reactorOptions" :
 * try (var reactor = Reactor.start(ReactorOptions.defaults().withLoops(1))) {
 *   // one loop: every protocol of this reactor runs on one thread, like Twisted
 * }
 * }
 *
 * <p>Comparison: Netty's {@code NioEventLoopGroup(n)}; Twisted and asyncio have exactly one loop.
 *
 * @param loops event loops (platform threads), at least 1
 * @param clock the clock idle timeouts and {@link Reactor#callLater} read
 * @param name the prefix of the loop threads' names
 */
public record ReactorOptions(int loops, Clock clock, String name) {

  public ReactorOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(name, "name");
    if (loops <= 0) {
      throw new IllegalArgumentException("loops must be > 0: " + loops);
    }
  }

  /** One loop per available processor, the system clock, threads named {@code weft-net-N}. */
  public static ReactorOptions defaults() {
    return new ReactorOptions(Runtime.getRuntime().availableProcessors(), Clock.system(), "weft-net");
  }

  /** These options with {@code count} loops. */
  public ReactorOptions withLoops(int count) {
    return new ReactorOptions(count, clock, name);
  }

  /** These options with another clock. */
  public ReactorOptions withClock(Clock newClock) {
    return new ReactorOptions(loops, newClock, name);
  }

  /** These options with another thread name prefix. */
  public ReactorOptions withName(String newName) {
    return new ReactorOptions(loops, clock, newName);
  }
}
