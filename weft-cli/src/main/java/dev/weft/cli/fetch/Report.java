package dev.weft.cli.fetch;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --report FILE}: one JSON object per URL and per line (JSON Lines), in input order:
 *
 * <pre>{@code
 * {"url":"http://h/flags/ad.gif","file":"ad.gif","result":"ok","status":200,"bytes":20480,"ms":53,"attempts":1,"error":null}
 * }</pre>
 *
 * <p>{@code result} is {@code ok}, {@code skipped}, {@code not_found}, {@code failed} or {@code
 * cancelled}; {@code status} is the last HTTP status ({@code null} when no response came); {@code
 * error} says why it failed ({@code null} otherwise).
 */
final class Report {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Report() {}

  static void write(Path file, List<FetchResult> results) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (FetchResult result : results) {
        out.write(JSON.writeValueAsString(record(result)));
        out.write('\n');
      }
    }
  }

  static Map<String, Object> record(FetchResult result) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("url", result.uri().toString());
    record.put("file", result.file());
    record.put("result", result.result().word());
    record.put("status", result.status() == 0 ? null : result.status());
    record.put("bytes", result.bytes());
    record.put("ms", result.time().toMillis());
    record.put("attempts", result.attempts());
    record.put("error", result.error().isEmpty() ? null : result.error());
    return record;
  }
}
