package dev.weft.net;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a server listens or a client connects, written as in Twisted's endpoint strings.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="endpoint" :
 * Endpoint.parse("tcp:7001");                          // 127.0.0.1:7001, backlog 4096
 * Endpoint.parse("tcp:7001:interface=0.0.0.0");        // every interface
 * Endpoint.parse("tcp:7001:backlog=1024");
 * Endpoint.parse("tcp:host=example.org:port=80");      // a client's endpoint
 * Endpoint.parse("tcp:example.org:80");                // the same, positionally
 * }
 *
 * <p>Servers bind {@value #LOOPBACK} unless an interface is named, so that nothing is exposed to
 * the network by accident. The default backlog, {@value #DEFAULT_BACKLOG}, is large on purpose:
 * with Python's customary 50, a burst of 1,000 connects leaves clients that believe they are
 * connected but that the server never accepts (the kernel caps it at {@code somaxconn}). Port 0
 * asks the system for a free port; {@link ListeningPort#port()} tells which.
 *
 * <p>Comparison: Twisted's {@code serverFromString}/{@code clientFromString} for the {@code tcp}
 * type only (no TLS or UNIX sockets yet); unlike {@code socket.bind(("", port))}, the default is
 * loopback, not every interface.
 *
 * @param host the interface to listen on, or the host to connect to
 * @param port the TCP port, 0 to 65535
 * @param backlog the listen backlog (servers only)
 */
public record Endpoint(String host, int port, int backlog) {
  /** The interface servers bind when none is named. */
  public static final String LOOPBACK = "127.0.0.1";

  /** The listen backlog when none is given. */
  public static final int DEFAULT_BACKLOG = 4096;

  public Endpoint {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("endpoint host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + port);
    }
    if (backlog <= 0) {
      throw new IllegalArgumentException("backlog must be > 0: " + backlog);
    }
  }

  /** A server endpoint on loopback at {@code port} with the default backlog. */
  public static Endpoint tcp(int port) {
    return new Endpoint(LOOPBACK, port, DEFAULT_BACKLOG);
  }

  /** An endpoint at {@code host}:{@code port} with the default backlog. */
  public static Endpoint tcp(String host, int port) {
    return new Endpoint(host, port, DEFAULT_BACKLOG);
  }

  /**
   * Parses a Twisted-style string: {@code tcp:PORT[:interface=H][:backlog=N]} for servers, {@code
   * tcp:host=H:port=P} or {@code tcp:H:P} for clients.
   *
   * @throws IllegalArgumentException naming what is wrong and the text, for anything malformed
   */
  public static Endpoint parse(String text) {
    return EndpointParser.parse(text);
  }

  /** This endpoint with another backlog. */
  public Endpoint withBacklog(int newBacklog) {
    return new Endpoint(host, port, newBacklog);
  }

  /** The socket address (resolving the host name). */
  public InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }

  /** The endpoint in the string form {@link #parse} reads. */
  public String describe() {
    return "tcp:host=" + host + ":port=" + port + (backlog == DEFAULT_BACKLOG ? "" : ":backlog=" + backlog);
  }
}
