package dev.weft.process.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.List;

/**
 * The framing of the messages between the parent and a worker, over the worker's stdin (parent to
 * worker) and the worker's original stdout (worker to parent; the worker's {@code System.out}
 * is sent to its stderr so user output cannot corrupt the channel).
 *
 * <p>Every message is one frame: a type byte, a task id, a count and that many modified-UTF
 * strings, then a length and that many bytes of body. The reader checks the magic of the first
 * frame ({@link #HELLO}) so a channel that carries something else fails clearly.
 *
 * <p>Thread contract: a stream is written by one thread at a time (the caller that holds the
 * worker, or the worker's task thread) and read by one thread (the parent's reader thread, or the
 * worker's main thread).
 */
public final class Wire {
  /** Parent to worker: run the task in the body; the strings are the classes it may contain. */
  public static final byte TASK = 'T';
  /** Parent to worker: exit now. */
  public static final byte STOP = 'S';
  /** Worker to parent, first frame: ready; the strings are the magic and the worker's pid. */
  public static final byte HELLO = 'H';
  /** Worker to parent: the task returned the serialized value in the body. */
  public static final byte VALUE = 'V';
  /** Worker to parent: the task threw the serialized throwable in the body. */
  public static final byte THROWN = 'F';
  /** Worker to parent: the task, its value or its failure could not cross; strings say why. */
  public static final byte UNSENDABLE = 'U';
  /** Worker to parent: the worker is dying of the error named in the strings. */
  public static final byte FATAL = 'X';
  /** Never on the wire: what the parent's reader makes of the end of the channel. */
  public static final byte DIED = 'D';

  public static final String MAGIC = "weft-worker/1";
  private static final int MAX_BODY = Integer.MAX_VALUE - 64;
  private static final int MAX_STRINGS = 1 << 16;
  private static final byte[] EMPTY = new byte[0];

  private Wire() {}

  /** One frame. */
  public record Message(byte type, long id, List<String> strings, byte[] body) {
    public Message {
      strings = List.copyOf(strings);
    }

    public static Message of(byte type, long id, String... strings) {
      return new Message(type, id, List.of(strings), EMPTY);
    }

    public String string(int index) {
      return strings.get(index);
    }
  }

  /** Writes and flushes {@code message}. */
  public static void write(DataOutputStream out, Message message) throws IOException {
    out.writeByte(message.type());
    out.writeLong(message.id());
    out.writeInt(message.strings().size());
    for (String s : message.strings()) {
      out.writeUTF(s);
    }
    out.writeInt(message.body().length);
    out.write(message.body());
    out.flush();
  }

  /** Reads one frame; {@link java.io.EOFException} at the end of the channel. */
  public static Message read(DataInputStream in) throws IOException {
    byte type = in.readByte();
    long id = in.readLong();
    int count = in.readInt();
    if (count < 0 || count > MAX_STRINGS) {
      throw new StreamCorruptedException("frame string count must be in [0, " + MAX_STRINGS + "]: " + count);
    }
    List<String> strings = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      strings.add(in.readUTF());
    }
    int length = in.readInt();
    if (length < 0 || length > MAX_BODY) {
      throw new StreamCorruptedException("frame body length must be in [0, " + MAX_BODY + "]: " + length);
    }
    byte[] body = length == 0 ? EMPTY : in.readNBytes(length);
    if (body.length != length) {
      throw new java.io.EOFException("frame body cut short: " + body.length + " of " + length + " bytes");
    }
    return new Message(type, id, strings, body);
  }
}
