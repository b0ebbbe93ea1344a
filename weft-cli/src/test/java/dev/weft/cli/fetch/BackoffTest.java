package dev.weft.cli.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class BackoffTest {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new SplittableRandom(1));

  @Test
  void waitsDoubleWithJitterBetweenHalfAndAllOfTheirShare() {
    for (int i = 0; i < 100; i++) {
      assertThat(backoff.delay(1, Optional.empty(), NOW)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(backoff.delay(3, Optional.empty(), NOW)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
      assertThat(backoff.delay(40, Optional.empty(), NOW)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }
  }

  @Test
  void retryAfterInSecondsOrAsADateRaisesTheWaitUpToTheMaximum() {
    assertThat(backoff.delay(1, Optional.of("1"), NOW)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(1, Optional.of("Thu, 03 Dec 2026 12:00:01 GMT"), NOW)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(1, Optional.of("3600"), NOW)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(1, Optional.of("soon"), NOW)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(Backoff.parseRetryAfter("Thu, 03 Dec 2026 11:00:00 GMT", NOW)).hasValue(Duration.ZERO);
  }

  @Test
  void optionUnitsParse() {
    assertThat(Converters.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Converters.duration("1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Converters.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Converters.duration("PT0.002S")).isEqualTo(Duration.ofMillis(2));
    assertThat(Converters.size("64K")).isEqualTo(65536);
    assertThat(Converters.size("10MiB")).isEqualTo(10L << 20);
    assertThat(Converters.size("1234")).isEqualTo(1234);
    assertThat(Converters.rate("20/s")).isEqualTo(new FetchPlan.Rate(20, Duration.ofSeconds(1)));
    assertThat(Converters.rate("600/m")).isEqualTo(new FetchPlan.Rate(600, Duration.ofMinutes(1)));
    assertThatThrownBy(() -> Converters.rate("0/s")).isInstanceOf(TypeConversionException.class).hasMessage("not a rate > 0 (20/s, 600/m): 0/s");
    assertThatThrownBy(() -> Converters.size("lots")).hasMessage("not a size (1048576, 512K, 10M, 1G): lots");
  }

  @Test
  void fractionsAreExactToTheMicrosecondAndOverflowIsRefused() {
    assertThat(Converters.duration("0.25ms")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(Converters.duration("1.000001")).isEqualTo(Duration.ofSeconds(1, 1_000));
    assertThat(Converters.duration("1.0000019")).as("cut after six digits").isEqualTo(Duration.ofSeconds(1, 1_000));
    assertThat(Converters.duration("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Converters.size("1.5K")).isEqualTo(1536);
    assertThat(Converters.size("0.5GiB")).isEqualTo(1L << 29);
    assertThatThrownBy(() -> Converters.duration("9999999h")).isInstanceOf(TypeConversionException.class).hasMessage("too large: 9999999h");
    assertThatThrownBy(() -> Converters.size("99999999999999999999")).hasMessage("too large: 99999999999999999999");
    assertThatThrownBy(() -> Converters.size("9000000T")).hasMessage("too large: 9000000T");
  }

  @Test
  void bytesReadAsPeopleWriteThem() {
    assertThat(Summary.bytes(512)).isEqualTo("512 B");
    assertThat(Summary.bytes(4608)).isEqualTo("4.5 KiB");
    assertThat(Summary.bytes(5L << 30)).isEqualTo("5.0 GiB");
  }
}
