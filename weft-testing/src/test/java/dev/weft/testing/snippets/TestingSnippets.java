package dev.weft.testing.snippets;

import dev.weft.Scheduler;
import dev.weft.net.Protocol;
import dev.weft.net.Transport;
import dev.weft.testing.MemoryTransport;
import dev.weft.testing.VirtualClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples in the javadoc of weft-testing's public types, compiled. Each type's javadoc quotes
 * its region of this file in a hybrid snippet ({@code {@snippet class=... region=... :}}):
 * {@code SnippetsTest} in weft-cli checks that the quoted text and the region are the same, and
 * javadoc checks it again when it renders them.
 */
@SuppressWarnings({"try", "serial"})
final class TestingSnippets {
  private TestingSnippets() {}

  /** Context for the example on {@link VirtualClock}. */
  static class VirtualClockExample {
    void run() throws Exception {
      var clock = VirtualClock.create(); // @start region="virtualClock"
      var scheduler = Scheduler.create(clock);
      var ran = new ArrayList<String>();
      scheduler.enter(Duration.ofSeconds(10), 0, () -> ran.add("late"));
      scheduler.enter(Duration.ofSeconds(1), 0, () -> ran.add("early"));
      clock.advance(Duration.ofSeconds(5));
      scheduler.runPending(); // ran: [early]
      // @end
    }
  }

  /** Context for the example on {@link MemoryTransport}. */
  static class MemoryTransportExample {
    static final class Echo implements Protocol {
      private Transport transport;

      @Override
      public void connectionMade(Transport transport) {
        this.transport = transport;
      }

      @Override
      public void dataReceived(ByteBuffer data) {
        transport.write(data);
      }
    }

    void run() throws Exception {
      var transport = MemoryTransport.connect(new Echo()); // @start region="memoryTransport"
      transport.receive("hello\n");
      assertThat(transport.writtenText()).isEqualTo("hello\n");
      transport.receiveInChunks("a long message".getBytes(UTF_8), 1); // one byte at a time
      // @end
    }
  }
}
