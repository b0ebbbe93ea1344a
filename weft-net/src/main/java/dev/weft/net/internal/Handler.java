package dev.weft.net.internal;

import java.nio.channels.SelectionKey;

/** What an event loop's selection keys are attached to: a connection or a listening socket. */
interface Handler {

  /** The key is ready for {@code readyOps}; runs on the loop thread. */
  void ready(SelectionKey key, int readyOps);

  /** The loop is stopping: close now with {@code reason}. */
  void abort(Throwable reason);

  /** The reactor closes gracefully: stop accepting, or finish sending and close. */
  void drain();
}
