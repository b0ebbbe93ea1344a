/**
 * weft's HTTP/1.1 server: {@link dev.weft.http.HttpServer} running {@link dev.weft.http.HttpHandler}s
 * on weft-net's event loops and on virtual threads, a small {@link dev.weft.http.Router}, and {@link dev.weft.http.StaticFiles}.
 * The request parser, the response encoder and the connection engine are internal. {@link
 * dev.weft.http.client.HttpFetcher} is the client side: HTTP/1.1 on pooled keep-alive connections,
 * with the JDK's {@code HttpClient} for {@code https:}. Depends on weft-core, weft-net and the JDK only.
 */
module weft.http {
  requires transitive weft.core;
  requires weft.net;
  requires transitive java.net.http;

  exports dev.weft.http;
  exports dev.weft.http.client;
}
