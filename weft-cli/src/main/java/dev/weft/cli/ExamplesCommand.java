package dev.weft.cli;

import dev.weft.examples.AsCompleted;
import dev.weft.examples.CpuBound;
import dev.weft.examples.ProducerConsumer;
import dev.weft.examples.ScheduledEvents;
import dev.weft.examples.SpawnJoinAll;
import dev.weft.examples.Spinner;
import dev.weft.examples.ThrottledRequests;
import dev.weft.examples.http.RequestCounter;
import dev.weft.examples.net.ChatServer;
import dev.weft.examples.net.EchoClient;
import dev.weft.examples.net.EchoServer;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft examples [NAME [ARGS...]]}: lists the single-file programs of {@code weft-examples},
 * or runs one by name. Each is also a plain {@code main} class to read and copy.
 */
@Command(
    name = "examples",
    mixinStandardHelpOptions = true,
    description = "List the example programs, or run one: weft examples spinner")
final class ExamplesCommand implements Callable<Integer> {
  /** An example: its command-line name, what it shows, and its main method. */
  record Example(String name, String summary, Main main) {}

  /** An example's {@code main}. */
  @FunctionalInterface
  interface Main {
    void run(String[] args) throws Exception;
  }

  static final List<Example> EXAMPLES =
      List.of(
          new Example(
              "spawn-join-all",
              "gevent spawn/joinall: 10,000 tasks wait together; a pool keeps input order",
              SpawnJoinAll::main),
          new Example(
              "as-completed",
              "concurrent.futures as_completed with done-callbacks and a failure kept",
              AsCompleted::main),
          new Example(
              "producer-consumer",
              "queue.Queue with task_done/join, backpressure and close",
              ProducerConsumer::main),
          new Example(
              "scheduler",
              "sched: events by time, then priority, then entry order; one cancelled",
              ScheduledEvents::main),
          new Example(
              "throttle",
              "the asyncio semaphore idiom, and the per-task semaphore mistake",
              ThrottledRequests::main),
          new Example(
              "spinner", "a spinner turns while slow blocking work runs, then stops", Spinner::main),
          new Example(
              "cpu-bound",
              "SHA-256 and Newton-Raphson: sequential, threads, child processes",
              CpuBound::main),
          new Example(
              "request-counter",
              "Twisted's counter web server: 'I am request #N' on 127.0.0.1 [PORT]",
              RequestCounter::main),
          new Example(
              "echo-server",
              "Twisted's echo server on a reactor: [PORT], default 8000; Ctrl-C stops it",
              EchoServer::main),
          new Example(
              "echo-client",
              "Twisted's echo client: [PORT [MESSAGE]], prints what the server sent back",
              EchoClient::main),
          new Example(
              "chat-server",
              "Twisted's chat with LineReceiver and Broadcast: [PORT], default 8123",
              ChatServer::main));

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "the example to run")
  String name;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "passed to the example")
  List<String> args = List.of();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (name == null) {
      int width = EXAMPLES.stream().mapToInt(e -> e.name().length()).max().orElse(0);
      for (Example example : EXAMPLES) {
        out.printf("  %-" + width + "s  %s%n", example.name(), example.summary());
      }
      out.flush();
      return 0;
    }
    Example example =
        EXAMPLES.stream()
            .filter(e -> e.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(),
                        "no example named "
                            + name
                            + "; known: "
                            + Arrays.toString(EXAMPLES.stream().map(Example::name).toArray())));
    example.main().run(args.toArray(String[]::new));
    return 0;
  }
}
