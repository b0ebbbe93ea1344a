package dev.weft.http.internal;

import java.util.Locale;
import java.util.Map;

/** Content types by file name extension, for static files; {@code application/octet-stream} otherwise. */
public final class MimeTypes {
  private static final String UTF8 = "; charset=utf-8";
  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html" + UTF8), Map.entry("htm", "text/html" + UTF8),
          Map.entry("txt", "text/plain" + UTF8), Map.entry("css", "text/css" + UTF8),
          Map.entry("csv", "text/csv" + UTF8), Map.entry("md", "text/markdown" + UTF8),
          Map.entry("js", "text/javascript" + UTF8), Map.entry("mjs", "text/javascript" + UTF8),
          Map.entry("json", "application/json"), Map.entry("xml", "application/xml"),
          Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"),
          Map.entry("gz", "application/gzip"), Map.entry("tar", "application/x-tar"),
          Map.entry("wasm", "application/wasm"), Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"), Map.entry("svg", "image/svg+xml"),
          Map.entry("webp", "image/webp"), Map.entry("ico", "image/vnd.microsoft.icon"),
          Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"),
          Map.entry("mp3", "audio/mpeg"), Map.entry("mp4", "video/mp4"),
          Map.entry("webm", "video/webm"));

  private MimeTypes() {}

  /** The content type for a file named {@code name}. */
  public static String of(String name) {
    int dot = name.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    return type == null ? "application/octet-stream" : type;
  }
}
