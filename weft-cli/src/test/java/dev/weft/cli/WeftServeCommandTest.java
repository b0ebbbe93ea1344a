package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeftServeCommandTest {
  @Test
  void serveHttpIsRegisteredWithHelp() {
    assertThat(Weft.run("serve", "http", "--help")).isZero();
  }

  @Test
  void serveHttpWithoutPortIsAUsageError() {
    assertThat(Weft.run("serve", "http")).isEqualTo(2);
  }
}
