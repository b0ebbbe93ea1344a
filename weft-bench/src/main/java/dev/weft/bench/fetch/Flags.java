package dev.weft.bench.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The benchmark set of the downloader comparison: {@link #COUNT} files named {@code NNNN.gif}
 * under {@code /flags/}, with deterministic contents, of which 5% answer 404, 2% answer 500 and a
 * few stall half-way through their body. Server and checker both derive everything from the index.
 */
final class Flags {
  static final int COUNT = 2000;
  static final int NOT_FOUND = 100;
  static final int SERVER_ERROR = 40;
  static final int STALLS = 4;

  private Flags() {}

  static String name(int index) {
    return String.format("%04d.gif", index);
  }

  static String path(int index) {
    return "/flags/" + name(index);
  }

  /** 404 for one file in 20, 500 for one in 50 (the two never coincide), else 200. */
  static int status(int index) {
    if (index % 20 == 7) {
      return 404;
    }
    if (index % 50 == 13) {
      return 500;
    }
    return 200;
  }

  /** Whether the server pauses in the middle of this file's body. */
  static boolean stalls(int index) {
    return index % 500 == 99;
  }

  /** The bytes of file {@code index}: 0.5 to 16 KiB mostly, 256 KiB for one file in 500. */
  static byte[] content(int index) {
    var random = new SplittableRandom(index * 0x9E3779B97F4A7C15L);
    int size = index % 500 == 250 ? 256 * 1024 : 512 + random.nextInt(16 * 1024 - 512);
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    bytes[0] = 'G';
    bytes[1] = 'I';
    bytes[2] = 'F';
    return bytes;
  }

  /**
   * Checks a download directory: every 200 file present and byte-identical, no file for an
   * error status; returns the number of problems, printing each.
   */
  static int check(Path dir) throws IOException {
    int problems = 0;
    for (int i = 0; i < COUNT; i++) {
      Path file = dir.resolve(name(i));
      boolean present = Files.exists(file);
      if (status(i) != 200) {
        if (present && Files.size(file) > 0) {
          System.err.println("error file saved: " + file);
          problems++;
        }
      } else if (!present) {
        System.err.println("missing: " + file);
        problems++;
      } else if (!Arrays.equals(Files.readAllBytes(file), content(i))) {
        System.err.println("different: " + file + " (" + Files.size(file) + " bytes)");
        problems++;
      }
    }
    return problems;
  }
}
