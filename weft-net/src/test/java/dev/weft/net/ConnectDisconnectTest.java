package dev.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ConnectDisconnectTest {
  private static final int CYCLES = 10_000;

  @Test
  void tenThousandConnectDisconnectCyclesLeakNoDescriptorsOrThreads() throws Exception {
    try (var reactor = Reactor.start(ReactorOptions.defaults().withLoops(2))) {
      ListeningPort port = reactor.listen(Endpoint.parse("tcp:0"), peer -> new Echo());
      cycles(port, 200);
      await().atMost(Duration.ofSeconds(10)).until(() -> port.stats().open() == 0);
      long fdsBefore = openDescriptors();
      Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();

      cycles(port, CYCLES);

      await().atMost(Duration.ofSeconds(30)).until(() -> port.stats().closed() == CYCLES + 200);
      await().atMost(Duration.ofSeconds(10)).until(() -> openDescriptors() <= fdsBefore);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(threadsStartedSince(threadsBefore)).isEmpty());
      assertThat(port.stats().accepted()).isEqualTo(CYCLES + 200);
      assertThat(port.stats().open()).isZero();
    }
  }

  private static void cycles(ListeningPort port, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      try (SocketChannel client = Clients.connect(port)) {
        if (i % 100 == 0) {
          assertThat(Clients.roundTrip(client, "cycle " + i)).isEqualTo("cycle " + i);
        }
      }
    }
  }

  /** Threads alive now that were not before, leaving out the JDK's and Awaitility's own. */
  private static List<String> threadsStartedSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t))
        .filter(t -> !t.getThreadGroup().getName().equals("InnocuousThreadGroup"))
        .filter(t -> !t.getName().startsWith("awaitility"))
        .map(t -> t.getName() + " (" + t.getThreadGroup().getName() + ")")
        .toList();
  }

  static long openDescriptors() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
