package dev.weft;

import java.util.concurrent.ThreadFactory;

/** Starts the named virtual threads of task groups and pools from one shared factory. */
final class VirtualThreads {
  // thread-safe, and shared: a builder per thread cost an allocation per task
  private static final ThreadFactory FACTORY = Thread.ofVirtual().factory();

  private VirtualThreads() {}

  /** Starts {@code job} on a new virtual thread named {@code name}. */
  static Thread start(String name, Runnable job) {
    Thread thread = FACTORY.newThread(job);
    thread.setName(name);
    thread.start();
    return thread;
  }
}
