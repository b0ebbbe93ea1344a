package dev.weft.cli.fetch;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The units {@code weft fetch} options are written in: durations, sizes and rates. */
final class Converters {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?");
  private static final Pattern RATE = Pattern.compile("(\\d+)\\s*(?:/\\s*(s|sec|m|min))?");

  private Converters() {}

  /** {@code 500ms}, {@code 2s}, {@code 1.5} (seconds, as curl's {@code -m}), {@code 1m}, {@code PT2S}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return duration(value);
    }
  }

  /** {@code 1048576}, {@code 512K}, {@code 10M}, {@code 1GiB}. */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return size(value);
    }
  }

  /** {@code 20/s}, {@code 600/m}, {@code 20} (per second). */
  static final class RateConverter implements ITypeConverter<FetchPlan.Rate> {
    @Override
    public FetchPlan.Rate convert(String value) {
      return rate(value);
    }
  }

  static Duration duration(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    if (text.startsWith("pt")) {
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("not a duration (500ms, 2s, 1m): " + value);
      }
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new TypeConversionException("not a duration (500ms, 2s, 1m): " + value);
    }
    long nanosPerUnit = switch (m.group(2) == null ? "s" : m.group(2)) {
      case "ms" -> 1_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> 1_000_000_000L;
    };
    return Duration.ofNanos(times(m.group(1), nanosPerUnit, value));
  }

  static long size(String value) {
    Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException("not a size (1048576, 512K, 10M, 1G): " + value);
    }
    int shift = m.group(2).isEmpty() ? 0 : "kmgt".indexOf(m.group(2)) + 1;
    return times(m.group(1), 1L << (10 * shift), value);
  }

  /**
   * {@code decimal} (digits, perhaps a dot and more digits) times {@code unit}, the fraction cut
   * after six digits (a microsecond of a second, a millionth of a kibibyte). Plain long arithmetic:
   * BigDecimal's class initialisation alone took 25 ms of every start of the command.
   *
   * @throws TypeConversionException when the result does not fit in a long
   */
  private static long times(String decimal, long unit, String value) {
    int dot = decimal.indexOf('.');
    String whole = dot < 0 ? decimal : decimal.substring(0, dot);
    String fraction = dot < 0 ? "" : decimal.substring(dot + 1);
    fraction = (fraction + "000000").substring(0, 6);
    try {
      return Math.addExact(Math.multiplyExact(Long.parseLong(whole), unit), Long.parseLong(fraction) * unit / 1_000_000);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new TypeConversionException("too large: " + value);
    }
  }

  static FetchPlan.Rate rate(String value) {
    Matcher m = RATE.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches() || m.group(1).length() > 9 || Integer.parseInt(m.group(1)) == 0) {
      throw new TypeConversionException("not a rate > 0 (20/s, 600/m): " + value);
    }
    boolean perMinute = m.group(2) != null && m.group(2).startsWith("m");
    return new FetchPlan.Rate(Integer.parseInt(m.group(1)), perMinute ? Duration.ofMinutes(1) : Duration.ofSeconds(1));
  }
}
