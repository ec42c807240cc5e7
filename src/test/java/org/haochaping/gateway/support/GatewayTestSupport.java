package org.haochaping.gateway.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.haochaping.gateway.GatewayConfiguration;
import org.haochaping.gateway.broker.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole gateway in the test's JVM through camel-test-main-junit5: the real YAML routes, a real
 * embedded Artemis broker and a real database (H2, or PostgreSQL when configured), on a free port
 * and a fresh data directory. One gateway per test class.
 *
 * <p>With {@code -Dhcp.test.broker=external} (Maven profile {@code external-broker}) each class
 * starts its own broker-only node instead ({@link TestBroker}: in this JVM, but reached only over
 * TCP and MQTT with logins), and the gateway runs with {@code hcp.broker.url} and
 * {@code hcp.mqtt.url} pointing at it, as a production node does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GatewayTestSupport extends CamelMainTestSupport {

  /** Where this class's gateway lives; made on first use (camel-test asks for it from its constructor). */
  protected record Environment(Path dataDir, int port, TestDatabase database, TestBroker externalBroker) {}

  private Environment environment;
  protected final Api api;

  protected GatewayTestSupport() {
    api = new Api(environment().port(), environment().dataDir());
  }

  protected final synchronized Environment environment() {
    if (environment == null) {
      try {
        // Under target/: `mvn clean` removes it; kept after the run for a look at the logs and journal.
        Path root = Files.createDirectories(Path.of("target", "test-data"));
        Path dataDir = Files.createTempDirectory(root, getClass().getSimpleName() + "-");
        TestDatabase database = TestDatabase.create();
        TestBroker broker = null;
        if (TestBroker.external()) {
          try {
            broker = TestBroker.start(TestBroker.directory(root, getClass().getSimpleName()), dataDir, database);
          } catch (Exception e) {
            database.close();
            throw new IllegalStateException("the test's external broker did not start", e);
          }
        }
        environment = new Environment(dataDir, freePort(), database, broker);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return environment;
  }

  /** The profile under test; subclasses for guangxi override. */
  protected String profile() {
    return "guangdong";
  }

  @Override
  protected void configure(MainConfigurationProperties configuration) {
    configuration.addConfiguration(GatewayConfiguration.class);
  }

  @Override
  protected Properties useOverridePropertiesWithPropertiesComponent() {
    Properties p = new Properties();
    Environment env = environment();
    TestDatabase database = env.database();
    p.setProperty("hcp.data.dir", env.dataDir().toString());
    p.setProperty("hcp.http.host", "127.0.0.1");
    p.setProperty("hcp.http.port", Integer.toString(env.port()));
    p.setProperty("hcp.http.workerThreads", "32");
    p.setProperty("hcp.profile", profile());
    // No TCP acceptor: test classes must not fight over a port; the gateway uses the in-VM one.
    p.setProperty("hcp.broker.coreAcceptor", "none");
    // MQTT on a port of its own (0: any free one): other gateways and test classes may hold 1883.
    p.setProperty("hcp.mqtt.host", "127.0.0.1");
    p.setProperty("hcp.mqtt.port", "0");
    p.setProperty("hcp.db.url", database.url());
    p.setProperty("hcp.db.user", database.user());
    p.setProperty("hcp.db.password", database.password());
    p.setProperty("hcp.db.poolSize", "8");
    // The built-in province simulator (no HCP_PROVINCE_URL) on a free port of its own.
    p.setProperty("hcp.province.sim.port", "0");
    // The built-in SMSC simulator on a free port: test classes and other builds must not fight over 2775.
    p.setProperty("hcp.smsc.sim.port", "0");
    p.setProperty("hcp.smsc.sim.controlPort", "-1");
    if (env.externalBroker() != null) {
      // No embedded broker: core over TCP with a login, evaluators on the broker's MQTT acceptor.
      env.externalBroker().gatewayProperties().forEach(p::setProperty);
    }
    return p;
  }

  /**
   * Stops this class's gateway before the next class starts one: camel-test's per-class context
   * manager would otherwise keep every context (and its broker) until the JVM ends.
   */
  @AfterAll
  void stopGateway() throws Exception {
    try {
      if (context != null) {
        context.stop();
      }
    } finally {
      try {
        // The external broker after the gateway, as in production: the gateway's clients leave first.
        if (environment().externalBroker() != null) {
          environment().externalBroker().close();
        }
      } finally {
        environment().database().close();
      }
    }
  }

  /** Whether this class's gateway uses an external broker ({@code -Dhcp.test.broker=external}). */
  protected final boolean externalBroker() {
    return environment().externalBroker() != null;
  }

  /**
   * The broker this class's gateway uses, to stop and start it in place: the gateway's embedded
   * broker, or in external-broker mode the one this class started.
   */
  protected final EmbeddedBroker broker() {
    TestBroker external = environment().externalBroker();
    return external != null ? external.broker() : bean("embeddedBroker", EmbeddedBroker.class);
  }

  /**
   * A clock of the test's own that the gateway lives by (bound as "clock", GatewayConfiguration), to
   * run days in seconds; null (the default) for the system clock.
   */
  protected java.time.Clock gatewayClock() {
    return null;
  }

  @Override
  protected org.apache.camel.spi.Registry createCamelRegistry() throws Exception {
    java.time.Clock clock = gatewayClock();
    if (clock == null) {
      return super.createCamelRegistry();
    }
    org.apache.camel.spi.Registry registry = new org.apache.camel.support.DefaultRegistry();
    registry.bind("clock", clock);
    return registry;
  }

  /** One check of {@code /observe/health} by its id (e.g. "broker", "province", "route:ledger"). */
  protected com.fasterxml.jackson.databind.JsonNode healthCheck(String id) {
    for (com.fasterxml.jackson.databind.JsonNode c : api.unsigned().get("/observe/health").json().path("checks")) {
      if (c.path("id").asText().equals(id)) {
        return c;
      }
    }
    throw new AssertionError("no health check " + id);
  }

  /** The number a counting query on the gateway's database answers (e.g. {@code select count(*) ...}). */
  protected long count(String sql) {
    try (java.sql.Connection c = bean("database", org.haochaping.gateway.store.Database.class).connection();
        java.sql.PreparedStatement ps = c.prepareStatement(sql);
        java.sql.ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(sql, e);
    }
  }

  /** A bean the gateway bound, to look inside (e.g. the ledger). */
  protected <T> T bean(String name, Class<T> type) {
    return context.getRegistry().lookupByNameAndType(name, type);
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
