package org.haochaping.gateway.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.haochaping.gateway.broker.EmbeddedBroker;
import org.haochaping.gateway.broker.StandaloneBroker;
import org.haochaping.gateway.store.Database;

/**
 * The suite's external-broker mode ({@code -Dhcp.test.broker=external}, Maven profile
 * {@code external-broker}; docs/deployment.md "Testing against an external broker"): each test class
 * starts its own broker-only node, the same {@link StandaloneBroker} that
 * {@code java -jar haochaping-gateway.jar broker} runs, with a core acceptor and an MQTT acceptor
 * on free loopback ports, login required, on a fresh data directory; the gateway is configured
 * with {@code hcp.broker.url=tcp://...} and {@code hcp.mqtt.url=tcp://...} as a production node
 * is, so every route test goes through the external-broker code path: core over TCP with a login,
 * no embedded broker in the gateway, evaluators and the gateway's MQTT clients on the broker's
 * acceptor, device logins checked by the broker against the device registry.
 *
 * <p>The compromise: the broker runs in the test's JVM (a JVM per test class would add seconds to
 * each of some fifty classes), but the gateway reaches it only over TCP, as it would a broker on
 * another machine. What a separate process adds (a kill -9 of the broker, its own heap) is covered
 * by the ITs that start it as one (cluster/TwoNodesIT, the chaos suite).
 */
public final class TestBroker implements AutoCloseable {

  /** The system property that selects the mode; anything but {@code external} is the embedded default. */
  public static final String MODE_PROPERTY = "hcp.test.broker";

  private static final String USER = "hcp-node";

  private final StandaloneBroker.Running running;
  private final int corePort;
  private final int mqttPort;
  private final String password;
  private final String mqttPassword;

  private TestBroker(StandaloneBroker.Running running, int corePort, int mqttPort, String password, String mqttPassword) {
    this.running = running;
    this.corePort = corePort;
    this.mqttPort = mqttPort;
    this.password = password;
    this.mqttPassword = mqttPassword;
  }

  /** Whether this run of the suite uses an external broker. */
  public static boolean external() {
    return "external".equalsIgnoreCase(System.getProperty(MODE_PROPERTY, "").strip());
  }

  /**
   * Starts a broker-only node with its journal under {@code brokerDir}. Evaluators log in against
   * the device registry in the gateway's database: {@code database} when it is PostgreSQL, else the
   * H2 file under {@code gatewayDataDir}, shared in this JVM.
   */
  public static TestBroker start(Path brokerDir, Path gatewayDataDir, TestDatabase database) throws Exception {
    // Fixed ports (not 0): a broker stopped and started in place (BrokerOutageRouteTest) keeps them.
    int corePort = GatewayTestSupport.freePort();
    int mqttPort = GatewayTestSupport.freePort();
    String password = UUID.randomUUID().toString();
    String mqttPassword = UUID.randomUUID().toString();
    Map<String, String> env = new HashMap<>();
    env.put("HCP_DATA_DIR", brokerDir.toString());
    env.put("HCP_BROKER_CORE_ACCEPTOR", "tcp://127.0.0.1:" + corePort);
    env.put("HCP_BROKER_USER", USER);
    env.put("HCP_BROKER_PASSWORD", password);
    env.put("HCP_MQTT_HOST", "127.0.0.1");
    env.put("HCP_MQTT_PORT", Integer.toString(mqttPort));
    env.put("HCP_MQTT_PASSWORD", mqttPassword);
    if (database.url().isBlank()) {
      env.put("HCP_DB_URL", Database.embeddedUrl(gatewayDataDir));
      env.put("HCP_DB_USER", "sa");
    } else {
      env.put("HCP_DB_URL", database.url());
      env.put("HCP_DB_USER", database.user());
      env.put("HCP_DB_PASSWORD", database.password());
    }
    StandaloneBroker.Running running = new StandaloneBroker(env).start();
    return new TestBroker(running, corePort, mqttPort, password, mqttPassword);
  }

  /** The gateway's settings for this broker, as HCP_BROKER_* and HCP_MQTT_* give them in production. */
  public Map<String, String> gatewayProperties() {
    return Map.of(
        "hcp.broker.url", "tcp://127.0.0.1:" + corePort,
        "hcp.broker.user", USER,
        "hcp.broker.password", password,
        "hcp.mqtt.url", "tcp://127.0.0.1:" + mqttPort,
        "hcp.mqtt.password", mqttPassword);
  }

  /** The broker itself, to stop and start in place ({@link EmbeddedBroker#stopServer()}). */
  public EmbeddedBroker broker() {
    return running.broker();
  }

  public int mqttPort() {
    return mqttPort;
  }

  /** The gateway's own MQTT login ({@code hcp-gateway}) on this broker. */
  public String mqttPassword() {
    return mqttPassword;
  }

  @Override
  public void close() throws Exception {
    running.close();
  }

  static Path directory(Path root, String name) throws IOException {
    return java.nio.file.Files.createTempDirectory(root, name + "-broker-");
  }
}
