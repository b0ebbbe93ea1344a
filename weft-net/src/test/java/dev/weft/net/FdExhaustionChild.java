package dev.weft.net;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link FdExhaustionTest}: serves echo, uses up every file descriptor with
 * open files so that the server's next accept fails, checks that an established client is still served,
 * frees descriptors and checks that the waiting client is then accepted. Exits 0 on success.
 */
final class FdExhaustionChild {
  private static final Path DEV_NULL = Path.of("/dev/null");

  private FdExhaustionChild() {}

  public static void main(String[] args) throws Exception {
    try (var reactor = Reactor.start(ReactorOptions.defaults().withLoops(1))) {
      ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Echo());
      SocketChannel established = Clients.connect(port);
      check(Clients.roundTrip(established, "warm up"), "warm up");
      preloadWhileDescriptorsRemain(reactor);
      System.out.println("before: " + port.stats().summary());

      List<FileChannel> ballast = new ArrayList<>();
      try {
        while (true) {
          ballast.add(FileChannel.open(DEV_NULL));
        }
      } catch (IOException exhausted) {
        System.out.println("descriptors exhausted after " + ballast.size() + " files: " + exhausted.getMessage());
      }
      ballast.removeLast().close();
      SocketChannel waiting = Clients.connect(port);
      await().atMost(Duration.ofSeconds(10)).until(() -> port.stats().acceptErrors() > 0);
      System.out.println("accept failed " + port.stats().acceptErrors() + " times");

      check(Clients.roundTrip(established, "still served"), "still served");
      System.out.println("serving went on");

      for (FileChannel file : ballast) {
        file.close();
      }
      check(Clients.roundTrip(waiting, "accepted at last"), "accepted at last");
      System.out.println("accepting resumed after " + port.stats().acceptErrors() + " failed accepts");
      waiting.close();
      established.close();
    }
    System.exit(0);
  }

  /** Loads what the rest needs from class files, logging config and the timer thread. */
  private static void preloadWhileDescriptorsRemain(Reactor reactor) {
    System.getLogger("dev.weft.net").log(System.Logger.Level.INFO, "child serving on " + reactor);
    var fired = new java.util.concurrent.atomic.AtomicBoolean();
    reactor.callLater(Duration.ofMillis(1), () -> fired.set(true));
    await().atMost(Duration.ofSeconds(5)).untilTrue(fired);
    for (Class<?> type : List.of(
        ConnectionAborted.class, ConnectionAborted.Cause.class, ConnectionDone.class, AssertionError.class,
        org.awaitility.core.ConditionTimeoutException.class)) {
      System.out.println("loaded " + type.getName() + " " + ConnectionAborted.Cause.values().length);
    }
    try {
      Class.forName("dev.weft.net.internal.Accepted");
      Class.forName("dev.weft.net.internal.NioConnection");
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  private static void check(String actual, String expected) {
    if (!actual.equals(expected)) {
      throw new AssertionError("expected \"" + expected + "\", got \"" + actual + "\"");
    }
  }
}
