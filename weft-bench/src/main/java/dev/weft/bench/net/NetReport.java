package dev.weft.bench.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the {@code RESULT} lines of several interleaved rounds of {@link LoadGen} into Markdown
 * tables of ratios. Each ratio is taken within a round (weft and its peer measured minutes apart at
 * most) and the median over rounds is reported with its range, so a round disturbed by another
 * process on the machine shows as a wide range instead of a wrong figure.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.weft.bench.net.NetReport results.tsv}
 */
public final class NetReport {
  /** The pairs reported, as {@code server/peer}: weft beside its peers, and the two weft designs. */
  private static final List<String[]> PAIRS = List.of(
      new String[] {"weft", "netty"},
      new String[] {"weft", "weft-before"},
      new String[] {"weft-before", "netty"},
      new String[] {"weft-blocking", "netty"},
      new String[] {"weft", "weft-blocking"},
      new String[] {"weft", "redis"},
      new String[] {"netty", "redis"});

  private record Row(int round, String server, String cell, String unit, double value, double p99, double cpu, long errors) {}

  private NetReport() {}

  public static void main(String[] args) throws IOException {
    List<Row> rows = new ArrayList<>();
    int round = 0;
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      if (line.startsWith("ROUND")) {
        round = Integer.parseInt(line.split("\t")[1]);
      }
      if (!line.startsWith("RESULT")) {
        continue;
      }
      String[] f = line.split("\t");
      String server = f[1].replace("-echo", "").replace("-pubsub", "");
      rows.add(new Row(round, server, f[2], f[3], Double.parseDouble(f[4]), Double.parseDouble(f[6]),
          Double.parseDouble(f[8]), Long.parseLong(f[10])));
    }
    Map<String, List<Row>> byCell = new LinkedHashMap<>();
    for (Row row : rows) {
      byCell.computeIfAbsent(row.cell(), c -> new ArrayList<>()).add(row);
    }
    System.out.println("\nMedians over rounds (value; p99 round trip or delivery in µs; server CPU per second).\n");
    System.out.println("| cell | server | rounds | value | p99 µs | server CPU/s | per server CPU-s | errors |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (var cell : byCell.entrySet()) {
      Map<String, List<Row>> byServer = byServer(cell.getValue());
      for (var server : byServer.entrySet()) {
        List<Row> r = server.getValue();
        double value = median(r.stream().mapToDouble(Row::value).toArray());
        double cpu = median(r.stream().mapToDouble(Row::cpu).toArray());
        System.out.printf(Locale.ROOT, "| %s (%s) | %s | %d | %s | %.0f | %.2f | %s | %d |%n", cell.getKey(), r.getFirst().unit(),
            server.getKey(), r.size(), String.format(Locale.ROOT, value < 100 ? "%.2f" : "%,.0f", value), median(r.stream().mapToDouble(Row::p99).toArray()), cpu,
            Double.isNaN(cpu) ? "" : String.format(Locale.ROOT, "%,.0f", median(r.stream().mapToDouble(x -> x.value() / x.cpu()).toArray())),
            r.stream().mapToLong(Row::errors).sum());
      }
    }
    System.out.println("\nRatios: median of the per-round ratios [lowest, highest]. Throughput: above 1 means the first is"
        + " faster. Memory (kib_per_conn): below 1 means the first uses less. Efficiency: throughput per server"
        + " CPU-second.\n");
    System.out.println("| cell | pair | throughput or memory | efficiency | p99 |");
    System.out.println("|---|---|---|---|---|");
    for (var cell : byCell.entrySet()) {
      Map<String, List<Row>> byServer = byServer(cell.getValue());
      for (String[] pair : PAIRS) {
        List<Row> a = byServer.get(pair[0]);
        List<Row> b = byServer.get(pair[1]);
        if (a == null || b == null) {
          continue;
        }
        System.out.printf(Locale.ROOT, "| %s | %s/%s | %s | %s | %s |%n", cell.getKey(), pair[0], pair[1],
            ratio(a, b, Row::value), ratio(a, b, x -> x.value() / x.cpu()), ratio(a, b, Row::p99));
      }
    }
  }

  private static Map<String, List<Row>> byServer(List<Row> rows) {
    Map<String, List<Row>> by = new LinkedHashMap<>();
    for (Row row : rows) {
      by.computeIfAbsent(row.server(), s -> new ArrayList<>()).add(row);
    }
    return by;
  }

  private static String ratio(List<Row> a, List<Row> b, java.util.function.ToDoubleFunction<Row> f) {
    List<Double> ratios = new ArrayList<>();
    for (Row x : a) {
      for (Row y : b) {
        if (x.round() == y.round()) {
          double r = f.applyAsDouble(x) / f.applyAsDouble(y);
          if (Double.isFinite(r)) {
            ratios.add(r);
          }
        }
      }
    }
    if (ratios.isEmpty()) {
      return "";
    }
    double[] v = ratios.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return v.length == 1
        ? String.format(Locale.ROOT, "%.2f", v[0])
        : String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", median(v), v[0], v[v.length - 1]);
  }

  private static double median(double[] values) {
    double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
