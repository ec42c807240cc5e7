package org.haochaping.gateway.channel.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.channel.RatingIntake;

/**
 * The two ends of a channel route: {@link #readJson} before the channel's JSLT mapping (a body that
 * is not a JSON object is answered there), {@link #submit} after it (the canonical rating through
 * {@link RatingIntake}). A refusal names the channel's own fields: {@code fields} maps canonical
 * field paths (e.g. {@code level}) to the channel's ({@code star}).
 */
public final class ChannelIntake {

  private final RatingIntake intake;
  private final Map<String, String> fields;

  public ChannelIntake(RatingIntake intake, Map<String, String> fields) {
    this.intake = intake;
    this.fields = Map.copyOf(fields);
  }

  /** Lets a JSON object through to the mapping, or answers 415/400 and stops the route. */
  public void readJson(Exchange exchange) {
    JsonNode doc = readObject(exchange);
    if (doc != null) {
      exchange.getMessage().setBody(HttpReply.body(exchange));
    }
  }

  /** The mapped (canonical) rating through intake: 202 once durable, or the refusal in the channel's field names. */
  public void submit(Exchange exchange) {
    submitAndReply(exchange);
  }

  /** {@link #submit}, with what became of the rating (the route's bean step must not return it: it would become the body). */
  public RatingIntake.Outcome submitAndReply(Exchange exchange) {
    JsonNode canonical = mapped(exchange);
    RatingIntake.Outcome o = intake.submit(canonical);
    if (o.accepted()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("ratingId", o.ratingId());
      r.put("status", "ACCEPTED");
      r.put("replay", o.status() == RatingIntake.Outcome.Status.REPLAYED);
      HttpReply.json(exchange, 202, r);
      exchange.getMessage().setHeader("Location", "/api/v1/ratings/" + o.ratingId());
    } else {
      HttpReply.problem(exchange, renamed(o.problem()));
    }
    return o;
  }

  /** The JSLT output as JSON. */
  public static JsonNode mapped(Exchange exchange) {
    String text = exchange.getMessage().getBody(String.class);
    try {
      return HttpReply.parse(text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8));
    } catch (HttpReply.BadJson e) {
      throw new IllegalStateException("the channel mapping produced no JSON: " + e.getMessage(), e);
    }
  }

  /** The problem with each violation's field in the channel's names. */
  public Problem renamed(Problem p) {
    return rename(p, fields);
  }

  public static Problem rename(Problem p, Map<String, String> fields) {
    if (p.violations() == null || p.violations().isEmpty() || fields.isEmpty()) {
      return p;
    }
    List<Problem.Item> items = p.violations().stream()
        .map(v -> new Problem.Item(fieldName(v.field(), fields), v.rule(), v.message(), v.messageEn())).toList();
    return new Problem(p.type(), p.title(), p.status(), p.code(), p.detail(), items, p.extra());
  }

  /** {@code tags[1]} -> {@code labelCodes[1]}; the longest mapped prefix wins; unmapped paths stay. */
  static String fieldName(String field, Map<String, String> fields) {
    if (field == null) {
      return null;
    }
    String best = null;
    for (String k : fields.keySet()) {
      boolean prefix = field.equals(k) || field.startsWith(k + ".") || field.startsWith(k + "[");
      if (prefix && (best == null || k.length() > best.length())) {
        best = k;
      }
    }
    return best == null ? field : fields.get(best) + field.substring(best.length());
  }

  /** The body as a JSON object, or null after answering 415/400 and stopping the route. */
  public static JsonNode readObject(Exchange exchange) {
    if (!"application/json".equals(HttpReply.mediaType(exchange))) {
      stop(exchange, Problem.unsupportedMediaType(HttpReply.mediaType(exchange), "application/json"));
      return null;
    }
    try {
      JsonNode doc = HttpReply.parse(HttpReply.body(exchange));
      if (!doc.isObject()) {
        stop(exchange, Problem.malformedJson("请求体应为JSON对象 / the body must be a JSON object"));
        return null;
      }
      return doc;
    } catch (HttpReply.BadJson e) {
      stop(exchange, Problem.malformedJson(e.getMessage()));
      return null;
    }
  }

  public static void stop(Exchange exchange, Problem p) {
    HttpReply.problem(exchange, p);
    exchange.setRouteStop(true);
  }
}
