package dev.weft.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as a handler sees it: the request line, the header fields, the path parameters
 * a {@link Router} matched, and the body as a stream read while the client sends it.
 *
 * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="httpRequest" :
 * HttpHandler upload = request -> {
 *   String name = request.pathParameter("name");
 *   try (InputStream body = request.body()) {
 *     long size = body.transferTo(OutputStream.nullOutputStream());
 *     return HttpResponse.text(201, name + ": " + size + " bytes\n");
 *   }
 * };
 * }
 *
 * <h2>The body</h2>
 *
 * {@link #body()} streams: nothing is buffered beyond the connection's read buffer, chunked bodies
 * arrive de-chunked, and a client that sent {@code Expect: 100-continue} is told to send when the
 * handler first reads. Reading past {@link HttpOptions#maxBodySize()} fails with an {@link
 * HttpException} 413. What the handler does not read is discarded by the server before the next
 * request on the connection (or the connection is closed, when that would mean reading too much).
 *
 * <p>Threads: a request belongs to the handler's thread; its body must not be read after the
 * handler returned. Comparison: Twisted's {@code Request} (which buffers the whole body first) and
 * the JDK's {@code HttpExchange} (request and response in one mutable object); here the request is
 * read-only and the response is a value the handler returns.
 */
public final class HttpRequest {
  private final String method;
  private final String target;
  private final HttpVersion version;
  private final HttpHeaders headers;
  private final InputStream body;
  private final InetSocketAddress peer;
  private final Map<String, String> pathParameters;
  private final int queryStart;

  HttpRequest(
      String method, String target, HttpVersion version, HttpHeaders headers, InputStream body,
      InetSocketAddress peer, Map<String, String> pathParameters) {
    this.method = method;
    this.target = target;
    this.version = version;
    this.headers = headers;
    this.body = body;
    this.peer = peer;
    this.pathParameters = pathParameters;
    this.queryStart = target.indexOf('?');
  }

  /**
   * A request made in memory, for testing handlers without a server: HTTP/1.1 from 127.0.0.1, with
   * {@code body} as its body.
   */
  public static HttpRequest create(String method, String target, HttpHeaders headers, byte[] body) {
    Objects.requireNonNull(method, "method");
    if (!target.startsWith("/") && !target.equals("*")) {
      throw new IllegalArgumentException("request target must start with /: " + target);
    }
    return new HttpRequest(
        method, target, HttpVersion.HTTP_1_1, headers, new ByteArrayInputStream(body.clone()),
        new InetSocketAddress("127.0.0.1", 0), Map.of());
  }

  /** A request made in memory with no headers and no body. */
  public static HttpRequest create(String method, String target) {
    return create(method, target, HttpHeaders.empty(), new byte[0]);
  }

  /** The method, in upper case: {@code GET}, {@code POST}... */
  public String method() {
    return method;
  }

  /** The request target as sent: the path and the query, still percent-encoded. */
  public String target() {
    return target;
  }

  /** The path part of the target, still percent-encoded. */
  public String path() {
    return queryStart < 0 ? target : target.substring(0, queryStart);
  }

  /** The query part of the target without its {@code ?}, still percent-encoded; empty if none. */
  public String query() {
    return queryStart < 0 ? "" : target.substring(queryStart + 1);
  }

  /** The protocol version. */
  public HttpVersion version() {
    return version;
  }

  /** Every header field. */
  public HttpHeaders headers() {
    return headers;
  }

  /** The first value of the header {@code name}. */
  public Optional<String> header(String name) {
    return headers.value(name);
  }

  /**
   * The path parameter {@code name} the router matched, percent-decoded.
   *
   * @throws NoSuchElementException if the route has no such parameter
   */
  public String pathParameter(String name) {
    String value = pathParameters.get(name);
    if (value == null) {
      throw new NoSuchElementException("no path parameter " + name + " in " + pathParameters.keySet());
    }
    return value;
  }

  /** Every path parameter the router matched, in the order of the route's path. */
  public Map<String, String> pathParameters() {
    return pathParameters;
  }

  /** The body as it arrives; empty when the request has none. */
  public InputStream body() {
    return body;
  }

  /** Reads the whole body into memory (it is bounded by {@link HttpOptions#maxBodySize()}). */
  public byte[] readBody() throws IOException, InterruptedException {
    try {
      return body.readAllBytes();
    } catch (InterruptedIOException e) {
      throw new InterruptedException("reading the request body was interrupted");
    }
  }

  /** The address of the client. */
  public InetSocketAddress peer() {
    return peer;
  }

  HttpRequest withPathParameters(Map<String, String> parameters) {
    return new HttpRequest(method, target, version, headers, body, peer, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters)));
  }

  @Override
  public String toString() {
    return method + " " + target + " " + version.text();
  }
}
