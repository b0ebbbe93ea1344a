package dev.weft.cli.fetch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
  /**
   * Jackson's streaming generator rather than its ObjectMapper: the mapper's start-up (a third of a
   * second, measured) was a tenth of a whole 2,000-file run.
   */
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private Report() {}

  static void write(Path file, List<FetchResult> results) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        JsonGenerator json = JSON.createGenerator(out)) {
      json.setRootValueSeparator(new SerializedString("\n"));
      for (FetchResult result : results) {
        write(json, result);
      }
      json.writeRaw('\n');
    }
  }

  private static void write(JsonGenerator json, FetchResult result) throws IOException {
    json.writeStartObject();
    json.writeStringField("url", result.uri().toString());
    json.writeStringField("file", result.file());
    json.writeStringField("result", result.result().word());
    if (result.status() == 0) {
      json.writeNullField("status");
    } else {
      json.writeNumberField("status", result.status());
    }
    json.writeNumberField("bytes", result.bytes());
    json.writeNumberField("ms", result.time().toMillis());
    json.writeNumberField("attempts", result.attempts());
    if (result.error().isEmpty()) {
      json.writeNullField("error");
    } else {
      json.writeStringField("error", result.error());
    }
    json.writeEndObject();
  }
}
