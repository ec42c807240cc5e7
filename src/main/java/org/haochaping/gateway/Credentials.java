package org.haochaping.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;
import org.haochaping.gateway.store.PersonalDataCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets the gateway needs on a machine where nobody configured any: written once to
 * {@code <data>/credentials.properties} (mode 0600) on first start, read back afterwards —
 * an admin token, a demo client, the data key that seals personal data unless
 * {@code HCP_DATA_KEY} supplies one, and the account of the built-in SMSC simulator.
 */
public final class Credentials {

  private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);
  public static final String FILE = "credentials.properties";

  private final Properties values;

  private Credentials(Properties values) {
    this.values = values;
  }

  public static Credentials loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    Properties p = new Properties();
    try {
      Files.createDirectories(dataDir);
      if (Files.exists(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          p.load(in);
        }
      }
      boolean changed = false;
      changed |= putIfAbsent(p, "admin.token", token(32));
      changed |= putIfAbsent(p, "client.demo.appKey", "demo");
      changed |= putIfAbsent(p, "client.demo.secret", token(24));
      changed |= putIfAbsent(p, "data.key", PersonalDataCipher.newKey());
      // the built-in SMSC simulator's account (SMPP 3.4: system_id <= 15, password <= 8 characters)
      changed |= putIfAbsent(p, "smsc.sim.systemId", "hcpgw");
      changed |= putIfAbsent(p, "smsc.sim.password", token(4));
      if (changed) {
        write(file, p);
        LOG.info("Generated credentials in {} (admin token, demo client, data key); keep this file secret", file);
      }
      return new Credentials(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }

  public String get(String key) {
    return values.getProperty(key);
  }

  private static boolean putIfAbsent(Properties p, String key, String value) {
    if (p.getProperty(key) == null || p.getProperty(key).isBlank()) {
      p.setProperty(key, value);
      return true;
    }
    return false;
  }

  private static void write(Path file, Properties p) throws IOException {
    Path tmp = file.resolveSibling(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
      p.store(out, "haochaping-gateway generated credentials - keep secret");
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String token(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
