package org.haochaping.gateway.channel.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.haochaping.gateway.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of {@code routes/evaluator-status.camel.yaml}: a device's retained status
 * ({@code online} when it connects, {@code offline} when it leaves or, as its last will, when the
 * broker loses it) into the registry, for the admin API, the health check and the gauges.
 */
public final class EvaluatorStatus {

  private static final Logger LOG = LoggerFactory.getLogger(EvaluatorStatus.class);

  private final DeviceRegistry registry;
  private final DeviceSummary summary;
  private final Clock clock;

  public EvaluatorStatus(DeviceRegistry registry, DeviceSummary summary, Clock clock) {
    this.registry = registry;
    this.summary = summary;
    this.clock = clock;
  }

  public void record(Exchange exchange) {
    String topic = exchange.getMessage().getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class);
    byte[] body = exchange.getMessage().getBody(byte[].class);
    String deviceId = EvaluatorTopics.deviceOf(topic);
    Boolean online = parse(body);
    if (deviceId == null || online == null) {
      // An empty retained message clears the status; anything else is a device bug worth a line.
      if (body != null && body.length > 0) {
        LOG.warn("Ignored status on {}: expected online or offline", topic);
      }
      return;
    }
    if (registry.recordStatus(deviceId, online, OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS))) {
      summary.invalidate();
      LOG.info("Evaluator {} is {}", deviceId, online ? "online" : "offline");
    }
  }

  /** {@code online} / {@code offline} as plain text, or a JSON object with {@code "status"}; null for anything else. */
  static Boolean parse(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (text.startsWith("{")) {
      try {
        JsonNode node = Json.MAPPER.readTree(text);
        text = node.path("status").asText("");
      } catch (java.io.IOException e) {
        return null;
      }
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "online" -> Boolean.TRUE;
      case "offline" -> Boolean.FALSE;
      default -> null;
    };
  }
}
