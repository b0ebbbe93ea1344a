package dev.weft.cli.serve;

import dev.weft.net.NetStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Runs a started server in the foreground: prints where it listens, prints the counters whenever a
 * line is typed on standard input, and on SIGINT/SIGTERM (a shutdown hook) shuts down gracefully
 * and prints the counters.
 */
final class ServerRun {
  private ServerRun() {}

  static int serve(String name, Servers.Running running, Duration grace, Supplier<String> extra) {
    PrintStream out = System.out;
    out.println("weft serve " + name + " listening on " + address(running) + " (Ctrl-C to stop; Enter prints counters)");
    out.flush();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("weft-serve-shutdown").unstarted(() -> {
      out.println("weft serve " + name + ": shutting down (grace " + grace.toMillis() + " ms)");
      try {
        boolean clean = running.reactor().shutdown(grace);
        out.println(report(name, running.port().stats(), extra) + (clean ? "" : " (some connections were aborted)"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.flush();
      stopped.countDown();
    }));
    Thread.ofPlatform().daemon().name("weft-serve-stdin").start(() -> printOnDemand(name, running, extra));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void printOnDemand(String name, Servers.Running running, Supplier<String> extra) {
    var input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      while (input.readLine() != null) {
        System.out.println(report(name, running.port().stats(), extra));
      }
    } catch (IOException e) {
      // no standard input: counters only at exit
    }
  }

  static String address(Servers.Running running) {
    return running.port().address().getAddress().getHostAddress() + ":" + running.port().port();
  }

  static String report(String name, NetStats stats, Supplier<String> extra) {
    String more = extra.get();
    return "weft serve " + name + ": " + stats.summary() + (more.isEmpty() ? "" : " " + more);
  }
}
