package org.haochaping.gateway;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The files directly in a folder of the gateway's own classpath entry (the fat jar, or the classes
 * directory in a build), by name — read from the jar's central directory or the directory itself.
 * Camel's wildcard resource scan walks every entry of every classpath element instead, which in
 * the 85 MB fat jar costs most of a second at each start-up.
 */
public final class ClasspathFolder {

  private ClasspathFolder() {}

  /**
   * @param folder e.g. {@code routes} (no leading or trailing slash)
   * @param suffix e.g. {@code .camel.yaml}
   * @return the paths relative to the classpath root ({@code routes/ledger.camel.yaml}), sorted; empty
   *     when the folder is not in the gateway's classpath entry
   */
  public static List<String> list(String folder, String suffix) throws IOException {
    Path home = home();
    List<String> out = new ArrayList<>();
    if (Files.isDirectory(home)) {
      Path dir = home.resolve(folder);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.list(dir)) {
          files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(suffix)).forEach(n -> out.add(folder + "/" + n));
        }
      }
    } else {
      String prefix = folder + "/";
      try (JarFile jar = new JarFile(home.toFile())) {
        for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
          String n = e.getName();
          if (!e.isDirectory() && n.startsWith(prefix) && n.endsWith(suffix) && n.indexOf('/', prefix.length()) < 0) {
            out.add(n);
          }
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Whether the gateway runs from its fat jar (not from a build's classes directory). */
  public static boolean inJar() {
    return !Files.isDirectory(home());
  }

  private static Path home() {
    try {
      URL location = ClasspathFolder.class.getProtectionDomain().getCodeSource().getLocation();
      return Path.of(location.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the gateway's classpath entry", e);
    }
  }
}
