/**
 * weft's HTTP/1.1 server: {@link dev.weft.http.HttpServer} running {@link dev.weft.http.HttpHandler}s
 * on virtual threads, a small {@link dev.weft.http.Router}, and {@link dev.weft.http.StaticFiles}.
 * The request parser, the response encoder and the connection engine are internal. Depends on
 * weft-core and the JDK only.
 */
module weft.http {
  requires transitive weft.core;

  exports dev.weft.http;
}
