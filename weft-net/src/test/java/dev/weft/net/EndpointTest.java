package dev.weft.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {

  @Test
  void aBarePortBindsLoopbackWithALargeBacklog() {
    assertThat(Endpoint.parse("tcp:7001")).isEqualTo(new Endpoint("127.0.0.1", 7001, 4096));
  }

  @Test
  void interfaceAndBacklogAreOptions() {
    assertThat(Endpoint.parse("tcp:7001:interface=0.0.0.0")).isEqualTo(new Endpoint("0.0.0.0", 7001, 4096));
    assertThat(Endpoint.parse("tcp:7001:backlog=1024")).isEqualTo(new Endpoint("127.0.0.1", 7001, 1024));
    assertThat(Endpoint.parse("tcp:port=7001:interface=10.1.2.3:backlog=8")).isEqualTo(new Endpoint("10.1.2.3", 7001, 8));
  }

  @Test
  void clientsNameHostAndPort() {
    assertThat(Endpoint.parse("tcp:host=example.org:port=80")).isEqualTo(new Endpoint("example.org", 80, 4096));
    assertThat(Endpoint.parse("tcp:example.org:80")).isEqualTo(new Endpoint("example.org", 80, 4096));
  }

  @Test
  void describeRoundTrips() {
    Endpoint endpoint = new Endpoint("10.0.0.1", 99, 17);
    assertThat(Endpoint.parse(endpoint.describe())).isEqualTo(endpoint);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "udp:53|endpoint must start with tcp: \"udp:53\"",
        "tcp|endpoint must start with tcp: \"tcp\"",
        "tcp:|endpoint has an empty field: \"tcp:\"",
        "tcp:abc|port must be a number: \"abc\" in \"tcp:abc\"",
        "tcp:interface=0.0.0.0|endpoint has no port: \"tcp:interface=0.0.0.0\"",
        "tcp:70000|port must be 0..65535: 70000",
        "tcp:x:y|port must be a number: \"y\" in \"tcp:x:y\"",
        "tcp:7001:color=red|unknown endpoint option: \"color=red\" in \"tcp:7001:color=red\"",
        "tcp:7001:backlog=0|backlog must be > 0: 0",
        "tcp:7001:backlog=|endpoint option has no value: \"backlog=\" in \"tcp:7001:backlog=\"",
        "tcp:7001:port=7002|endpoint option given twice: port in \"tcp:7001:port=7002\"",
        "tcp:a:1:2|endpoint has too many positional fields: \"tcp:a:1:2\"",
      })
  void malformedStringsAreRejectedWithTheRuleAndTheValue(String text, String message) {
    assertThatThrownBy(() -> Endpoint.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void emptyTextIsRejected() {
    assertThatThrownBy(() -> Endpoint.parse(" ")).hasMessage("endpoint must not be empty: \" \"");
  }

  @Test
  void optionsCheckTheirValues() {
    assertThatThrownBy(() -> ConnectionOptions.defaults().withMaxConnections(0))
        .hasMessage("maxConnections must be > 0: 0");
    assertThatThrownBy(() -> ConnectionOptions.defaults().withWaterMarks(10, 5))
        .hasMessage("water marks must be 0 <= low <= high: low=10 high=5");
    assertThatThrownBy(() -> ConnectionOptions.defaults().withIdleTimeout(java.time.Duration.ofSeconds(-1)))
        .hasMessage("idleTimeout must be >= 0: PT-1S");
    assertThatThrownBy(() -> ReactorOptions.defaults().withLoops(0)).hasMessage("loops must be > 0: 0");
  }
}
