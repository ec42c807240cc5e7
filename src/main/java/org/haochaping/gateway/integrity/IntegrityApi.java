package org.haochaping.gateway.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.channel.auth.AccessGuard;
import org.haochaping.gateway.channel.auth.AuditLog;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.store.StoreException;
import org.haochaping.gateway.workorder.Refused;

/**
 * {@code /api/v1/integrity/flags} (routes/integrity.camel.yaml). The access guard has checked the bearer token
 * before any of this runs: VIEWER reads, OPERATOR confirms and dismisses; each decision is also written to the
 * audit log with its outcome (never the note's text: it may name people).
 */
public final class IntegrityApi {

  private static final List<String> STATUSES = List.of("OPEN", "CONFIRMED", "DISMISSED");

  private final IntegrityFlags flags;
  private final AuditLog audit;

  public IntegrityApi(IntegrityFlags flags, AuditLog audit) {
    this.flags = flags;
    this.audit = audit;
  }

  /** GET /api/v1/integrity/flags?status=&reason=&hallCode=&deviceId=&limit=50&offset=0. */
  public void list(Exchange exchange) {
    List<Violation> bad = new ArrayList<>();
    int limit = HttpReply.number(exchange, "limit", 50, 1, 500, bad);
    int offset = HttpReply.number(exchange, "offset", 0, 0, Integer.MAX_VALUE, bad);
    String status = HttpReply.query(exchange, "status");
    if (status != null && !STATUSES.contains(status)) {
      bad.add(Violation.invalid("status", "oneOf", "status 应为 " + String.join("、", STATUSES) + " 之一，收到 " + status,
          "status must be one of " + STATUSES + ", got " + status));
    }
    String reason = HttpReply.query(exchange, "reason");
    if (reason != null && IntegrityReason.parse(reason) == null) {
      String known = Arrays.stream(IntegrityReason.values()).map(Enum::name).toList().toString();
      bad.add(Violation.invalid("reason", "oneOf", "reason 应为 " + known + " 之一，收到 " + reason, "reason must be one of " + known + ", got " + reason));
    }
    if (!bad.isEmpty()) {
      HttpReply.problem(exchange, Problem.validation(bad));
      return;
    }
    String hall = Optional.ofNullable(HttpReply.query(exchange, "hallCode")).orElse(HttpReply.query(exchange, "hall"));
    String device = Optional.ofNullable(HttpReply.query(exchange, "deviceId")).orElse(HttpReply.query(exchange, "device"));
    try {
      HttpReply.json(exchange, 200, flags.list(new IntegrityFlags.Filter(status,
          reason == null ? null : IntegrityReason.parse(reason).name(), hall, device), limit, offset));
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  /** GET /api/v1/integrity/flags/{flagId}. */
  public void get(Exchange exchange) {
    String id = exchange.getMessage().getHeader("flagId", String.class);
    try {
      Optional<Map<String, Object>> flag = flags.find(id);
      if (flag.isPresent()) {
        HttpReply.json(exchange, 200, flag.get());
      } else {
        HttpReply.problem(exchange, Problem.notFound("没有完整性标记 " + id + " / no integrity flag " + id));
      }
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  /** POST /api/v1/integrity/flags/{flagId}/confirm {"note"}: the listed ratings are corrected (MANIPULATED). */
  public void confirm(Exchange exchange) {
    decide(exchange, true);
  }

  /** POST /api/v1/integrity/flags/{flagId}/dismiss {"note"}. */
  public void dismiss(Exchange exchange) {
    decide(exchange, false);
  }

  private void decide(Exchange exchange, boolean confirm) {
    String id = exchange.getMessage().getHeader("flagId", String.class);
    String actor = exchange.getProperty(AccessGuard.CALLER, "unknown", String.class);
    String role = exchange.getProperty(AccessGuard.ROLE, String.class);
    String action = (confirm ? "CONFIRM" : "DISMISS") + " integrity flag";
    String note = note(exchange);
    if (note == null) {
      return;
    }
    try {
      Map<String, Object> flag = confirm ? flags.confirm(id, actor, note) : flags.dismiss(id, actor, note);
      audit.record(actor, role, action, "/api/v1/integrity/flags/" + id,
          "reason " + flag.get("reason") + ", " + flag.get("ratingCount") + " ratings"
              + (confirm ? ", " + flag.get("correctedRatings") + " corrected (MANIPULATED)" : ""),
          confirm ? "CONFIRMED" : "DISMISSED");
      HttpReply.json(exchange, 200, flag);
    } catch (Refused r) {
      audit.record(actor, role, action, "/api/v1/integrity/flags/" + id, r.problem().code(), "REFUSED_" + r.problem().status());
      HttpReply.problem(exchange, r.problem());
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  /** The reviewer's note: required, 4 to 1000 characters; null (with the answer given) when missing. */
  private static String note(Exchange exchange) {
    if (!"application/json".equals(HttpReply.mediaType(exchange))) {
      HttpReply.problem(exchange, Problem.unsupportedMediaType(HttpReply.mediaType(exchange), "application/json"));
      return null;
    }
    JsonNode doc;
    try {
      doc = HttpReply.parse(HttpReply.body(exchange));
    } catch (HttpReply.BadJson e) {
      HttpReply.problem(exchange, Problem.malformedJson(e.getMessage()));
      return null;
    }
    if (!doc.isObject()) {
      HttpReply.problem(exchange, Problem.malformedJson("请求体应为JSON对象 / the body must be a JSON object"));
      return null;
    }
    JsonNode n = doc.get("note");
    String note = n != null && n.isTextual() ? n.asText().strip() : null;
    if (note == null || note.length() < 4 || note.length() > 1000) {
      HttpReply.problem(exchange, Problem.validation(List.of(Violation.invalid("note", "required",
          "须填写复核意见 note（4 至 1000 个字符）", "note (the reviewer's finding, 4 to 1000 characters) is required"))));
      return null;
    }
    return note;
  }
}
