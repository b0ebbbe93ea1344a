package dev.weft.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A handler that picks another by method and path: routes are tried in the order added, path
 * parameters ({@code /files/{name}}, and a last {@code {path...}} for the rest) are handed to the
 * request, a path that matches with another method is answered 405 with {@code Allow}, and
 * anything else goes to the fallback (404 unless one is set). A {@code GET} route also answers
 * {@code HEAD}. Routes may mix blocking and {@linkplain HttpHandler#nonBlocking non-blocking}
 * handlers: the router answers {@link #mayBlock} for the route a request goes to.
 *
 * {@snippet class="dev.weft.http.snippets.HttpSnippets" region="router" :
 * HttpHandler app = Router.builder()
 *     .get("/", request -> HttpResponse.text("home\n"))
 *     .get("/files/{name}", request -> HttpResponse.text(request.pathParameter("name") + "\n"))
 *     .post("/files/{name}", request -> store(request))
 *     .fallback(StaticFiles.under(Path.of("public")))
 *     .build();
 * }
 *
 * <p>Immutable and thread-safe once built. Comparison: Twisted's resource tree ({@code
 * putChild}) resolves one segment at a time; a router here is a flat list, which is easier to read
 * in one place; javalin's and Helidon's routing, without wildcards in the middle of a path.
 */
public final class Router implements HttpHandler {
  private record Route(String method, PathPattern pattern, HttpHandler handler) {}

  /** The handler a request goes to, and the request with its path parameters. */
  record Match(HttpHandler handler, HttpRequest request) {}

  private final List<Route> routes;
  private final HttpHandler fallback;

  private Router(List<Route> routes, HttpHandler fallback) {
    this.routes = List.copyOf(routes);
    this.fallback = fallback;
  }

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public HttpResponse handle(HttpRequest request) throws Exception {
    Match match = route(request);
    return match.handler().handle(match.request());
  }

  /**
   * Whether the handler {@code request} goes to may block: a request routed to a non-blocking
   * handler (or answered 405 by the router) is served on the event loop.
   */
  @Override
  public boolean mayBlock(HttpRequest request) {
    Match match = route(request);
    return match.handler().mayBlock(match.request());
  }

  /**
   * The handler for {@code request}, and the request with its path parameters: what {@link
   * #handle} and {@link #mayBlock} each do first, for a caller (the event loop's connection) that
   * asks both and would otherwise route twice.
   */
  Match route(HttpRequest request) {
    List<String> path = PathPattern.split(request.path());
    TreeSet<String> allowed = null;
    for (Route route : routes) {
      Map<String, String> parameters = route.pattern().match(path);
      if (parameters == null) {
        continue;
      }
      if (route.method().equals(request.method()) || (route.method().equals("GET") && request.method().equals("HEAD"))) {
        return new Match(route.handler(), request.withPathParameters(parameters));
      }
      allowed = allowed == null ? new TreeSet<>() : allowed;
      allowed.add(route.method());
      if (route.method().equals("GET")) {
        allowed.add("HEAD");
      }
    }
    if (allowed != null) {
      String allow = String.join(", ", allowed);
      return new Match(
          HttpHandler.nonBlocking(r -> HttpResponse.text(405, r.method() + " not allowed on " + r.path() + "\n")
              .withHeader("Allow", allow)),
          request);
    }
    return new Match(fallback, request);
  }

  @Override
  public String toString() {
    return "Router" + routes.stream().map(r -> r.method() + " " + r.pattern().text()).toList();
  }

  /** Collects routes; not thread-safe. */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();
    private HttpHandler fallback =
        HttpHandler.nonBlocking(request -> HttpResponse.text(404, "not found: " + request.path() + "\n"));

    private Builder() {}

    /** Routes {@code GET} (and {@code HEAD}) on {@code path} to {@code handler}. */
    public Builder get(String path, HttpHandler handler) {
      return route("GET", path, handler);
    }

    /** Routes {@code POST} on {@code path} to {@code handler}. */
    public Builder post(String path, HttpHandler handler) {
      return route("POST", path, handler);
    }

    /** Routes {@code PUT} on {@code path} to {@code handler}. */
    public Builder put(String path, HttpHandler handler) {
      return route("PUT", path, handler);
    }

    /** Routes {@code DELETE} on {@code path} to {@code handler}. */
    public Builder delete(String path, HttpHandler handler) {
      return route("DELETE", path, handler);
    }

    /** Routes {@code method} on {@code path} to {@code handler}. */
    public Builder route(String method, String path, HttpHandler handler) {
      Objects.requireNonNull(handler, "handler");
      if (method.isEmpty() || !method.equals(method.toUpperCase(java.util.Locale.ROOT))) {
        throw new IllegalArgumentException("method must be upper case: " + method);
      }
      routes.add(new Route(method, PathPattern.parse(path), handler));
      return this;
    }

    /** The handler for requests no route matches (default: 404). */
    public Builder fallback(HttpHandler handler) {
      this.fallback = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** The router. */
    public Router build() {
      return new Router(routes, fallback);
    }
  }
}
