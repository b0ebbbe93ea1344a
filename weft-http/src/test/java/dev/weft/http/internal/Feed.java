package dev.weft.http.internal;

import dev.weft.http.HttpException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Feeds a parser bytes in pieces of a given size and records what it reports. */
final class Feed {
  static final Limits LIMITS = new Limits(256, 20, 1024, 10_000);

  /** One parsed request: its head, its body bytes, its trailers. */
  record Parsed(RequestHead head, String body, List<String> trailers) {}

  /** What a whole input produced: the complete requests, then the failure's status (0 if none). */
  record Outcome(List<Parsed> requests, int status, String message, boolean partial) {}

  private Feed() {}

  static Outcome feed(String input, int chunk) {
    return feed(input.getBytes(StandardCharsets.ISO_8859_1), chunk, LIMITS);
  }

  static Outcome feed(byte[] input, int chunk, Limits limits) {
    var parser = new RequestParser(limits);
    List<Parsed> requests = new ArrayList<>();
    var body = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(chunk).flip();
    int offset = 0;
    int steps = 0;
    try {
      while (true) {
        if (++steps > 10 * input.length + 100) {
          throw new AssertionError("parser makes no progress");
        }
        var event = parser.parse(buffer);
        switch (event) {
          case HEAD -> body.reset();
          case BODY -> {
            ByteBuffer slice = parser.body();
            byte[] bytes = new byte[slice.remaining()];
            slice.get(bytes);
            body.writeBytes(bytes);
          }
          case END -> {
            requests.add(new Parsed(parser.head(), body.toString(StandardCharsets.ISO_8859_1), parser.trailers()));
            parser.reset();
          }
          case NEED_MORE -> {
            if (buffer.hasRemaining()) {
              throw new AssertionError("NEED_MORE with " + buffer.remaining() + " bytes unread");
            }
            if (offset == input.length) {
              return new Outcome(requests, 0, null, parser.started());
            }
            int n = Math.min(chunk, input.length - offset);
            buffer.clear().put(input, offset, n).flip();
            offset += n;
          }
        }
      }
    } catch (HttpException e) {
      return new Outcome(requests, e.status(), e.getMessage(), true);
    }
  }
}
