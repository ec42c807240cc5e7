package org.haochaping.gateway.channel.evaluator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.GatewayModule;
import org.haochaping.gateway.broker.BrokerTopology;
import org.haochaping.gateway.broker.EmbeddedBroker;
import org.haochaping.gateway.policy.InputSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Window evaluators over MQTT (DESIGN §4; 000 第十三条, 002 第七条): prompts on completion, ratings
 * back through the common intake, acks, device registry and health.
 *
 * <p>Wiring: three MQTT connections of the gateway's own ({@code ratings}: the shared subscription
 * to every device's rating topic with a persistent session and manual acks; {@code status}: every
 * device's retained status; {@code out}: prompts and acks), the queue {@code evaluator.prompts} on
 * {@code case-events}, the device registry, and the access rules of the embedded broker. Routes:
 * {@code ingest-evaluator-mqtt}, {@code evaluator-prompts}, {@code evaluator-status},
 * {@code admin-devices}, {@code evaluator-housekeeping}.
 */
public final class EvaluatorModule implements GatewayModule {

  private static final Logger LOG = LoggerFactory.getLogger(EvaluatorModule.class);

  /** The queue on {@code case-events} this module consumes. */
  public static final String PROMPTS_QUEUE = "evaluator.prompts";

  @Override
  public void configure(CamelContext context, GatewayCore core) throws Exception {
    PropertiesComponent properties = context.getPropertiesComponent();
    properties.addLocation("classpath:connectors/mqtt.properties");
    var registry = context.getRegistry();
    Clock clock = core.clock();
    // Caches of logins and counts follow the wall clock, whatever clock the rules run on (tests run days in seconds).
    Clock wall = Clock.systemUTC();

    DeviceRegistry devices = new DeviceRegistry(core.database(), clock);
    DeviceSummary summary = new DeviceSummary(devices, wall);
    EvaluatorMetrics metrics = new EvaluatorMetrics(core.meters(), summary);
    EvaluatorMessages messages = new EvaluatorMessages(core.database(), clock,
        Duration.ofDays(integer(properties, "hcp.evaluator.answersKeptDays", 7)));
    core.resources().add(messages);

    String user = text(properties, "hcp.mqtt.user", EvaluatorTopics.GATEWAY_USER);
    String password = text(properties, "hcp.mqtt.password", core.credentials().get("mqtt.gateway.password"));
    DeviceAccess access = new DeviceAccess(devices, user, password, wall);

    EmbeddedBroker broker = registry.lookupByNameAndType("embeddedBroker", EmbeddedBroker.class);
    String url;
    Map<String, Object> brokerForDevices = new LinkedHashMap<>();
    if (!core.settings().mqttUrl().isBlank()) {
      url = core.settings().mqttUrl();
      brokerForDevices.put("mqttUrl", url);
      // An external broker checks devices itself (docs/evaluator-protocol.md: "External broker").
      LOG.info("Evaluators use the external MQTT broker {}", url);
    } else if (broker != null && broker.mqttPort() > 0) {
      url = "tcp://127.0.0.1:" + broker.mqttPort();
      brokerForDevices.put("mqttPort", broker.mqttPort());
      broker.security().install(access);
    } else {
      url = null;
      LOG.warn("No MQTT broker for evaluators (HCP_MQTT_URL empty, HCP_MQTT_PORT={}): evaluators are off", core.settings().mqttPort());
    }
    if (broker != null && url != null && core.settings().mqttUrl().isBlank()) {
      LOG.info("Evaluators connect to the embedded MQTT acceptor on port {} (MQTT 3.1.1 and 5)", broker.mqttPort());
    }

    String node = nodeId(core.settings().dataDir());
    Duration maxReconnect = Duration.ofMillis(integer(properties, "hcp.mqtt.maxReconnectDelayMillis", 5_000));
    String target = url == null ? "tcp://127.0.0.1:1" : url;
    // ratings: a persistent session, so that ratings published while this node reconnects wait for it;
    // acknowledged to the broker only when the ack is on its way (manual acks).
    GatewayMqttClient ratings = new GatewayMqttClient("ratings", target, "hcp-gw-" + node + "-ratings",
        GatewayMqttClient.options(user, password, false, Duration.ofDays(7),
            integer(properties, "hcp.mqtt.ratingsInFlight", 1024), maxReconnect), true);
    GatewayMqttClient status = new GatewayMqttClient("status", target, "hcp-gw-" + node + "-status",
        GatewayMqttClient.options(user, password, true, Duration.ZERO, 1024, maxReconnect), false);
    GatewayMqttClient out = new GatewayMqttClient("out", target, "hcp-gw-" + node + "-out",
        GatewayMqttClient.options(user, password, true, Duration.ZERO, 1024, maxReconnect), false);
    List<GatewayMqttClient> clients = List.of(ratings, status, out);
    for (GatewayMqttClient c : clients) {
      core.resources().add(c);
    }
    if (url == null) {
      clients.forEach(GatewayMqttClient::off);
    } else {
      out.start(); // the other two start with their Camel consumers
    }

    core.topology().ensure(BrokerTopology.CASE_EVENTS, PROMPTS_QUEUE);

    InputSchema payload = InputSchema.load("evaluator-rating.v1.schema.json");
    registry.bind("evaluatorMqttRatings", ratings);
    registry.bind("evaluatorMqttStatus", status);
    registry.bind("evaluatorMqttOut", out);
    registry.bind("evaluatorDevices", devices);
    registry.bind("evaluatorRatings", new EvaluatorRatings(payload, devices, messages, core.cases(),
        core.ratingIntake(), core.profile(), metrics, clock));
    registry.bind("evaluatorPrompts", new EvaluatorPrompts(devices, core.cases(), metrics, clock,
        Duration.ofSeconds(integer(properties, "hcp.evaluator.promptTtlSeconds", 300)),
        Duration.ofSeconds(integer(properties, "hcp.evaluator.promptMaxDelaySeconds", 1800))));
    registry.bind("evaluatorStatus", new EvaluatorStatus(devices, summary, clock));
    registry.bind("evaluatorMessages", messages);
    registry.bind("evaluatorAdminApi", new DeviceAdminApi(devices, access, summary,
        InputSchema.load("evaluator-device.v1.schema.json"), InputSchema.load("evaluator-device-change.v1.schema.json"),
        () -> brokerForDevices));
    core.health().register(new EvaluatorHealthCheck(summary, url == null ? "none" : url, clients));
  }

  /**
   * This node's name among the gateway nodes sharing one broker, kept in the data directory: MQTT
   * client ids must be unique per node and stable across its restarts (the ratings session resumes).
   */
  static String nodeId(Path dataDir) {
    Path file = dataDir.resolve("node-id");
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (id.matches("[0-9a-f]{8}")) {
          return id;
        }
      }
      byte[] b = new byte[4];
      new SecureRandom().nextBytes(b);
      String id = HexFormat.of().formatHex(b);
      Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }

  private static String text(PropertiesComponent p, String key, String fallback) {
    return p.resolveProperty(key).map(String::strip).filter(v -> !v.isEmpty()).orElse(fallback);
  }

  private static int integer(PropertiesComponent p, String key, int fallback) {
    String v = text(p, key, "");
    try {
      return v.isEmpty() ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was '" + v + "'");
    }
  }
}
