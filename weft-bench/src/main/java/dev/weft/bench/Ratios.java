package dev.weft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a JMH CSV result file into a Markdown table of ratios: every benchmark method named
 * {@code case_weft} is paired with its peers {@code case_PEER} of the same class and parameters,
 * and each row reports the weft score, the peer's, and weft ÷ peer in throughput terms (above 1
 * means weft is faster, whether the mode is throughput or time per operation).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.weft.bench.Ratios results.csv}
 */
public final class Ratios {
  private Ratios() {}

  public static void main(String[] args) throws IOException {
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    List<String> header = splitCsv(lines.getFirst());
    int name = header.indexOf("Benchmark");
    int mode = header.indexOf("Mode");
    int score = header.indexOf("Score");
    int error = header.indexOf("Score Error (99.9%)");
    int unit = header.indexOf("Unit");
    List<Integer> params = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).startsWith("Param: ")) {
        params.add(i);
      }
    }

    Map<String, Map<String, double[]>> cases = new LinkedHashMap<>();
    Map<String, String> units = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> row = splitCsv(line);
      String full = row.get(name);
      String method = full.substring(full.lastIndexOf('.') + 1);
      int underscore = method.lastIndexOf('_');
      if (underscore < 0) {
        continue;
      }
      String owner = full.substring(0, full.lastIndexOf('.'));
      StringBuilder key = new StringBuilder(owner.substring(owner.lastIndexOf('.') + 1));
      key.append('.').append(method, 0, underscore);
      for (int p : params) {
        if (!row.get(p).isEmpty()) {
          key.append(' ').append(header.get(p).substring("Param: ".length())).append('=').append(row.get(p));
        }
      }
      boolean perOp = !row.get(mode).equals("thrpt");
      double value = Double.parseDouble(row.get(score));
      double err = error >= 0 && !row.get(error).isEmpty() ? Double.parseDouble(row.get(error)) : Double.NaN;
      cases.computeIfAbsent(key.toString(), k -> new LinkedHashMap<>())
          .put(method.substring(underscore + 1), new double[] {value, err, perOp ? 1 : 0});
      units.put(key.toString(), row.get(unit));
    }

    System.out.println("| case | weft | peer | peer score | weft ÷ peer (speed) |");
    System.out.println("|---|---:|---|---:|---:|");
    cases.forEach(
        (key, scores) -> {
          double[] weft = scores.get("weft");
          scores.forEach(
              (peer, s) -> {
                if (weft == null || peer.equals("weft")) {
                  return;
                }
                double ratio = weft[2] == 1 ? s[0] / weft[0] : weft[0] / s[0];
                System.out.printf(
                    "| %s | %s | %s | %s | **%.2f×** |%n",
                    key, format(weft, units.get(key)), peer, format(s, units.get(key)), ratio);
              });
        });
  }

  private static String format(double[] score, String unit) {
    return String.format("%.3g ± %.2g %s", score[0], score[1], unit);
  }

  private static List<String> splitCsv(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString());
    return cells;
  }
}
