/**
 * weft's process backend: a pool of child-JVM workers ({@link dev.weft.process.ProcessPool}),
 * shared memory ({@link dev.weft.process.SharedMemory}), a lock that works across processes
 * ({@link dev.weft.process.SharedLock}) and a bounded queue between processes ({@link
 * dev.weft.process.SharedQueue}). Depends on weft-core and the JDK only.
 */
module weft.process {
  requires transitive weft.core;

  exports dev.weft.process;
}
