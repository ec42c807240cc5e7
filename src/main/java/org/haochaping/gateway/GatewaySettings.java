package org.haochaping.gateway;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Everything the gateway is configured with, read once from Camel's properties, where each
 * {@code hcp.*} property defaults to its environment variable (application.properties) and
 * tests override them. An empty value means the embedded default (DESIGN §7).
 */
public record GatewaySettings(
    String httpHost,
    int httpPort,
    int httpWorkerThreads,
    long maxBodyBytes,
    long maxBatchBytes,
    int maxBatchItems,
    Path dataDir,
    String profile,
    String dbUrl,
    String dbUser,
    String dbPassword,
    int dbPoolSize,
    String brokerUrl,
    String brokerUser,
    String brokerPassword,
    String brokerCoreAcceptor,
    long brokerMinDiskFreeBytes,
    String mqttUrl,
    String mqttHost,
    int mqttPort,
    int publisherLanes,
    Duration sendTimeout,
    String dataKey,
    String previousDataKeys,
    String deployment,
    String adminToken) {

  public static GatewaySettings from(PropertiesComponent p) {
    return new GatewaySettings(
        text(p, "hcp.http.host", "0.0.0.0"),
        integer(p, "hcp.http.port", 8080),
        integer(p, "hcp.http.workerThreads", 128),
        integer(p, "hcp.http.maxBodyBytes", 1024 * 1024),
        integer(p, "hcp.http.maxBatchBytes", 32 * 1024 * 1024),
        integer(p, "hcp.http.maxBatchItems", 10_000),
        Path.of(text(p, "hcp.data.dir", "./data")),
        text(p, "hcp.profile", "guangdong"),
        text(p, "hcp.db.url", ""),
        text(p, "hcp.db.user", ""),
        text(p, "hcp.db.password", ""),
        integer(p, "hcp.db.poolSize", 16),
        text(p, "hcp.broker.url", ""),
        text(p, "hcp.broker.user", ""),
        text(p, "hcp.broker.password", ""),
        // "none": no TCP acceptor on the embedded broker (tests, or nodes that need no outside client).
        text(p, "hcp.broker.coreAcceptor", "tcp://127.0.0.1:61616").replaceFirst("^none$", ""),
        integer(p, "hcp.broker.minDiskFreeMb", 1024) * 1024L * 1024L,
        // Evaluators (MQTT): an external broker by URL, or the embedded broker's MQTT acceptor (port -1: none).
        text(p, "hcp.mqtt.url", ""),
        text(p, "hcp.mqtt.host", "0.0.0.0"),
        integer(p, "hcp.mqtt.port", 1883),
        integer(p, "hcp.broker.publisherLanes", 8),
        Duration.ofMillis(integer(p, "hcp.broker.sendTimeoutMillis", 10_000)),
        text(p, "hcp.data.key", ""),
        text(p, "hcp.data.previousKeys", ""),
        text(p, "hcp.deployment", "demo"),
        text(p, "hcp.admin.token", ""));
  }

  /**
   * {@code HCP_DEPLOYMENT=production}: no generated secret, no demo client, no simulator; the
   * gateway refuses to start rather than run with a default.
   */
  public boolean production() {
    return "production".equalsIgnoreCase(deployment);
  }

  public boolean embeddedBroker() {
    return brokerUrl.isBlank();
  }

  /** The embedded broker's MQTT acceptor, or empty when evaluators use an external MQTT broker or none. */
  public String embeddedMqttAcceptor() {
    return embeddedBroker() && mqttUrl.isBlank() && mqttPort >= 0 ? "tcp://" + mqttHost + ":" + mqttPort : "";
  }

  private static String text(PropertiesComponent p, String key, String fallback) {
    return p.resolveProperty(key).map(String::strip).filter(v -> !v.isEmpty()).orElse(fallback);
  }

  private static int integer(PropertiesComponent p, String key, int fallback) {
    String v = text(p, key, "");
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was '" + v + "'");
    }
  }
}
