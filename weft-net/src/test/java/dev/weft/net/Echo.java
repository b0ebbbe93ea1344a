package dev.weft.net;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** The echo protocol the loopback tests serve; reports how its connection ended. */
public final class Echo implements Protocol {
  private final Consumer<Throwable> onLost;
  private Transport transport;

  public Echo() {
    this(reason -> {});
  }

  public Echo(Consumer<Throwable> onLost) {
    this.onLost = onLost;
  }

  @Override
  public void connectionMade(Transport newTransport) {
    this.transport = newTransport;
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    transport.write(data);
  }

  @Override
  public void connectionLost(Throwable reason) {
    onLost.accept(reason);
  }
}
