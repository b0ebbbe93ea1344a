package dev.weft.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.VirtualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpDatesTest {
  @Test
  void theCurrentDateChangesExactlyWhenTheSecondDoes() {
    var clock = VirtualClock.create(Instant.parse("1994-11-06T08:49:37.400Z"));
    var dates = new HttpDates(clock);
    assertThat(ascii(dates.now())).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    clock.advance(Duration.ofMillis(599));
    assertThat(ascii(dates.now())).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    clock.advance(Duration.ofMillis(1));
    assertThat(ascii(dates.now())).isEqualTo("Sun, 06 Nov 1994 08:49:38 GMT");
    clock.advance(Duration.ofSeconds(62));
    assertThat(ascii(dates.now())).isEqualTo("Sun, 06 Nov 1994 08:50:40 GMT");
  }

  private static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }
}
