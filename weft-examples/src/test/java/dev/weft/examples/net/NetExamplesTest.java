package dev.weft.examples.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each network example started on port 0 and spoken to over loopback. */
class NetExamplesTest {

  /** A line-oriented loopback client with a read timeout, so a broken example fails, not hangs. */
  private static final class LineClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    LineClient(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = socket.getOutputStream();
    }

    void send(String line) throws IOException {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    String readLine() throws IOException {
      return in.readLine();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void echoServerSendsBackWhatItReceivesAndBindsLoopback() throws IOException {
    try (EchoServer.Running server = EchoServer.start(0); var client = new LineClient(server.address().getPort())) {
      assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      client.send("hello");
      assertThat(client.readLine()).isEqualTo("hello");
      client.send("x".repeat(100_000));
      assertThat(client.readLine()).hasSize(100_000);
    }
  }

  @Test
  void echoClientPrintsTheEchoOfItsMessage() throws Exception {
    try (EchoServer.Running server = EchoServer.start(0)) {
      String port = Integer.toString(server.address().getPort());
      PrintStream original = System.out;
      var captured = new ByteArrayOutputStream();
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        EchoClient.main(new String[] {port, "over loopback"});
      } finally {
        System.setOut(original);
      }
      assertThat(captured.toString(StandardCharsets.UTF_8))
          .contains("connected to /127.0.0.1:" + port)
          .endsWith("Server said: over loopback" + System.lineSeparator());
    }
  }

  @Test
  void chatServerAsksForANameThenSendsEveryLineToTheRoom() throws IOException {
    try (ChatServer.Running server = ChatServer.start(0);
        var alice = new LineClient(server.address().getPort());
        var bob = new LineClient(server.address().getPort())) {
      assertThat(alice.readLine()).isEqualTo("What's your name?");
      alice.send("alice");
      assertThat(alice.readLine()).isEqualTo("Welcome, alice!");
      assertThat(alice.readLine()).isEqualTo("* alice joined");

      assertThat(bob.readLine()).isEqualTo("What's your name?");
      bob.send("alice");
      assertThat(bob.readLine()).isEqualTo("Name taken, please choose another.");
      bob.send("bob");
      assertThat(bob.readLine()).isEqualTo("Welcome, bob!");
      assertThat(bob.readLine()).isEqualTo("* bob joined");
      assertThat(alice.readLine()).isEqualTo("* bob joined");

      bob.send("hi alice");
      assertThat(alice.readLine()).isEqualTo("<bob> hi alice");
      assertThat(bob.readLine()).isEqualTo("<bob> hi alice");
    }
  }
}
