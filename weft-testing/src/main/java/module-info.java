/** Test support for weft: a virtual clock, and later in-memory transports and contract suites. */
module weft.testing {
  requires transitive weft.core;

  exports dev.weft.testing;
}
