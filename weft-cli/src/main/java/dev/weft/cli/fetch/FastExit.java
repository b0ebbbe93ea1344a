package dev.weft.cli.fetch;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Ends the process at once when a {@code weft fetch} run is over, when the launcher asks for it
 * ({@code -Dweft.exit=fast}).
 *
 * <p>Why: once a virtual thread has used a socket, the JDK's poller threads sit in {@code
 * epoll_wait}, that is in native code, and HotSpot's exit waits up to 300 ms for threads in
 * native code to come back before it ends the process ({@code
 * VM_Exit::wait_for_threads_in_native_to_block}). For a download run of one or two seconds that is
 * a tenth of the time, spent after the work and the summary are done. Here the output streams are
 * flushed and libc's {@code _exit} ends the process with the run's status: no shutdown hook is
 * left to run by then (the command removes its own), and files were closed and renamed by the
 * run.
 *
 * <p>Making the handle to {@code _exit} takes some 15 ms of generated code on a cold JVM, so
 * {@link #prepare()} starts it on a virtual thread as the run begins, while the run mostly waits on
 * the network, and {@link #now} only picks it up.
 *
 * <p>{@code -Dweft.exit=link} (the launcher's training run for its AOT cache) looks {@code _exit}
 * up without calling it, so that the cache holds what the lookup needs and the JVM still exits
 * normally and writes the cache. Without the property, or when the lookup fails (a platform
 * without {@code _exit}, native access not enabled), nothing happens and the caller exits as
 * usual.
 */
final class FastExit {
  private static final FutureTask<Optional<MethodHandle>> LOOKUP = new FutureTask<>(FastExit::lookup);

  private FastExit() {}

  /** Starts looking {@code _exit} up in the background, if asked to end fast; safe to skip. */
  static void prepare() {
    if (!mode().isEmpty()) {
      Thread.ofVirtual().name("weft-exit-lookup").start(LOOKUP);
    }
  }

  /** Flushes standard output and error and ends the process with {@code status}, if asked to. */
  static void now(int status) {
    String mode = mode();
    if (mode.isEmpty()) {
      return;
    }
    Optional<MethodHandle> exit;
    try {
      LOOKUP.run(); // does nothing if prepare() started it or it is done
      exit = LOOKUP.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException e) {
      return; // lookup() returns its failures: not reached
    }
    if (exit.isEmpty() || !mode.equals("fast")) {
      return;
    }
    System.out.flush();
    System.err.flush();
    try {
      exit.get().invokeExact(status);
    } catch (Throwable e) {
      // not reached when _exit was called; otherwise the caller exits the ordinary way
    }
  }

  /** {@code fast}, {@code link}, or empty when the process exits the ordinary way. */
  private static String mode() {
    String mode = System.getProperty("weft.exit", "");
    return mode.equals("fast") || mode.equals("link") ? mode : "";
  }

  @SuppressWarnings("restricted") // native access is enabled by the launcher; without it the lookup fails and nothing happens
  private static Optional<MethodHandle> lookup() {
    try {
      Linker linker = Linker.nativeLinker();
      return linker.defaultLookup().find("_exit")
          .map(symbol -> linker.downcallHandle(symbol, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)));
    } catch (RuntimeException e) { // IllegalCallerException without native access, UnsupportedOperationException
      return Optional.empty();
    }
  }
}
