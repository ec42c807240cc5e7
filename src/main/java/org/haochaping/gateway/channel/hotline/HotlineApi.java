package org.haochaping.gateway.channel.hotline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.channel.RatingIntake;
import org.haochaping.gateway.channel.mapping.ChannelIntake;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.store.HotlineRevisits;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 12345 hotline (000 第十五条): its callbacks become HOTLINE_12345 ratings of the hotline case
 * (caseNo = flowsn, or the department's caseNo when the callback names it), and every 不满意 or
 * 非常不满意 among them opens a manual revisit that an operator records when the caller was called back.
 */
public final class HotlineApi {

  private static final Logger LOG = LoggerFactory.getLogger(HotlineApi.class);
  static final String ORIGINAL = "hcp.hotline.callback";
  /** What a call back may end with. */
  static final Set<String> OUTCOMES = Set.of("RESOLVED", "EXPLAINED", "STILL_DISSATISFIED", "UNREACHABLE");

  private final ChannelIntake intake;
  private final HotlineRevisits revisits;
  private final Clock clock;

  public HotlineApi(ChannelIntake intake, HotlineRevisits revisits, Clock clock) {
    this.intake = intake;
    this.revisits = revisits;
    this.clock = clock;
  }

  /** Before hotline-callback.jslt: a JSON object with a flowsn, kept for after the mapping. */
  public void readCallback(Exchange exchange) {
    JsonNode doc = ChannelIntake.readObject(exchange);
    if (doc == null) {
      return;
    }
    if (!doc.hasNonNull("flowsn") || doc.get("flowsn").asText().isBlank()) {
      ChannelIntake.stop(exchange, Problem.validation(List.of(Violation.invalid("flowsn", "required",
          "缺少 flowsn（12345 工单编号）", "flowsn (the hotline work order number) is required"))));
      return;
    }
    exchange.setProperty(ORIGINAL, doc);
    exchange.getMessage().setBody(HttpReply.body(exchange));
  }

  /** After the mapping: the rating through intake; a bad one opens its revisit (000 第十五条). */
  public void submitCallback(Exchange exchange) {
    JsonNode original = exchange.getProperty(ORIGINAL, JsonNode.class);
    JsonNode canonical = ChannelIntake.mapped(exchange);
    RatingIntake.Outcome o = intake.submitAndReply(exchange);
    if (!o.accepted()) {
      return;
    }
    Level level = Level.valueOf(canonical.get("level").asText());
    if (level.isBad()) {
      try {
        revisits.open(o.ratingId(), canonical.get("caseNo").asText(), original.get("flowsn").asText(), level.name(),
            original.hasNonNull("mobile") ? original.get("mobile").asText() : null);
        exchange.getMessage().setBody(withRevisit(exchange));
      } catch (StoreException e) {
        // The rating is durable; the hotline's retry replays it (same ratingId) and opens the revisit then.
        LOG.warn("Revisit of hotline rating {} not opened yet: {}", o.ratingId(), e.getMessage());
        HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
      }
    }
  }

  private byte[] withRevisit(Exchange exchange) {
    JsonNode reply = org.haochaping.gateway.Json.read(exchange.getMessage().getBody(byte[].class), JsonNode.class);
    ((com.fasterxml.jackson.databind.node.ObjectNode) reply).put("revisit", "PENDING");
    return org.haochaping.gateway.Json.bytes(reply);
  }

  /** GET /api/v1/hotline/revisits?status=PENDING|DONE: the revisits to make or made, callers masked. */
  public void list(Exchange exchange) {
    String status = exchange.getMessage().getHeader("status", "PENDING", String.class);
    if (!status.equals("PENDING") && !status.equals("DONE")) {
      HttpReply.problem(exchange, Problem.validation(List.of(Violation.invalid("status", "enum",
          "status 应为 PENDING 或 DONE", "status must be PENDING or DONE"))));
      return;
    }
    try {
      List<Map<String, Object>> items = new ArrayList<>();
      revisits.list(status, 500).forEach(r -> items.add(view(r)));
      HttpReply.json(exchange, 200, Map.of("status", status, "revisits", items));
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  /** GET /api/v1/hotline/revisits/{ratingId}. */
  public void find(Exchange exchange) {
    String ratingId = exchange.getMessage().getHeader("ratingId", String.class);
    try {
      revisits.find(ratingId).ifPresentOrElse(r -> HttpReply.json(exchange, 200, view(r)),
          () -> HttpReply.problem(exchange, Problem.notFound("没有评价 " + ratingId + " 的人工回访 / no revisit for rating " + ratingId)));
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  /**
   * POST /api/v1/hotline/revisits/{ratingId}: the operator's record of the call back:
   * {@code {operator, reached, outcome: RESOLVED|EXPLAINED|STILL_DISSATISFIED|UNREACHABLE, notes, calledAt}}.
   */
  public void record(Exchange exchange) {
    String ratingId = exchange.getMessage().getHeader("ratingId", String.class);
    JsonNode doc = ChannelIntake.readObject(exchange);
    if (doc == null) {
      return;
    }
    List<Violation> v = new ArrayList<>();
    String operator = text(doc, "operator");
    if (operator == null || operator.length() > 64) {
      v.add(Violation.invalid("operator", "required", "operator（回访人员）必填，最多64字", "operator is required, at most 64 characters"));
    }
    if (!doc.has("reached") || !doc.get("reached").isBoolean()) {
      v.add(Violation.invalid("reached", "type", "reached 应为 true（已联系上）或 false", "reached must be true or false"));
    }
    String outcome = text(doc, "outcome");
    if (outcome == null || !OUTCOMES.contains(outcome)) {
      v.add(Violation.invalid("outcome", "enum", "outcome 应为 " + String.join("、", OUTCOMES.stream().sorted().toList()),
          "outcome must be one of " + OUTCOMES.stream().sorted().toList()));
    }
    String notes = text(doc, "notes");
    if (notes != null && notes.length() > 2000) {
      v.add(Violation.invalid("notes", "maxLength", "notes 最多2000字", "notes must be at most 2000 characters"));
    }
    OffsetDateTime calledAt = OffsetDateTime.now(clock);
    if (text(doc, "calledAt") != null) {
      try {
        calledAt = ChinaTime.of(OffsetDateTime.parse(text(doc, "calledAt")));
      } catch (DateTimeParseException e) {
        v.add(Violation.invalid("calledAt", "format", "calledAt 应为带时区的 ISO-8601 时间", "calledAt must be ISO-8601 with an offset"));
      }
    }
    if (!v.isEmpty()) {
      HttpReply.problem(exchange, Problem.validation(v));
      return;
    }
    try {
      var existing = revisits.find(ratingId);
      if (existing.isEmpty()) {
        HttpReply.problem(exchange, Problem.notFound("没有评价 " + ratingId + " 的人工回访 / no revisit for rating " + ratingId));
        return;
      }
      if (!revisits.record(ratingId, new HotlineRevisits.Result(operator, doc.get("reached").asBoolean(), outcome, notes, calledAt))) {
        HttpReply.problem(exchange, Problem.of(409, "REVISIT_RECORDED", "该回访已记录", "This revisit was recorded already",
            "回访结果只记录一次 / a revisit is recorded once"));
        return;
      }
      HttpReply.json(exchange, 200, view(revisits.find(ratingId).orElseThrow()));
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  private static Map<String, Object> view(HotlineRevisits.Revisit r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ratingId", r.ratingId());
    m.put("caseNo", r.caseNo());
    m.put("flowsn", r.flowsn());
    m.put("level", r.level());
    m.put("caller", r.callerMasked());
    m.put("status", r.status());
    m.put("operator", r.operator());
    m.put("reached", r.reached());
    m.put("outcome", r.outcome());
    m.put("notes", r.notes());
    m.put("calledAt", ChinaTime.of(r.calledAt()));
    m.put("createdAt", ChinaTime.of(r.createdAt()));
    m.values().removeIf(java.util.Objects::isNull);
    return m;
  }

  private static String text(JsonNode doc, String field) {
    JsonNode n = doc.get(field);
    return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText().strip();
  }
}
