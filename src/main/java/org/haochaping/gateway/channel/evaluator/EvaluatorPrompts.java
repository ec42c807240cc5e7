package org.haochaping.gateway.channel.evaluator;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.model.CaseEvent;
import org.haochaping.gateway.model.CaseMode;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.store.CaseStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of {@code routes/evaluator-prompts.camel.yaml}: when a case served at a window is
 * completed, the evaluator of that window shows the rating screen (000 第十三条: "事项办结后，评价器
 * 自动进入评价界面"). The prompt names the item and the staff member (000 第五条: window cases rate
 * the item and the staff).
 */
public final class EvaluatorPrompts {

  private static final Logger LOG = LoggerFactory.getLogger(EvaluatorPrompts.class);

  /** The prompt as the device receives it on {@code hcp/evaluators/{deviceId}/prompt} (DESIGN §4). */
  public record Prompt(String caseNo, String itemName, String staffName, OffsetDateTime expiresAt) {}

  /** A prompt for one device. */
  public record Addressed(String deviceId, Prompt prompt) {}

  private final DeviceRegistry registry;
  private final CaseStore cases;
  private final EvaluatorMetrics metrics;
  private final Clock clock;
  private final Duration ttl;
  private final Duration maxDelay;

  /**
   * @param ttl how long the device shows the prompt (expiresAt) and the broker keeps it for an offline MQTT 5 device
   * @param maxDelay a completion older than this prompts nobody: the citizen has left the window
   */
  public EvaluatorPrompts(DeviceRegistry registry, CaseStore cases, EvaluatorMetrics metrics, Clock clock, Duration ttl,
      Duration maxDelay) {
    this.registry = registry;
    this.cases = cases;
    this.metrics = metrics;
    this.clock = clock;
    this.ttl = ttl;
    this.maxDelay = maxDelay;
  }

  /** Turns a case event (JSON from {@code case-events}) into the prompt message, or a null body when nobody is to be prompted. */
  public void plan(Exchange exchange) throws IOException {
    Message m = exchange.getMessage();
    CaseEvent event = Json.MAPPER.readValue(m.getBody(byte[].class), CaseEvent.class);
    m.removeHeaders("*");
    Optional<Addressed> prompt = plan(event);
    if (prompt.isEmpty()) {
      m.setBody(null);
      return;
    }
    Addressed a = prompt.get();
    MqttProperties properties = new MqttProperties();
    // MQTT 5: the broker drops the prompt when it expires before an offline device comes back.
    properties.setMessageExpiryInterval(ttl.toSeconds());
    m.setHeader(PahoMqtt5Constants.CAMEL_PAHO_OVERRIDE_TOPIC, EvaluatorTopics.prompt(a.deviceId()));
    m.setHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_QOS, 1);
    m.setHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_RETAINED, false);
    m.setHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_PROPERTIES, properties);
    m.setBody(Json.bytes(a.prompt()));
    LOG.debug("Prompting evaluator {} for case {}", a.deviceId(), a.prompt().caseNo());
  }

  /** Who is prompted for {@code event}, if anybody. */
  public Optional<Addressed> plan(CaseEvent event) {
    if (!event.isCompletion()) {
      metrics.prompt("not_completion");
      return Optional.empty();
    }
    if (event.mode() != CaseMode.WINDOW || blank(event.hallCode()) || blank(event.windowNo())) {
      metrics.prompt("not_window");
      return Optional.empty();
    }
    OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS);
    if (event.at() != null && event.at().plus(maxDelay).isBefore(now)) {
      // Completed long ago (a backlog, or a completion reported late): nobody is at the window any more.
      metrics.prompt("stale");
      return Optional.empty();
    }
    Optional<EvaluatorDevice> device = registry.atWindow(event.hallCode(), event.windowNo());
    if (device.isEmpty()) {
      metrics.prompt("no_device");
      return Optional.empty();
    }
    Optional<ServiceCase> c = cases.find(event.caseNo());
    if (c.isEmpty()) {
      metrics.prompt("no_case");
      return Optional.empty();
    }
    ServiceCase sc = c.get();
    String staff = blank(sc.staffName()) ? sc.staffId() : sc.staffName();
    metrics.prompt("prompted");
    return Optional.of(new Addressed(device.get().deviceId(), new Prompt(sc.caseNo(), sc.itemName(), staff, now.plus(ttl))));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
