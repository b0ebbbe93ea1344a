/** Test support for weft: a virtual clock, an in-memory transport for protocols, and later contract suites. */
module weft.testing {
  requires transitive weft.core;
  requires transitive weft.net;

  exports dev.weft.testing;
}
