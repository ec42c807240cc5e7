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
 * {@code HCP_DATA_KEY} supplies one, the password of the gateway's own MQTT clients on the
 * embedded broker (user {@code hcp-gateway}), and the account of the built-in SMSC simulator.
 */
public final class Credentials {

  private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);
  public static final String FILE = "credentials.properties";

  private final Path file;
  private final Properties values;

  private Credentials(Path file, Properties values) {
    this.file = file;
    this.values = values;
  }

  /**
   * Production: secrets come from the environment only; nothing is generated or written, and a
   * missing one stops the start with a message naming it.
   */
  public static Credentials fromEnvironment(GatewaySettings s) {
    java.util.List<String> missing = new java.util.ArrayList<>();
    if (s.dataKey().isBlank()) {
      missing.add("HCP_DATA_KEY (Base64 of 32 random bytes: openssl rand -base64 32)");
    }
    if (s.adminToken().length() < 24) {
      missing.add("HCP_ADMIN_TOKEN (at least 24 characters: openssl rand -hex 24)");
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("HCP_DEPLOYMENT=production 不接受默认或生成的密钥，缺少 / refuses default or generated "
          + "secrets; missing: " + String.join("; ", missing));
    }
    Properties p = new Properties();
    p.setProperty("admin.token", s.adminToken());
    p.setProperty("data.key", s.dataKey());
    // The password between the gateway's own MQTT clients and its embedded broker never leaves this
    // process: a fresh one per start. (An external or broker-mode MQTT login comes from HCP_MQTT_PASSWORD.)
    p.setProperty("mqtt.gateway.password", token(24));
    return new Credentials(null, p);
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
      changed |= putIfAbsent(p, "mqtt.gateway.password", token(24));
      // the built-in SMSC simulator's account (SMPP 3.4: system_id <= 15, password <= 8 characters)
      changed |= putIfAbsent(p, "smsc.sim.systemId", "hcpgw");
      changed |= putIfAbsent(p, "smsc.sim.password", token(4));
      if (changed) {
        write(file, p);
        LOG.info("Generated credentials in {} (admin token, demo client, data key, MQTT password); keep this file secret", file);
      }
      return new Credentials(file, p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }

  public synchronized String get(String key) {
    return values.getProperty(key);
  }

  /**
   * The value of {@code key}; on first use made by {@code generator} and written to the file (a
   * module's own generated secret, e.g. the built-in province simulator's keys).
   */
  public synchronized String getOrCreate(String key, java.util.function.Supplier<String> generator) {
    String value = values.getProperty(key);
    if (value != null && !value.isBlank()) {
      return value;
    }
    if (file == null) {
      throw new IllegalStateException("HCP_DEPLOYMENT=production 不生成密钥 / generates no secret: " + key
          + " must be configured (the built-in simulators do not run in production)");
    }
    values.setProperty(key, generator.get());
    try {
      write(file, values);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    LOG.info("Generated {} in {}; keep this file secret", key, file);
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
