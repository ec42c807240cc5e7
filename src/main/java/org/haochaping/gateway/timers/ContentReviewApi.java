package org.haochaping.gateway.timers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.store.StoreException;
import org.haochaping.gateway.workorder.Refused;

/** {@code /api/v1/content-reviews} (002 第八条): the reviews waiting, and a reviewer's decision. */
public final class ContentReviewApi {

  private final ContentReviews reviews;

  public ContentReviewApi(ContentReviews reviews) {
    this.reviews = reviews;
  }

  /** GET /api/v1/content-reviews?state=PENDING&limit=&offset= */
  public void list(Exchange exchange) {
    try {
      List<Violation> bad = new ArrayList<>();
      String stateText = header(exchange, "state");
      ContentReviews.State state = null;
      if (stateText != null) {
        try {
          state = ContentReviews.State.valueOf(stateText.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
          bad.add(Violation.invalid("state", "enum", "state 必须是 PENDING、APPROVED 或 REJECTED", "state must be PENDING, APPROVED or REJECTED"));
        }
      }
      int limit = bounded(exchange, "limit", 50, 1, 500, bad);
      int offset = bounded(exchange, "offset", 0, 0, Integer.MAX_VALUE, bad);
      if (!bad.isEmpty()) {
        HttpReply.problem(exchange, Problem.validation(bad));
        return;
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("items", reviews.list(state, limit, offset));
      HttpReply.json(exchange, 200, body);
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  /** POST /api/v1/content-reviews/{ratingId} {decision: APPROVED|REJECTED, actor, notes} */
  public void decide(Exchange exchange) {
    try {
      if (!"application/json".equals(HttpReply.mediaType(exchange))) {
        HttpReply.problem(exchange, Problem.unsupportedMediaType(HttpReply.mediaType(exchange), "application/json"));
        return;
      }
      JsonNode b = HttpReply.parse(HttpReply.body(exchange));
      if (!b.isObject()) {
        HttpReply.problem(exchange, Problem.malformedJson("请求体应为JSON对象 / the body must be a JSON object"));
        return;
      }
      HttpReply.json(exchange, 200, reviews.decide(exchange.getMessage().getHeader("ratingId", String.class),
          b.path("decision").asText(null), b.path("actor").asText(null), b.path("notes").asText(null)));
    } catch (HttpReply.BadJson e) {
      HttpReply.problem(exchange, Problem.malformedJson(e.getMessage()));
    } catch (Refused e) {
      HttpReply.problem(exchange, e.problem());
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  private static String header(Exchange exchange, String name) {
    String v = exchange.getMessage().getHeader(name, String.class);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static int bounded(Exchange exchange, String name, int fallback, int min, int max, List<Violation> bad) {
    String v = header(exchange, name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    bad.add(Violation.invalid(name, "range", name + " 应为 " + min + " 到 " + max + " 之间的整数", name + " must be a whole number from " + min + " to " + max));
    return fallback;
  }
}
