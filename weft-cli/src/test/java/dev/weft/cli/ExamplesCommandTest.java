package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

@ResourceLock(Resources.SYSTEM_OUT)
class ExamplesCommandTest {

  @Test
  void listsEveryExampleWithWhatItShows() {
    CliRun run = CliRun.of("examples");

    assertThat(run.status()).isZero();
    for (ExamplesCommand.Example example : ExamplesCommand.EXAMPLES) {
      assertThat(run.out())
          .containsPattern("(?m)^  " + example.name() + " +" + Pattern.quote(example.summary()));
    }
  }

  @Test
  void runsAnExampleByNameWithItsArguments() {
    CliRun run = CliRun.of("examples", "spawn-join-all", "50");

    assertThat(run.status()).isZero();
    assertThat(run.out()).contains("50 tasks waited 100 ms each");
  }

  @Test
  void unknownExampleIsAUsageErrorListingTheKnownOnes() {
    CliRun run = CliRun.of("examples", "nope");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("no example named nope; known: [spawn-join-all, as-completed");
  }
}
