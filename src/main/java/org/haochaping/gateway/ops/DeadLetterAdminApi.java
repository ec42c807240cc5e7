package org.haochaping.gateway.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.camel.Exchange;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.channel.auth.AuditLog;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/admin/dlq/{queue}} and {@code POST /api/v1/admin/dlq/{queue}/replay}: the
 * dead-letter queues of the gateway's modules, for the operator on call. Admin API: a bearer token
 * ({@link org.haochaping.gateway.channel.auth.AccessGuard}: VIEWER reads, OPERATOR replays and
 * discards; every change is in the audit log, a discard with its reason).
 */
public final class DeadLetterAdminApi {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterAdminApi.class);
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 10_000;

  private final AuditLog audit;
  private final Map<String, DeadLetterQueue> queues = new ConcurrentSkipListMap<>();

  private final MeterRegistry meters;

  public DeadLetterAdminApi(AuditLog audit, MeterRegistry meters) {
    this.audit = audit;
    this.meters = meters;
  }

  /** Makes the queue visible to operators, and its depth the gauge {@code hcp_dlq_depth{queue}}. */
  public void register(DeadLetterQueue queue) {
    queues.put(queue.name(), queue);
    Gauge.builder("hcp.dlq.depth", queue, DeadLetterAdminApi::depth).description("Entries in a dead-letter queue")
        .tag("queue", queue.name()).register(meters);
  }

  private static double depth(DeadLetterQueue queue) {
    try {
      return queue.list(0, 1).total();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** GET /api/v1/admin/dlq: every queue and its depth, for the console. */
  public void queues(Exchange exchange) {
    List<Map<String, Object>> out = new ArrayList<>();
    try {
      for (DeadLetterQueue q : queues.values()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("queue", q.name());
        row.put("depth", q.list(0, 1).total());
        out.add(row);
      }
      HttpReply.json(exchange, 200, out);
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  /** GET: one page of entries ({@code ?offset=0&limit=100}). */
  public void list(Exchange exchange) {
    DeadLetterQueue queue = queue(exchange);
    if (queue == null) {
      return;
    }
    List<Violation> violations = new ArrayList<>();
    int offset = HttpReply.number(exchange, "offset", 0, 0, Integer.MAX_VALUE, violations);
    int limit = HttpReply.number(exchange, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, violations);
    if (!violations.isEmpty()) {
      HttpReply.problem(exchange, Problem.validation(violations));
      return;
    }
    try {
      DeadLetterQueue.Page page = queue.list(offset, limit);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("queue", queue.name());
      body.put("total", page.total());
      body.put("offset", offset);
      body.put("limit", limit);
      body.put("entries", page.entries());
      HttpReply.json(exchange, 200, body);
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  /** POST .../replay: body {@code {"ratingIds":[...]}} for some entries; empty body or {} for all (up to ?limit). */
  public void replay(Exchange exchange) throws Exception {
    DeadLetterQueue queue = queue(exchange);
    if (queue == null) {
      return;
    }
    List<Violation> violations = new ArrayList<>();
    int limit = HttpReply.number(exchange, "limit", MAX_LIMIT, 1, MAX_LIMIT, violations);
    List<String> ids = new ArrayList<>();
    byte[] body = HttpReply.body(exchange);
    if (body.length > 0 && !new String(body, StandardCharsets.UTF_8).isBlank()) {
      JsonNode doc;
      try {
        doc = HttpReply.parse(body);
      } catch (HttpReply.BadJson e) {
        HttpReply.problem(exchange, Problem.malformedJson(e.getMessage()));
        return;
      }
      JsonNode list = doc.path("ratingIds");
      if (!doc.isObject() || !list.isMissingNode() && !list.isArray()) {
        violations.add(Violation.invalid("ratingIds", "type", "ratingIds 须为字符串数组（省略则重放全部）",
            "ratingIds must be an array of strings (leave it out to replay all)"));
      } else {
        for (int i = 0; i < list.size(); i++) {
          if (!list.get(i).isTextual() || list.get(i).asText().isBlank()) {
            violations.add(Violation.invalid("ratingIds[" + i + "]", "type", "须为非空字符串", "must be a non-empty string"));
          } else {
            ids.add(list.get(i).asText());
          }
        }
      }
    }
    if (!violations.isEmpty()) {
      HttpReply.problem(exchange, Problem.validation(violations));
      return;
    }
    try {
      DeadLetterQueue.Replayed replayed = queue.replay(ids, limit);
      LOG.info("Dead-letter queue {}: {} entr(y/ies) replayed by an operator", queue.name(), replayed.ids().size());
      Map<String, Object> reply = new LinkedHashMap<>();
      reply.put("queue", queue.name());
      reply.put("replayed", replayed.ids().size());
      reply.put("ratingIds", replayed.ids());
      reply.put("notFound", replayed.notFound());
      HttpReply.json(exchange, 202, reply);
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    } catch (jakarta.jms.JMSException | jakarta.jms.JMSRuntimeException e) {
      HttpReply.problem(exchange, Problem.unavailable("broker: " + e.getMessage()));
    }
  }

  /**
   * POST .../discard: body {@code {"ratingIds":[...], "reason":"..."}}: the entries are given up for
   * good (the rating keeps its status), and the audit log records who did it and why.
   */
  public void discard(Exchange exchange) {
    DeadLetterQueue queue = queue(exchange);
    if (queue == null) {
      return;
    }
    List<Violation> violations = new ArrayList<>();
    JsonNode doc;
    try {
      doc = HttpReply.parse(HttpReply.body(exchange));
    } catch (HttpReply.BadJson e) {
      HttpReply.problem(exchange, Problem.malformedJson(e.getMessage()));
      return;
    }
    List<String> ids = new ArrayList<>();
    JsonNode list = doc.path("ratingIds");
    if (!list.isArray() || list.isEmpty()) {
      violations.add(Violation.invalid("ratingIds", "required", "ratingIds 须为非空字符串数组（丢弃须逐条指明）",
          "ratingIds must be a non-empty array of strings (a discard names each entry)"));
    } else {
      for (int i = 0; i < list.size(); i++) {
        if (!list.get(i).isTextual() || list.get(i).asText().isBlank()) {
          violations.add(Violation.invalid("ratingIds[" + i + "]", "type", "须为非空字符串", "must be a non-empty string"));
        } else {
          ids.add(list.get(i).asText());
        }
      }
    }
    String reason = doc.path("reason").asText("").strip();
    if (reason.length() < 4 || reason.length() > 500) {
      violations.add(Violation.invalid("reason", "length", "须写明丢弃原因（4 至 500 字）",
          "say why the entries are discarded (4 to 500 characters)"));
    }
    if (!violations.isEmpty()) {
      HttpReply.problem(exchange, Problem.validation(violations));
      return;
    }
    try {
      DeadLetterQueue.Replayed discarded = queue.discard(ids);
      String actor = exchange.getProperty(org.haochaping.gateway.channel.auth.AccessGuard.CALLER, "unknown", String.class);
      String role = exchange.getProperty(org.haochaping.gateway.channel.auth.AccessGuard.ROLE, String.class);
      for (String id : discarded.ids()) {
        audit.record(actor, role, "DLQ_DISCARD " + queue.name(), id, reason, "DISCARDED");
      }
      LOG.info("Dead-letter queue {}: {} entr(y/ies) discarded by {}", queue.name(), discarded.ids().size(), actor);
      Map<String, Object> reply = new LinkedHashMap<>();
      reply.put("queue", queue.name());
      reply.put("discarded", discarded.ids().size());
      reply.put("ratingIds", discarded.ids());
      reply.put("notFound", discarded.notFound());
      reply.put("reason", reason);
      HttpReply.json(exchange, 200, reply);
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  private DeadLetterQueue queue(Exchange exchange) {
    String name = exchange.getMessage().getHeader("queue", String.class);
    DeadLetterQueue queue = name == null ? null : queues.get(name);
    if (queue == null) {
      HttpReply.problem(exchange, Problem.notFound("没有死信队列 " + name + "（已有：" + queues.keySet() + "） / no dead-letter queue "
          + name + " (there are: " + queues.keySet() + ")"));
    }
    return queue;
  }
}
