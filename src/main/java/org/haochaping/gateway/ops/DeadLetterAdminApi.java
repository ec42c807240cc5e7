package org.haochaping.gateway.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/admin/dlq/{queue}} and {@code POST /api/v1/admin/dlq/{queue}/replay}: the
 * dead-letter queues of the gateway's modules, for the operator on call. Admin API: a bearer token
 * ({@code admin.token} of the credentials; DESIGN §4). Kept small on purpose: roles and the audit
 * trail belong to the ops issue, which replaces {@link #authorized}.
 */
public final class DeadLetterAdminApi {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterAdminApi.class);
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 10_000;

  private final Supplier<String> adminToken;
  private final Map<String, DeadLetterQueue> queues = new ConcurrentHashMap<>();

  public DeadLetterAdminApi(Supplier<String> adminToken) {
    this.adminToken = adminToken;
  }

  public void register(DeadLetterQueue queue) {
    queues.put(queue.name(), queue);
  }

  /** GET: one page of entries ({@code ?offset=0&limit=100}). */
  public void list(Exchange exchange) {
    if (!authorized(exchange)) {
      return;
    }
    DeadLetterQueue queue = queue(exchange);
    if (queue == null) {
      return;
    }
    List<Violation> violations = new ArrayList<>();
    int offset = number(exchange, "offset", 0, Integer.MAX_VALUE, 0, violations);
    int limit = number(exchange, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT, violations);
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
    if (!authorized(exchange)) {
      return;
    }
    DeadLetterQueue queue = queue(exchange);
    if (queue == null) {
      return;
    }
    List<Violation> violations = new ArrayList<>();
    int limit = number(exchange, "limit", 1, MAX_LIMIT, MAX_LIMIT, violations);
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

  private DeadLetterQueue queue(Exchange exchange) {
    String name = exchange.getMessage().getHeader("queue", String.class);
    DeadLetterQueue queue = name == null ? null : queues.get(name);
    if (queue == null) {
      HttpReply.problem(exchange, Problem.notFound("没有死信队列 " + name + "（已有：" + queues.keySet() + "） / no dead-letter queue "
          + name + " (there are: " + queues.keySet() + ")"));
    }
    return queue;
  }

  /** The admin bearer token, compared in constant time; answers 401 itself when it is missing or wrong. */
  boolean authorized(Exchange exchange) {
    String header = exchange.getMessage().getHeader("Authorization", String.class);
    String expected = adminToken.get();
    String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    boolean ok = given != null && expected != null && !expected.isBlank()
        && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    if (!ok) {
      HttpReply.problem(exchange, Problem.of(401, "UNAUTHORIZED", "需要管理员令牌", "Admin token required",
          "请在 Authorization 头中提供 Bearer 管理员令牌（admin.token） / send the admin token as Authorization: Bearer <admin.token>"));
      exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"haochaping-gateway admin\"");
    }
    return ok;
  }

  private static int number(Exchange exchange, String name, int min, int max, int fallback, List<Violation> violations) {
    String v = exchange.getMessage().getHeader(name, String.class);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    violations.add(Violation.invalid(name, "range", name + " 须为 " + min + " 至 " + max + " 的整数",
        name + " must be a whole number from " + min + " to " + max));
    return fallback;
  }
}
