package dev.weft.process.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.lang.invoke.SerializedLambda;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Java serialization for what crosses between processes, with a manifest of the classes written
 * and allow-list filters for reading.
 *
 * <p>Writing records every class whose descriptor goes into the stream, and for a serializable
 * lambda its capturing class: the worker then accepts exactly those classes ({@link
 * #exactly}), and the parent accepts results from the JDK's value packages, weft's, and the
 * packages the task itself came from ({@link #packages}).
 *
 * <p>Thread contract: stateless; each call uses its own streams. A {@link Filter} records the
 * last class it rejected and is used by one reading thread.
 */
public final class Codec {
  /** Packages whose serializable classes the parent accepts in any result or failure. */
  public static final Set<String> JDK_PACKAGES =
      Set.of(
          "java.lang", "java.util", "java.util.concurrent", "java.util.concurrent.atomic",
          "java.time", "java.math", "java.io", "java.nio.file", "java.lang.invoke",
          "dev.weft", "dev.weft.process");

  private static final int MAX_DEPTH = 1_000;

  private Codec() {}

  /** Serialized bytes and the names of every class in them. */
  public record Encoded(byte[] bytes, Set<String> classes) {
    /** The packages of {@link #classes} (an array counts as its element class). */
    public Set<String> packages() {
      Set<String> packages = new LinkedHashSet<>();
      for (String name : classes) {
        int start = 0;
        while (start < name.length() && name.charAt(start) == '[') {
          start++;
        }
        if (start > 0 && start < name.length() && name.charAt(start) == 'L') {
          start++; // "[Lcom.example.Point;": an array of objects
        }
        int dot = name.lastIndexOf('.');
        if (dot > start) {
          packages.add(name.substring(start, dot));
        }
      }
      return packages;
    }
  }

  /** Serializes {@code value}; a class that is not serializable throws at once. */
  public static Encoded encode(Object value) throws IOException {
    var bytes = new ByteArrayOutputStream(256);
    try (var out = new ManifestStream(bytes)) {
      out.writeObject(value);
      out.flush();
      return new Encoded(bytes.toByteArray(), Set.copyOf(out.classes));
    }
  }

  /** Deserializes {@code bytes}, checking every class against {@code filter}. */
  public static Object decode(byte[] bytes, ObjectInputFilter filter)
      throws IOException, ClassNotFoundException {
    try (var in = new LoaderStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(filter);
      return in.readObject();
    }
  }

  /**
   * A filter that accepts the named classes and array classes, the lambdas of named classes, the
   * classes of {@link #JDK_PACKAGES} (what a {@code readResolve} such as {@code List.of}'s
   * returns is checked too), and primitives.
   */
  public static Filter exactly(Collection<String> classNames) {
    Set<String> allowed = Set.copyOf(classNames);
    return new Filter(type -> allowed.contains(type.getName())
        || JDK_PACKAGES.contains(type.getPackageName())
        || type.isHidden() && allowed.contains(capturingClass(type.getName())));
  }

  /** The class a lambda's hidden class was made for: {@code a.B$$Lambda/0x...} is {@code a.B}. */
  private static String capturingClass(String hiddenName) {
    int marker = hiddenName.indexOf("$$Lambda");
    return marker < 0 ? hiddenName : hiddenName.substring(0, marker);
  }

  /** A filter that accepts classes of the named packages (and arrays of them, and primitives). */
  public static Filter packages(Set<String> packageNames) {
    Set<String> allowed = Set.copyOf(packageNames);
    return new Filter(type -> allowed.contains(type.getPackageName()));
  }

  /** A filter that accepts classes of the packages in either set, which it does not copy. */
  public static Filter packages(Set<String> packageNames, Set<String> morePackageNames) {
    return new Filter(type -> packageNames.contains(type.getPackageName())
        || morePackageNames.contains(type.getPackageName()));
  }

  /** An allow-list filter that remembers the class it rejected, for the error message. */
  public static final class Filter implements ObjectInputFilter {
    private final java.util.function.Predicate<Class<?>> allowed;
    private String rejected;

    Filter(java.util.function.Predicate<Class<?>> allowed) {
      this.allowed = allowed;
    }

    @Override
    public Status checkInput(FilterInfo info) {
      if (info.depth() > MAX_DEPTH) {
        rejected = "a graph deeper than " + MAX_DEPTH;
        return Status.REJECTED;
      }
      Class<?> type = info.serialClass();
      if (type == null) {
        return Status.ALLOWED;
      }
      Class<?> element = type;
      while (element.isArray()) {
        element = element.getComponentType();
      }
      if (element.isPrimitive() || allowed.test(type) || allowed.test(element)) {
        return Status.ALLOWED;
      }
      rejected = type.getName();
      return Status.REJECTED;
    }

    /** The class last rejected, or null. */
    public String rejected() {
      return rejected;
    }
  }

  /** Records each class written, and the capturing class of each serializable lambda. */
  private static final class ManifestStream extends ObjectOutputStream {
    final Set<String> classes = new LinkedHashSet<>();

    ManifestStream(OutputStream out) throws IOException {
      super(out);
      enableReplaceObject(true);
    }

    @Override
    protected void annotateClass(Class<?> type) {
      classes.add(type.getName());
    }

    @Override
    protected Object replaceObject(Object object) {
      if (object instanceof SerializedLambda lambda) {
        classes.add(lambda.getCapturingClass().replace('/', '.'));
      }
      return object;
    }
  }

  /** Resolves classes with the context class loader when the default loader cannot. */
  private static final class LoaderStream extends ObjectInputStream {
    LoaderStream(InputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      try {
        return super.resolveClass(desc);
      } catch (ClassNotFoundException notFound) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context == null) {
          throw notFound;
        }
        return Class.forName(desc.getName(), false, context);
      }
    }
  }

  /** True if {@code error} is the filter's rejection. */
  public static boolean isRejection(Exception error) {
    return error instanceof InvalidClassException invalid
        && invalid.getMessage() != null
        && invalid.getMessage().contains("REJECTED");
  }
}
