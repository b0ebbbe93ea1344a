/**
 * weft's event-driven network layer: a {@link dev.weft.net.Reactor} of NIO event loops driving
 * Twisted-style {@link dev.weft.net.Protocol}s through {@link dev.weft.net.Transport}s, {@link
 * dev.weft.net.Endpoint}s parsed from strings, {@link dev.weft.net.LineReceiver}, and blocking-style
 * {@link dev.weft.net.Connection}s on virtual threads. Depends on weft-core and the JDK only.
 */
@SuppressWarnings("module") // weft.http, named in a qualified export, is built after this module
module weft.net {
  requires transitive weft.core;

  exports dev.weft.net;
  // weft-http hands a connection over from its loop to a virtual thread (Detach)
  exports dev.weft.net.internal to weft.http;
}
