package dev.weft.http.internal;

import dev.weft.http.HttpException;
import dev.weft.http.HttpVersion;
import java.util.List;
import java.util.Locale;

/**
 * Decides a request's framing from its header fields (RFC 9112 section 6): whether a body follows,
 * how long it is, whether the connection persists. The smuggling rules live here: a request two
 * parsers could frame differently is refused with 400. Stateless; called by {@link RequestParser}.
 */
final class Framing {
  private Framing() {}

  static RequestHead decide(String method, String target, HttpVersion version, List<String> fields, Limits limits) {
    String contentLength = null;
    int contentLengths = 0;
    StringBuilder transferEncoding = null;
    int hosts = 0;
    boolean close = false;
    boolean keepAliveToken = false;
    String expect = null;
    for (int i = 0; i < fields.size(); i += 2) {
      String name = fields.get(i);
      String value = fields.get(i + 1);
      if (name.equalsIgnoreCase("content-length")) {
        contentLengths++;
        contentLength = value;
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        transferEncoding = transferEncoding == null ? new StringBuilder(value) : transferEncoding.append(',').append(value);
      } else if (name.equalsIgnoreCase("host")) {
        hosts++;
      } else if (name.equalsIgnoreCase("connection")) {
        for (String token : value.split(",")) {
          String t = token.strip();
          close |= t.equalsIgnoreCase("close");
          keepAliveToken |= t.equalsIgnoreCase("keep-alive");
        }
      } else if (name.equalsIgnoreCase("expect")) {
        expect = value;
      }
    }
    if (version == HttpVersion.HTTP_1_1 && hosts != 1) {
      throw RequestParser.bad(hosts == 0 ? "HTTP/1.1 request without a Host header" : "more than one Host header: " + hosts);
    }
    long length = 0;
    if (transferEncoding != null) {
      if (version == HttpVersion.HTTP_1_0) {
        throw RequestParser.bad("Transfer-Encoding in an HTTP/1.0 request");
      }
      if (contentLengths > 0) {
        throw RequestParser.bad("request has both Content-Length and Transfer-Encoding");
      }
      checkCodings(transferEncoding.toString());
      length = -1;
    } else if (contentLengths > 1) {
      throw RequestParser.bad("more than one Content-Length header: " + contentLengths);
    } else if (contentLength != null) {
      length = contentLength(contentLength, limits.maxBodySize());
    }
    boolean expectContinue = false;
    if (expect != null) {
      if (!expect.equalsIgnoreCase("100-continue")) {
        throw new HttpException(417, "expectation not supported: " + expect);
      }
      expectContinue = version == HttpVersion.HTTP_1_1;
    }
    boolean keepAlive = !close && (version == HttpVersion.HTTP_1_1 || keepAliveToken);
    return new RequestHead(method, target, version, fields.toArray(String[]::new), length, keepAlive, expectContinue);
  }

  private static void checkCodings(String value) {
    String[] codings = value.split(",", -1);
    for (String coding : codings) {
      if (coding.isBlank()) {
        throw RequestParser.bad("empty transfer coding in Transfer-Encoding: " + value);
      }
    }
    if (!codings[codings.length - 1].strip().equalsIgnoreCase("chunked")) {
      throw RequestParser.bad("last transfer coding must be chunked: " + value);
    }
    for (int i = 0; i < codings.length - 1; i++) {
      String coding = codings[i].strip().toLowerCase(Locale.ROOT);
      if (coding.equals("chunked")) {
        throw RequestParser.bad("chunked must be applied once, last: " + value);
      }
      throw new HttpException(501, "transfer coding not implemented: " + coding);
    }
  }

  private static long contentLength(String value, long max) {
    if (value.isEmpty()) {
      throw RequestParser.bad("Content-Length is empty");
    }
    long length = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw RequestParser.bad("Content-Length is not a decimal number: " + value);
      }
      length = length > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : length * 10 + (c - '0');
    }
    if (length > max) {
      throw new HttpException(413, "request body longer than " + max + " bytes: " + value);
    }
    return length;
  }
}
