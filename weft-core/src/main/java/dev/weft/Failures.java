package dev.weft;

/** How weft turns a task's failure into what its owner sees. */
final class Failures {
  private Failures() {}

  /** {@code error} itself if unchecked or an error, else wrapped once in TaskFailedException. */
  static RuntimeException unchecked(String taskName, Throwable error) {
    return switch (error) {
      case RuntimeException runtime -> runtime;
      case Error fatal -> throw fatal;
      default -> new TaskFailedException(taskName, error);
    };
  }
}
