package dev.weft.cli.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputNamesTest {

  private static String name(String url) {
    return OutputNames.safeName(URI.create(url));
  }

  @Test
  void nameIsTheLastPathSegmentWithoutTheQuery() {
    assertThat(name("http://h/flags/ad.gif?size=big#top")).isEqualTo("ad.gif");
    assertThat(name("http://h/a%20b.txt")).isEqualTo("a b.txt");
  }

  @Test
  void hostileNamesBecomePlainNamesInsideTheDirectory() {
    assertThat(name("http://h/x/..%2F..%2Fetc%2Fpasswd")).isEqualTo(".._.._etc_passwd");
    assertThat(name("http://h/x/%2Fetc%2Fpasswd")).isEqualTo("_etc_passwd");
    assertThat(name("http://h/x/..%5C..%5Cwin.ini")).isEqualTo(".._.._win.ini");
    assertThat(name("http://h/x/%2e%2e")).isEqualTo("__");
    assertThat(name("http://h/x/.")).isEqualTo("_");
    assertThat(name("http://h/x/a%00b%0Ac%1B.txt")).isEqualTo("a_b_c_.txt");
    assertThat(name("http://h/x/C:evil")).isEqualTo("C_evil");
    assertThat(name("http://h/")).isEqualTo("index.html");
    assertThat(name("http://h")).isEqualTo("index.html");
  }

  @Test
  void escapedPercentSignsDecodeOnce() {
    assertThat(name("http://h/100%25")).isEqualTo("100%");
    assertThat(name("http://h/100%252F")).isEqualTo("100%2F");
  }

  @Test
  void longNamesAreCutKeepingTheExtension() {
    String name = name("http://h/" + "x".repeat(300) + ".gif");
    assertThat(name).hasSize(200).endsWith("x.gif");
  }

  @Test
  void collisionsAreNumberedInInputOrderIgnoringCase() {
    List<URI> uris = List.of(URI.create("http://a/x.gif"), URI.create("http://b/x.gif"), URI.create("http://c/X.GIF"), URI.create("http://d/x"),
        URI.create("http://e/x"));

    assertThat(OutputNames.assign(uris)).containsExactly("x.gif", "x.1.gif", "X.2.GIF", "x", "x.1");
  }

  @Test
  void aNumberedNameThatIsTakenMovesOn() {
    List<URI> uris = List.of(URI.create("http://a/x.1.gif"), URI.create("http://b/x.gif"), URI.create("http://c/x.gif"));

    assertThat(OutputNames.assign(uris)).containsExactly("x.1.gif", "x.gif", "x.2.gif");
  }
}
