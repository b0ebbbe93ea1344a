package dev.weft.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The line mechanics of HTTP/1.1 (RFC 9112) that {@link RequestParser} and {@link ResponseParser}
 * share: a CRLF line gathered into one array sized by the {@link Limits} however its bytes arrive
 * (copied in bulk, once), the header and trailer fields it carries checked and collected, and the
 * chunk-size line of a chunked body. Each parser keeps its state machine, its start line (read
 * from {@link #line()}) and its framing. Not thread-safe: owned by its parser.
 *
 * <h2>How refusals travel</h2>
 *
 * Thrown from here as the parser's own exception, made by the {@link Refusal} it passed in: {@code
 * HttpException} with its status for requests, {@code ProtocolException} for responses. {@code E}
 * is only a compile-time type, so an accepted line costs nothing: no allocation, no wrapper, no
 * try/catch, and the refusal's virtual call is made only when refusing. One internal exception
 * converted at each parser's boundary would allocate two exceptions per refusal and need a catch
 * at each of the parsers' entry points.
 */
final class LineReader<E extends Exception> {
  /** Makes a parser's exception for a refusal: the status a server answers with, and the message. */
  @FunctionalInterface
  interface Refusal<E extends Exception> {
    E refused(int status, String message);
  }

  /** Who sends the messages read: it decides the few rules and words in which the parsers differ. */
  enum Sender {
    /**
     * A client, whose requests a server reads: refusals quote whole lines, chunk extensions must be
     * text, and a body's chunks add up to {@link Limits#maxBodySize()} at most (413 beyond).
     */
    CLIENT,
    /**
     * A server, whose responses a client reads: refusals quote 100 bytes of a field line and 40 of a
     * chunk-size line, a section too long is reported with the room its earlier lines left, and
     * chunk extensions are skipped unchecked.
     */
    SERVER
  }

  private final Limits limits;
  private final Refusal<E> refusal;
  private final Sender sender;
  private final byte[] line;
  private int gathered; // bytes of a line whose LF has not arrived yet
  private final List<String> fields = new ArrayList<>();
  private final String[] lastFields = new String[32]; // earlier messages' field strings by position, for reuse
  private int fieldBytes;
  private long chunkBytes; // bytes of the chunks announced since clear()

  LineReader(Limits limits, Refusal<E> refusal, Sender sender) {
    this.limits = limits;
    this.refusal = refusal;
    this.sender = sender;
    this.line = new byte[Math.max(Math.max(limits.maxRequestLine(), limits.maxHeaderSize()), Limits.MAX_CHUNK_LINE) + 1];
  }

  /** The array lines are read into: the last one's bytes from 0 to the length its read returned. */
  byte[] line() {
    return line;
  }

  /** The fields collected since {@link #clear()}: names at even indexes, values at odd ones. */
  List<String> fields() {
    return fields;
  }

  /** Forgets the fields, any partial line and the chunks counted: for the next section or message. */
  void clear() {
    fields.clear();
    fieldBytes = 0;
    gathered = 0;
    chunkBytes = 0;
  }

  /**
   * Moves a request or status line ({@code what}) into {@link #line()}: its length without CRLF, or
   * -1 until it ends. Longer than {@link Limits#maxRequestLine()} is refused with {@code status}.
   */
  int readStartLine(ByteBuffer in, int status, String what) throws E {
    return readLine(in, limits.maxRequestLine(), status, what, limits.maxRequestLine());
  }

  /**
   * Moves the next line of {@code in} into {@link #line()}; returns its length without CRLF, or -1
   * if its end has not arrived (what there is stays gathered). A line longer than {@code max} is
   * refused with {@code status} as soon as it is seen to be, not when it ends; the message says
   * {@code what} is longer than {@code reported} bytes.
   */
  private int readLine(ByteBuffer in, int max, int status, String what, int reported) throws E {
    int start = in.position();
    int limit = in.limit();
    int i = start;
    while (i < limit && in.get(i) != '\n') {
      i++;
    }
    int total = gathered + (i - start);
    if (total > max + 1) {
      throw refusal.refused(status, what + " longer than " + reported + " bytes");
    }
    in.get(start, line, gathered, i - start);
    gathered = total;
    if (i == limit) {
      in.position(limit);
      return -1;
    }
    in.position(i + 1);
    gathered = 0;
    if (total == 0 || line[total - 1] != '\r') {
      throw refusal.refused(400, what + " ended by a bare LF");
    }
    return total - 1;
  }

  /**
   * Reads the field lines of a header or trailer section ({@code what}) into {@link #fields()}:
   * true once the empty line that ends it has arrived, false when {@code in} is used up first.
   */
  boolean readFields(ByteBuffer in, String what) throws E {
    while (true) {
      int room = limits.maxHeaderSize() - fieldBytes;
      int length = readLine(in, room, 431, what, sender == Sender.SERVER ? room : limits.maxHeaderSize());
      if (length <= 0) {
        return length == 0;
      }
      field(length);
    }
  }

  /**
   * Reads a chunk-size line: the size it announces (extensions skipped), or -1 until it ends. 413
   * beyond 15 hexadecimal digits, 400 without one or with anything but whitespace before extensions.
   */
  long readChunkSize(ByteBuffer in) throws E {
    int length = readLine(in, Limits.MAX_CHUNK_LINE, 400, "chunk size line", Limits.MAX_CHUNK_LINE);
    if (length < 0) {
      return -1;
    }
    long size = 0;
    int i = 0;
    for (; i < length && Syntax.hex(line[i]) >= 0; i++) {
      if (i >= 15) {
        throw refusal.refused(413, "chunk size too large: " + quote(length, 40));
      }
      size = size * 16 + Syntax.hex(line[i]);
    }
    if (i == 0) {
      throw refusal.refused(400, "chunk size is not hexadecimal: " + quote(length, 40));
    }
    while (i < length && (line[i] == ' ' || line[i] == '\t')) {
      i++;
    }
    if (i < length && line[i] != ';') {
      throw refusal.refused(400, "chunk size followed by something other than an extension: " + quote(length, 40));
    }
    if (sender == Sender.CLIENT && !isText(i, length)) {
      throw refusal.refused(400, "chunk extension has a control character");
    }
    if (sender == Sender.CLIENT && size > limits.maxBodySize() - chunkBytes) {
      throw refusal.refused(413, "request body longer than " + limits.maxBodySize() + " bytes");
    }
    chunkBytes += size;
    return size;
  }

  /** Reads the CRLF after a chunk's data: whether it has arrived. */
  boolean readChunkEnd(ByteBuffer in) throws E {
    return readLine(in, 0, 400, "chunk data", 0) >= 0;
  }

  /**
   * Checks the field line of {@code length} bytes and adds its name and trimmed value to {@link
   * #fields()}: 431 past the limits, 400 for folding, a missing or invalid name, or a control
   * character in the value.
   */
  private void field(int length) throws E {
    if (fields.size() / 2 >= limits.maxHeaderCount()) {
      throw refusal.refused(431, "more than " + limits.maxHeaderCount() + " header fields");
    }
    fieldBytes += length + 2;
    if (fieldBytes > limits.maxHeaderSize()) {
      throw refusal.refused(431, "header section longer than " + limits.maxHeaderSize() + " bytes");
    }
    if (line[0] == ' ' || line[0] == '\t') {
      throw refusal.refused(400, "obsolete line folding in a header field");
    }
    int colon = indexOf(':', 0, length);
    if (colon <= 0) {
      throw refusal.refused(400, "header field has no name: " + quote(length, 100));
    }
    for (int i = 0; i < colon; i++) {
      if (!Syntax.isToken(line[i])) {
        throw refusal.refused(400, "header field name has a space or invalid character: " + text(0, colon));
      }
    }
    int from = colon + 1;
    int to = length;
    while (from < to && (line[from] == ' ' || line[from] == '\t')) {
      from++;
    }
    while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
      to--;
    }
    for (int i = from; i < to; i++) {
      int b = line[i] & 0xff;
      if ((b < ' ' && b != '\t') || b == 0x7f) {
        throw refusal.refused(400, "header field " + text(0, colon) + " has a control character (" + b + ")");
      }
    }
    int index = fields.size();
    if (index + 1 < lastFields.length) {
      fields.add(lastFields[index] = reuse(lastFields[index], 0, colon));
      fields.add(lastFields[index + 1] = reuse(lastFields[index + 1], from, to));
    } else {
      fields.add(text(0, colon));
      fields.add(text(from, to));
    }
  }

  /** Whether the line from {@code from} to {@code to} is printable ASCII, spaces and tabs only. */
  boolean isText(int from, int to) {
    for (int i = from; i < to; i++) {
      if ((line[i] < ' ' && line[i] != '\t') || line[i] == 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** Whether the line starts with {@code ascii}, compared without making a string of the line. */
  boolean startsWith(String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (line[i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  int indexOf(char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (line[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** {@code previous} if it holds exactly the bytes of the line from {@code from} to {@code to}, else a new string of them. */
  String reuse(String previous, int from, int to) {
    if (previous != null && previous.length() == to - from) {
      int i = from;
      while (i < to && line[i] == (byte) previous.charAt(i - from)) {
        i++;
      }
      if (i == to) {
        return previous;
      }
    }
    return text(from, to);
  }

  /** The bytes of the line from {@code from} to {@code to} as text, one char per byte. */
  String text(int from, int to) {
    return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
  }

  /** The line's first {@code length} bytes to quote in a refusal: all of them from a client, an excerpt from a server. */
  private String quote(int length, int excerpt) {
    return text(0, sender == Sender.CLIENT ? length : Math.min(length, excerpt));
  }
}
