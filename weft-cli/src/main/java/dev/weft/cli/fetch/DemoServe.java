package dev.weft.cli.fetch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code weft fetch --serve-demo}: the demo server alone, for benchmark scripts that point other
 * downloaders (curl, aria2c, wget2) at the same files. Prints the base URL and the path of a file
 * listing every URL, then serves until SIGINT or SIGTERM.
 */
final class DemoServe {
  private DemoServe() {}

  static int serve(DemoServer.Settings settings, Path dir) throws IOException {
    DemoServer server = DemoServer.start(settings);
    Path list = dir == null ? Files.createTempFile("weft-demo-urls-", ".txt") : Files.createDirectories(dir).resolve("urls.txt");
    Files.writeString(list, server.urlList(), StandardCharsets.UTF_8);
    PrintStream out = System.out;
    out.println("weft fetch demo server: " + server.base());
    out.println("urls: " + list);
    out.flush();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("weft-demo-server-stop").unstarted(() -> {
      server.close();
      stopped.countDown();
    }));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
