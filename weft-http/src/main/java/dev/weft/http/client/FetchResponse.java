package dev.weft.http.client;

import dev.weft.http.HttpHeaders;
import java.net.URI;
import java.util.Optional;

/**
 * The outcome of one {@link HttpFetcher#fetch fetch}: the final status and header fields (after
 * redirects), how many body bytes went to the sink, and the URI that answered.
 *
 * {@snippet class="dev.weft.http.client.snippets.ClientSnippets" region="fetchResponse" :
 * FetchResponse response = fetcher.fetch(FetchRequest.get(uri), sink, bytes -> {});
 * switch (response.status()) {
 *   case 200 -> System.out.println(response.bytes() + " bytes from " + response.uri());
 *   case 404 -> System.out.println("not found");
 *   default -> System.out.println(response.headers().value("Retry-After").orElse("no Retry-After"));
 * }
 * }
 *
 * @param status the status code
 * @param headers the response's header fields
 * @param bytes the body bytes written to the sink (0 for a status other than 2xx)
 * @param uri the URI of the final response, after any redirects
 */
public record FetchResponse(int status, HttpHeaders headers, long bytes, URI uri) {

  /** Whether the status is 2xx, the only case in which the body went to the sink. */
  public boolean successful() {
    return status >= 200 && status <= 299;
  }

  /** The {@code Retry-After} field as sent (seconds or an HTTP date), if any. */
  public Optional<String> retryAfter() {
    return headers.value("Retry-After");
  }
}
