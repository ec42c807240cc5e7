package org.haochaping.gateway.channel.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.channel.RatingIntake;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.policy.InputSchema;
import org.haochaping.gateway.policy.PolicyProfile;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.store.CaseStore;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of {@code routes/ingest-evaluator-mqtt.camel.yaml}: a device's rating from
 * {@code hcp/evaluators/{deviceId}/rating} to the ack on {@code .../ack}.
 *
 * <ol>
 *   <li>{@link #receive}: which device (from the topic: the broker lets a device publish only on its
 *       own), a msgId answered before (the same ack again), the payload's schema, the case and its
 *       window. Sets the headers the mapping reads.
 *   <li>{@code mappings/channel/evaluator.jslt} maps the payload to the canonical rating.
 *   <li>{@link #submit}: {@link RatingIntake#submit}, the same checks as every channel, durable
 *       before the ack; a batch visit's other cases get the same rating from the lifecycle
 *       (000 第十八条, as for every channel).
 *   <li>{@link #ack}: the answer, kept by msgId, to the device's ack topic.
 * </ol>
 */
public final class EvaluatorRatings {

  private static final Logger LOG = LoggerFactory.getLogger(EvaluatorRatings.class);

  /** Exchange properties between the steps (not headers: headers are the mapping's variables). */
  static final String DEVICE = "hcpEvaluatorDevice";
  static final String MSG_ID = "hcpEvaluatorMsgId";
  static final String CASE = "hcpEvaluatorCase";
  static final String ANSWER = "hcpEvaluatorAck";
  static final String OUTCOME = "hcpEvaluatorOutcome";

  private static final Pattern MSG_ID_FORMAT = Pattern.compile("^[\\x21-\\x7E]{1,64}$");
  /** A device's last-seen time is written at most this often while it sends ratings (status messages always write). */
  private static final Duration SEEN_EVERY = Duration.ofSeconds(30);

  /** Field names of the canonical rating as the device knows them. */
  private static final Map<String, String> DEVICE_FIELDS = Map.of("level", "satisfaction", "sourceRef", "msgId");

  private final InputSchema payloadSchema;
  private final DeviceRegistry registry;
  private final EvaluatorMessages messages;
  private final CaseStore cases;
  private final RatingIntake intake;
  private final PolicyProfile profile;
  private final EvaluatorMetrics metrics;
  private final Clock clock;
  private final Map<String, Instant> seenWritten = new ConcurrentHashMap<>();
  private final Map<String, Known> devices = new ConcurrentHashMap<>();

  /** A device as read from the registry a moment ago: a disabled device is refused within seconds. */
  private record Known(EvaluatorDevice device, Instant until) {}

  private static final Duration DEVICE_FRESH = Duration.ofSeconds(5);

  public EvaluatorRatings(InputSchema payloadSchema, DeviceRegistry registry, EvaluatorMessages messages, CaseStore cases,
      RatingIntake intake, PolicyProfile profile, EvaluatorMetrics metrics, Clock clock) {
    this.payloadSchema = payloadSchema;
    this.registry = registry;
    this.messages = messages;
    this.cases = cases;
    this.intake = intake;
    this.profile = profile;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Step 1: device, repeated msgId, payload, case. Leaves an answer in {@value #ANSWER} when the rating goes no further. */
  public void receive(Exchange exchange) {
    Message m = exchange.getMessage();
    String topic = m.getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class);
    byte[] body = m.getBody(byte[].class);
    // Nothing of the MQTT message reaches the mapping but the payload and the headers set below.
    m.removeHeaders("*");
    String deviceId = EvaluatorTopics.deviceOf(topic);
    if (deviceId == null) {
      LOG.warn("Ignored a message on {}: not an evaluator rating topic", topic);
      exchange.setRouteStop(true);
      return;
    }
    exchange.setProperty(DEVICE, deviceId);
    JsonNode doc;
    try {
      doc = body == null || body.length == 0 ? null : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      doc = null;
    }
    if (doc == null || !doc.isObject()) {
      answer(exchange, null, EvaluatorAck.refused(null, Problem.malformedJson(
          "评价消息应为JSON对象，见 docs/evaluator-protocol.md / a rating message must be a JSON object, see docs/evaluator-protocol.md")));
      return;
    }
    String msgId = doc.path("msgId").isTextual() && MSG_ID_FORMAT.matcher(doc.get("msgId").asText()).matches()
        ? doc.get("msgId").asText() : null;
    exchange.setProperty(MSG_ID, msgId);
    try {
      seen(deviceId);
      if (msgId != null) {
        Optional<String> earlier = messages.answered(deviceId, msgId);
        if (earlier.isPresent()) {
          // The device did not get our ack and sent the message again: the same answer, no second rating.
          exchange.setProperty(ANSWER, earlier.get());
          exchange.setProperty(OUTCOME, "replayed");
          return;
        }
      }
      List<Violation> violations = payloadSchema.check(doc);
      if (!violations.isEmpty()) {
        refuse(exchange, msgId, Problem.validation(violations));
        return;
      }
      EvaluatorDevice device = device(deviceId);
      if (device == null) {
        refuse(exchange, msgId, Problem.of(403, "DEVICE_DISABLED", "评价器未登记或已停用", "Evaluator unknown or disabled",
            "评价器 " + deviceId + " 未登记或已停用，请联系大厅管理员 / evaluator " + deviceId + " is not registered or is disabled"));
        return;
      }
      String caseNo = doc.get("caseNo").asText();
      ServiceCase serviceCase = cases.find(caseNo).orElse(null);
      if (serviceCase == null) {
        refuse(exchange, msgId, Problem.caseUnknown(List.of(new Violation(Violation.Kind.CASE_UNKNOWN, "caseNo", "caseUnknown",
            "网关没有办件 " + caseNo, "the gateway does not know case " + caseNo))));
        return;
      }
      if (!device.hallCode().equals(serviceCase.hallCode()) || !device.windowNo().equals(serviceCase.windowNo())) {
        // 000 第十三条: the evaluator at a window rates the service given at that window.
        refuse(exchange, msgId, Problem.notAllowed(List.of(Violation.notAllowed("caseNo", "windowMismatch",
            "办件 " + caseNo + " 不是在本评价器所在窗口（" + device.hallCode() + " " + device.windowNo() + "）办理的",
            "case " + caseNo + " was not served at this evaluator's window (" + device.hallCode() + " " + device.windowNo() + ")"))));
        return;
      }
      exchange.setProperty(CASE, serviceCase);
      m.setHeader("deviceId", deviceId);
      m.setHeader("hallCode", device.hallCode());
      m.setHeader("windowNo", device.windowNo());
      m.setBody(body);
    } catch (StoreException e) {
      LOG.warn("Evaluator {} rating {} not taken now, database unavailable: {}", deviceId, msgId, e.getMessage());
      refuse(exchange, msgId, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  /** Step 3: the canonical rating (from the mapping) through the intake every channel uses. */
  public void submit(Exchange exchange) throws IOException {
    String deviceId = exchange.getProperty(DEVICE, String.class);
    String msgId = exchange.getProperty(MSG_ID, String.class);
    JsonNode canonical = Json.MAPPER.readTree(exchange.getMessage().getBody(String.class));
    RatingIntake.Outcome outcome = intake.submit(canonical);
    if (!outcome.accepted()) {
      refuse(exchange, msgId, asDeviceSees(outcome.problem()));
      return;
    }
    try {
      answer(exchange, msgId, EvaluatorAck.accepted(msgId, outcome.ratingId()));
    } catch (StoreException e) {
      // Durable in the broker, but the answer is not kept: the device retries and gets the same ratingId (a replay).
      LOG.warn("Evaluator {} rating {} accepted as {}, answer not kept: {}", deviceId, msgId, outcome.ratingId(), e.getMessage());
      exchange.setProperty(ANSWER, Json.text(EvaluatorAck.accepted(msgId, outcome.ratingId())));
    }
    exchange.setProperty(OUTCOME, outcome.status() == RatingIntake.Outcome.Status.REPLAYED ? "replayed" : "accepted");
  }

  /** Step 4: the answer as the ack message: payload and topic. */
  public void ack(Exchange exchange) {
    String deviceId = exchange.getProperty(DEVICE, String.class);
    String answer = exchange.getProperty(ANSWER, String.class);
    Message m = exchange.getMessage();
    m.removeHeaders("*");
    m.setHeader(PahoMqtt5Constants.CAMEL_PAHO_OVERRIDE_TOPIC, EvaluatorTopics.ack(deviceId));
    m.setHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_QOS, 1);
    m.setHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_RETAINED, false);
    m.setBody(answer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    metrics.acked(exchange.getProperty(OUTCOME, "refused", String.class));
  }

  private void refuse(Exchange exchange, String msgId, Problem problem) {
    EvaluatorAck ack = EvaluatorAck.refused(msgId, problem);
    exchange.setProperty(OUTCOME, ack.isRetryable() ? "retry" : "refused");
    try {
      answer(exchange, msgId, ack);
    } catch (StoreException e) {
      exchange.setProperty(ANSWER, Json.text(ack));
    }
  }

  /** Keeps a final answer by msgId (a retryable one is not kept: the device should get a better one next time). */
  private void answer(Exchange exchange, String msgId, EvaluatorAck ack) {
    String json = Json.text(ack);
    if (msgId != null && !ack.isRetryable()) {
      json = messages.remember(exchange.getProperty(DEVICE, String.class), msgId, ack.ratingId(), json);
    }
    exchange.setProperty(ANSWER, json);
  }

  /** The refusal in the device's words: {@code satisfaction}, not the canonical {@code level}. */
  private static Problem asDeviceSees(Problem p) {
    if (p.violations() == null || p.violations().isEmpty()) {
      return p;
    }
    List<Problem.Item> items = p.violations().stream()
        .map(i -> new Problem.Item(DEVICE_FIELDS.getOrDefault(i.field(), i.field()), i.rule(), i.message(), i.messageEn()))
        .toList();
    return new Problem(p.type(), p.title(), p.status(), p.code(), p.detail(), items, p.extensions());
  }

  private EvaluatorDevice device(String deviceId) {
    Instant now = Instant.now();
    Known k = devices.get(deviceId);
    if (k == null || k.until().isBefore(now)) {
      k = new Known(registry.find(deviceId).filter(EvaluatorDevice::enabled).orElse(null), now.plus(DEVICE_FRESH));
      devices.put(deviceId, k);
    }
    return k.device();
  }

  private void seen(String deviceId) {
    Instant now = clock.instant();
    Instant last = seenWritten.get(deviceId);
    if (last == null || last.plus(SEEN_EVERY).isBefore(now)) {
      seenWritten.put(deviceId, now);
      registry.seen(deviceId, OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS));
    }
  }
}
