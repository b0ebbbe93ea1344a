package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouterTest {
  private final Router router = Router.builder()
      .get("/", request -> HttpResponse.text("home"))
      .get("/files/{name}", request -> HttpResponse.text("file " + request.pathParameter("name")))
      .put("/files/{name}", request -> HttpResponse.text("put " + request.pathParameter("name")))
      .get("/static/{path...}", request -> HttpResponse.text("static " + request.pathParameter("path")))
      .delete("/users/{id}/keys/{key}", request -> HttpResponse.text(request.pathParameters().toString()))
      .build();

  @Test
  void matchesLiteralsAndParameters() throws Exception {
    assertThat(body("GET", "/")).isEqualTo("home");
    assertThat(body("GET", "/files/a%20b")).isEqualTo("file a b");
    assertThat(body("GET", "/files/x/")).isEqualTo("file x");
    assertThat(body("PUT", "/files/x?y=1")).isEqualTo("put x");
    assertThat(body("GET", "/static/css/site.css")).isEqualTo("static css/site.css");
    assertThat(body("GET", "/static/")).isEqualTo("static ");
    assertThat(body("DELETE", "/users/7/keys/k")).isEqualTo("{id=7, key=k}");
  }

  @Test
  void mayBlockAnswersForTheRouteTheRequestGoesTo() {
    Router mixed = Router.builder()
        .get("/fast/{n}", HttpHandler.nonBlocking(request -> HttpResponse.text("fast")))
        .get("/slow", request -> HttpResponse.text("slow"))
        .build();
    assertThat(mixed.mayBlock(HttpRequest.create("GET", "/fast/1"))).isFalse();
    assertThat(mixed.mayBlock(HttpRequest.create("HEAD", "/fast/1"))).isFalse();
    assertThat(mixed.mayBlock(HttpRequest.create("GET", "/slow"))).isTrue();
    assertThat(mixed.mayBlock(HttpRequest.create("POST", "/fast/1"))).as("a 405 from the router").isFalse();
    assertThat(mixed.mayBlock(HttpRequest.create("GET", "/other"))).as("the default 404 fallback").isFalse();
    assertThat(HttpHandler.nonBlocking(request -> HttpResponse.text("x")).mayBlock(HttpRequest.create("GET", "/"))).isFalse();
    assertThat(((HttpHandler) request -> HttpResponse.text("x")).mayBlock(HttpRequest.create("GET", "/"))).isTrue();
  }

  @Test
  void getRoutesAnswerHead() throws Exception {
    assertThat(router.handle(HttpRequest.create("HEAD", "/")).status()).isEqualTo(200);
  }

  @Test
  void wrongMethodIs405WithAllowAndUnknownPathIs404() throws Exception {
    var response = router.handle(HttpRequest.create("POST", "/files/x"));
    assertThat(response.status()).isEqualTo(405);
    assertThat(response.headers().value("Allow")).hasValue("GET, HEAD, PUT");
    assertThat(router.handle(HttpRequest.create("GET", "/files")).status()).isEqualTo(404);
    assertThat(router.handle(HttpRequest.create("GET", "/files/a/b")).status()).isEqualTo(404);
  }

  @Test
  void missingParameterNamesWhatExists() {
    assertThatThrownBy(() -> HttpRequest.create("GET", "/").pathParameter("id"))
        .hasMessage("no path parameter id in []");
  }

  @Test
  void badPatternsAreRefused() {
    assertThatThrownBy(() -> Router.builder().get("files", r -> null)).hasMessage("route path must start with /: files");
    assertThatThrownBy(() -> Router.builder().get("/{a...}/b", r -> null)).hasMessage("a {name...} parameter must come last: /{a...}/b");
    assertThatThrownBy(() -> Router.builder().get("/{a}/{a}", r -> null))
        .hasMessage("route parameter names must be unique and non-empty: /{a}/{a}");
    assertThatThrownBy(() -> Router.builder().route("get", "/", r -> null)).hasMessage("method must be upper case: get");
  }

  @Test
  void headersRefuseResponseSplitting() {
    assertThatThrownBy(() -> HttpResponse.text("x").withHeader("X", "a\r\nSet-Cookie: y"))
        .hasMessage("header X has a control or non-Latin-1 character at 1");
    assertThatThrownBy(() -> HttpResponse.text("x").withHeader("X Y", "a")).hasMessage("header name must be a token: X Y");
    assertThatThrownBy(() -> HttpResponse.empty(100)).hasMessage("response status must be 200..599: 100");
    assertThatThrownBy(() -> new HttpException(99, "x")).hasMessage("HTTP status must be 100..599: 99");
  }

  private String body(String method, String target) throws Exception {
    var response = router.handle(HttpRequest.create(method, target));
    assertThat(response.status()).as("%s %s", method, target).isEqualTo(200);
    var body = (HttpResponse.Body.Bytes) response.body();
    return new String(body.bytes(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
