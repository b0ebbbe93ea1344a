package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessExamplesTest {
  private static final Pattern WAY = Pattern.compile("^(\\S+)\\s+\\d+ ms\\s+[\\d.]+x\\s+checksum ([0-9a-f]{16})$");

  @Test
  void cpuBoundComputesTheSameChecksumsSequentiallyOnThreadsAndInWorkerProcesses() throws Exception {
    List<String> lines = Arrays.asList(Output.of(CpuBound::main, "2", "4", "50").split("\\R"));

    assertThat(lines).first().asString().matches("started 2 worker JVMs in \\d+ ms");
    assertThat(lines).contains("4 jobs of 50 blocks, 2 workers (warm round)");
    List<String> ways = lines.stream().map(WAY::matcher).filter(Matcher::matches).map(m -> m.group(1)).toList();
    List<String> checksums =
        lines.stream().map(WAY::matcher).filter(Matcher::matches).map(m -> m.group(2)).distinct().toList();
    assertThat(ways).containsExactly("sequential", "Pool.threads(2)", "ProcessPool(2)");
    assertThat(checksums).hasSize(1);
  }
}
