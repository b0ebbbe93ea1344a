/**
 * weft's concurrency vocabulary on virtual threads: {@link dev.weft.Task}, {@link
 * dev.weft.TaskGroup}, {@link dev.weft.Pool}, {@link dev.weft.JoinableQueue}, {@link
 * dev.weft.Scheduler}, {@link dev.weft.Throttle}, {@link dev.weft.Clock} and {@link
 * dev.weft.Progress}. Depends on nothing but the JDK.
 */
module weft.core {
  exports dev.weft;
}
