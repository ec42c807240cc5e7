package org.haochaping.gateway.broker;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.haochaping.gateway.Credentials;
import org.haochaping.gateway.channel.evaluator.DeviceAccess;
import org.haochaping.gateway.channel.evaluator.DeviceRegistry;
import org.haochaping.gateway.channel.evaluator.EvaluatorTopics;
import org.haochaping.gateway.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broker-only mode ({@code java -jar haochaping-gateway.jar broker}): the same Artemis broker a
 * gateway embeds, with the same journal layout and address settings, and nothing else — the shared
 * broker of several gateway nodes (docs/deployment.md). Configured by environment variables:
 *
 * <ul>
 *   <li>{@code HCP_DATA_DIR} — the journal goes under {@code <data>/broker};
 *   <li>{@code HCP_BROKER_CORE_ACCEPTOR} — default {@code tcp://0.0.0.0:61616} (other machines connect);
 *   <li>{@code HCP_BROKER_USER}, {@code HCP_BROKER_PASSWORD} — the login every core client (the
 *       gateway nodes) must give; anonymous core connections are refused. Required with
 *       {@code HCP_DEPLOYMENT=production}; in demo mode generated into {@code <data>/credentials.properties};
 *   <li>{@code HCP_MQTT_HOST}, {@code HCP_MQTT_PORT} (default 1883, -1: none) — the evaluators' MQTT
 *       acceptor. Devices log in against the shared device registry, so it needs {@code HCP_DB_URL}
 *       ({@code HCP_DB_USER}, {@code HCP_DB_PASSWORD}); the gateway nodes' own MQTT clients log in as
 *       {@code HCP_MQTT_USER} (default {@code hcp-gateway}) with {@code HCP_MQTT_PASSWORD};
 *   <li>{@code HCP_BROKER_MIN_DISK_FREE_MB} — below this free disk the broker blocks senders (1024).
 * </ul>
 */
public final class StandaloneBroker {

  private static final Logger LOG = LoggerFactory.getLogger(StandaloneBroker.class);

  /** The broker user in demo mode when {@code HCP_BROKER_USER} is empty. */
  static final String DEMO_USER = "hcp-node";

  private final Map<String, String> env;

  public StandaloneBroker(Map<String, String> env) {
    this.env = env;
  }

  /**
   * A started broker-only node: the broker, and the device registry's database it holds open for
   * MQTT logins (null without an MQTT acceptor). Closing it stops both.
   */
  public record Running(EmbeddedBroker broker, Database database) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      try {
        broker.close();
      } finally {
        if (database != null) {
          database.close();
        }
      }
    }
  }

  /** Starts the broker, waits for SIGTERM (or Ctrl-C), stops it cleanly. */
  public int run() throws Exception {
    Running running = start();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      LOG.info("Stopping the broker (signal received)");
      try {
        running.close();
      } catch (Exception e) {
        LOG.warn("Broker did not stop cleanly: {}", e.toString());
      }
      stopped.countDown();
    }, "hcp-broker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
    return 0;
  }

  /**
   * Starts the broker as configured and returns at once; the caller stops it. {@link #run()} uses
   * it, and so does the test suite's external-broker mode (GatewayTestSupport), which thereby tests
   * this very set-up.
   */
  public Running start() throws Exception {
    boolean production = "production".equalsIgnoreCase(get("HCP_DEPLOYMENT", "demo"));
    Path dataDir = Path.of(get("HCP_DATA_DIR", "./data"));
    String coreAcceptor = get("HCP_BROKER_CORE_ACCEPTOR", "tcp://0.0.0.0:61616");
    if (coreAcceptor.equals("none")) {
      throw new IllegalArgumentException("HCP_BROKER_CORE_ACCEPTOR=none: a broker-only node without a core acceptor serves nobody");
    }
    int mqttPort = integer("HCP_MQTT_PORT", 1883);
    String dbUrl = get("HCP_DB_URL", "");

    List<String> missing = new ArrayList<>();
    String user = get("HCP_BROKER_USER", "");
    String password = get("HCP_BROKER_PASSWORD", "");
    String mqttUser = get("HCP_MQTT_USER", EvaluatorTopics.GATEWAY_USER);
    String mqttPassword = get("HCP_MQTT_PASSWORD", "");
    if (production) {
      if (user.isBlank() || password.length() < 16) {
        missing.add("HCP_BROKER_USER and HCP_BROKER_PASSWORD (at least 16 characters: openssl rand -hex 24)");
      }
      if (mqttPort >= 0 && mqttPassword.length() < 16) {
        missing.add("HCP_MQTT_PASSWORD (the gateway nodes' MQTT login, at least 16 characters), or HCP_MQTT_PORT=-1");
      }
      if (mqttPort >= 0 && dbUrl.isBlank()) {
        missing.add("HCP_DB_URL (evaluators log in against the shared device registry), or HCP_MQTT_PORT=-1");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("HCP_DEPLOYMENT=production 不接受默认或生成的密钥，缺少 / refuses default or generated "
            + "secrets; missing: " + String.join("; ", missing));
      }
    } else if (user.isBlank() || password.isBlank() || (mqttPort >= 0 && mqttPassword.isBlank())) {
      // Demo: never an open broker; the generated login is in the data directory for the gateway nodes to use.
      Credentials generated = Credentials.loadOrCreate(dataDir);
      if (user.isBlank()) {
        user = DEMO_USER;
      }
      if (password.isBlank()) {
        password = generated.getOrCreate("broker.password", () -> java.util.HexFormat.of().formatHex(random(24)));
        LOG.warn("Demo mode: broker user {} with the generated password broker.password in {}; "
            + "set HCP_BROKER_USER and HCP_BROKER_PASSWORD for anything but a trial", user, dataDir.resolve(Credentials.FILE));
      }
      if (mqttPassword.isBlank()) {
        mqttPassword = generated.get("mqtt.gateway.password");
      }
    }

    BrokerSecurity security = new BrokerSecurity();
    security.requireCoreLogin(user, password);
    String mqttAcceptor = "";
    Database db = null;
    if (mqttPort >= 0 && dbUrl.isBlank()) {
      LOG.warn("No MQTT acceptor: evaluators log in against the device registry in the gateways' database; "
          + "set HCP_DB_URL (and HCP_DB_USER, HCP_DB_PASSWORD) to open it, or HCP_MQTT_PORT=-1 to say so");
    } else if (mqttPort >= 0) {
      db = Database.open(dbUrl, get("HCP_DB_USER", ""), get("HCP_DB_PASSWORD", ""), dataDir, 4);
      security.install(new DeviceAccess(new DeviceRegistry(db, Clock.systemUTC()), mqttUser, mqttPassword, Clock.systemUTC()));
      mqttAcceptor = "tcp://" + get("HCP_MQTT_HOST", "0.0.0.0") + ":" + mqttPort;
    }

    long minDiskFree = integer("HCP_BROKER_MIN_DISK_FREE_MB", 1024) * 1024L * 1024L;
    EmbeddedBroker broker;
    try {
      broker = EmbeddedBroker.start(dataDir, coreAcceptor, mqttAcceptor, minDiskFree, security);
    } catch (Exception | Error e) {
      if (db != null) {
        db.close();
      }
      throw e;
    }
    LOG.info("Broker-only mode: Artemis listens for gateway nodes on {} (core, login {} required){}; journal under {}",
        coreAcceptor, user, mqttAcceptor.isEmpty() ? "" : ", for evaluators on MQTT port " + broker.mqttPort(),
        dataDir.resolve("broker").toAbsolutePath());
    return new Running(broker, db);
  }

  private String get(String name, String fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : v.strip();
  }

  private int integer(String name, int fallback) {
    String v = get(name, "");
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + v + "'");
    }
  }

  private static byte[] random(int bytes) {
    byte[] b = new byte[bytes];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }
}
