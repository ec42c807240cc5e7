package org.haochaping.gateway.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.haochaping.gateway.store.IdempotencyKeys;
import org.haochaping.gateway.store.RatingLedger;
import org.haochaping.gateway.store.StoreException;

/** The REST face of rating intake: {@code /api/v1/ratings}, single, batch and status. */
public final class RatingApi {

  private final RatingIntake intake;
  private final RatingLedger ledger;
  private final IdempotencyKeys keys;
  private final int maxBatchItems;

  public RatingApi(RatingIntake intake, RatingLedger ledger, IdempotencyKeys keys, int maxBatchItems) {
    this.intake = intake;
    this.ledger = ledger;
    this.keys = keys;
    this.maxBatchItems = maxBatchItems;
  }

  /** POST /api/v1/ratings: 202 once the rating is durable. */
  public void submit(Exchange exchange) {
    if (!"application/json".equals(HttpReply.mediaType(exchange))) {
      HttpReply.problem(exchange, Problem.unsupportedMediaType(HttpReply.mediaType(exchange), "application/json"));
      return;
    }
    JsonNode document;
    try {
      document = HttpReply.parse(HttpReply.body(exchange));
    } catch (HttpReply.BadJson e) {
      HttpReply.problem(exchange, Problem.malformedJson(e.getMessage()));
      return;
    }
    if (!document.isObject()) {
      HttpReply.problem(exchange, Problem.malformedJson("评价应为JSON对象；批量提交请用 /api/v1/ratings/batch / a rating must be a JSON object; send arrays to /api/v1/ratings/batch"));
      return;
    }
    RatingIntake.Outcome outcome = intake.submit(document);
    if (outcome.accepted()) {
      HttpReply.json(exchange, 202, accepted(outcome));
      exchange.getMessage().setHeader("Location", "/api/v1/ratings/" + outcome.ratingId());
    } else {
      HttpReply.problem(exchange, outcome.problem());
    }
  }

  /** POST /api/v1/ratings/batch: a JSON array or NDJSON; every item gets its own result. */
  public void submitBatch(Exchange exchange) {
    String media = HttpReply.mediaType(exchange);
    boolean ndjson = "application/x-ndjson".equals(media) || "application/ndjson".equals(media);
    if (!ndjson && !"application/json".equals(media)) {
      HttpReply.problem(exchange, Problem.unsupportedMediaType(media, "application/json (JSON array) or application/x-ndjson"));
      return;
    }
    byte[] body = HttpReply.body(exchange);
    List<JsonNode> items = new ArrayList<>();
    Map<Integer, String> unreadable = new LinkedHashMap<>();
    if (ndjson) {
      readNdjson(body, items, unreadable);
    } else {
      try {
        JsonNode array = HttpReply.parse(body);
        if (!array.isArray()) {
          HttpReply.problem(exchange, Problem.malformedJson("批量提交应为JSON数组 / a batch must be a JSON array"));
          return;
        }
        array.forEach(items::add);
      } catch (HttpReply.BadJson e) {
        HttpReply.problem(exchange, Problem.malformedJson(e.getMessage()));
        return;
      }
    }
    int total = items.size() + unreadable.size();
    if (total > maxBatchItems) {
      HttpReply.problem(exchange, Problem.of(413, "BATCH_TOO_LARGE", "批量条数过多", "Too many items in one batch",
          "每批最多 " + maxBatchItems + " 条，收到 " + total + " / at most " + maxBatchItems + " items per batch, got " + total));
      return;
    }
    // Items that are JSON objects go through intake together; the rest are answered where they stand.
    List<JsonNode> objects = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    int index = 0;
    Map<Integer, Object> results = new java.util.TreeMap<>();
    for (int i = 0; i < total; i++) {
      if (unreadable.containsKey(i)) {
        results.put(i, itemProblem(i, Problem.malformedJson(unreadable.get(i))));
        continue;
      }
      JsonNode item = items.get(index++);
      if (!item.isObject()) {
        results.put(i, itemProblem(i, Problem.malformedJson("每一项应为JSON对象 / every item must be a JSON object")));
      } else {
        objects.add(item);
        positions.add(i);
      }
    }
    List<RatingIntake.Outcome> outcomes = intake.submitAll(objects);
    int accepted = 0;
    for (int k = 0; k < outcomes.size(); k++) {
      RatingIntake.Outcome o = outcomes.get(k);
      int i = positions.get(k);
      if (o.accepted()) {
        accepted++;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("index", i);
        r.putAll(accepted(o));
        r.put("status", 202);
        results.put(i, r);
      } else {
        results.put(i, itemProblem(i, o.problem()));
      }
    }
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("total", total);
    reply.put("accepted", accepted);
    reply.put("rejected", total - accepted);
    reply.put("results", new ArrayList<>(results.values()));
    HttpReply.json(exchange, 200, reply);
  }

  /** GET /api/v1/ratings/{ratingId}. */
  public void status(Exchange exchange) {
    String id = exchange.getMessage().getHeader("ratingId", String.class);
    try {
      var entry = ledger.find(id);
      if (entry.isPresent()) {
        HttpReply.json(exchange, 200, entry.get());
        return;
      }
      var claimed = keys.claimedAt(id);
      if (claimed.isPresent()) {
        // Durable in the broker, not yet written by the ledger consumer.
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ratingId", id);
        r.put("status", "ACCEPTED");
        r.put("receivedAt", claimed.get());
        HttpReply.json(exchange, 200, r);
        return;
      }
      HttpReply.problem(exchange, Problem.notFound("没有评价 " + id + " / no rating " + id));
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  private static Map<String, Object> accepted(RatingIntake.Outcome o) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("ratingId", o.ratingId());
    r.put("status", "ACCEPTED");
    r.put("replay", o.status() == RatingIntake.Outcome.Status.REPLAYED);
    return r;
  }

  private static Map<String, Object> itemProblem(int index, Problem p) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("index", index);
    r.put("status", p.status());
    r.put("error", p);
    return r;
  }

  private static void readNdjson(byte[] body, List<JsonNode> items, Map<Integer, String> unreadable) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8))) {
      String line;
      int i = 0;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        try {
          items.add(HttpReply.parse(line.getBytes(StandardCharsets.UTF_8)));
        } catch (HttpReply.BadJson e) {
          unreadable.put(i, e.getMessage());
        }
        i++;
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
