/**
 * weft's event-driven network layer: a {@link dev.weft.net.Reactor} of NIO event loops driving
 * Twisted-style {@link dev.weft.net.Protocol}s through {@link dev.weft.net.Transport}s, {@link
 * dev.weft.net.Endpoint}s parsed from strings, {@link dev.weft.net.LineReceiver}, and blocking-style
 * {@link dev.weft.net.Connection}s on virtual threads. Depends on weft-core and the JDK only.
 */
module weft.net {
  requires transitive weft.core;

  exports dev.weft.net;
}
