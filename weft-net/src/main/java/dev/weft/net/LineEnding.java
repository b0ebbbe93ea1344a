package dev.weft.net;

/**
 * What {@link LineReceiver#sendLine} puts after each line. Receiving always accepts both.
 *
 * {@snippet class="dev.weft.net.snippets.NetSnippets" region="lineEnding" :
 * final class Smtp extends LineReceiver {
 *   Smtp() {
 *     super(1000, LineEnding.CRLF); // the internet's text protocols want CRLF
 *   }
 *
 *   @Override
 *   protected void lineReceived(ByteBuffer line) {
 *     sendLine("250 OK"); // ends with CRLF too
 *   }
 * }
 * }
 *
 * <p>Comparison: Twisted's {@code LineReceiver.delimiter}, which is also used to split input; here
 * input is split at LF whatever this is, and a CR just before the LF is dropped.
 */
public enum LineEnding {
  /** {@code \n}, the Unix convention. */
  LF("\n"),
  /** {@code \r\n}, the convention of SMTP, HTTP and Telnet. */
  CRLF("\r\n");

  private final String text;

  LineEnding(String text) {
    this.text = text;
  }

  /** The bytes of this ending, as a string. */
  public String text() {
    return text;
  }
}
