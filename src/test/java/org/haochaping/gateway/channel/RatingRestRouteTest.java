package org.haochaping.gateway.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.RatingLedger;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Ratings through the real REST routes, embedded broker and database, as a departmental system sends them. */
@Tag("db")
class RatingRestRouteTest extends GatewayTestSupport {

  private String completedCase(String caseNo) {
    assertThat(api.post("/api/v1/cases", Fixtures.completedCase(caseNo)).status()).isEqualTo(201);
    return caseNo;
  }

  @Test
  void acceptedRatingIsAnswered202AndStoredWithItsScore() {
    String caseNo = completedCase("R-ACCEPT-1");
    Api.Response r = api.post("/api/v1/ratings", Fixtures.rating(caseNo, "SATISFIED"));
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    String id = r.json().get("ratingId").asText();

    RatingLedger ledger = bean("ratingLedger", RatingLedger.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(id).isPresent());
    RatingLedger.Entry e = ledger.find(id).orElseThrow();
    assertThat(e.score()).isEqualTo(8); // 000 第六条: 满意 = 8
    assertThat(e.level()).isEqualTo("SATISFIED");
    assertThat(e.caseNo()).isEqualTo(caseNo);
    // forwarding to the (simulated) province may already be done
    assertThat(e.status()).isIn("ACCEPTED", "FORWARDED");

    JsonNode status = api.get("/api/v1/ratings/" + id).json();
    assertThat(status.get("score").asInt()).isEqualTo(8);
    assertThat(status.toString()).doesNotContain(Fixtures.MOBILE).doesNotContain(Fixtures.ID_NO);
  }

  @Test
  void scoreSentByTheClientIsNotTrusted() {
    String caseNo = completedCase("R-SCORE-1");
    Map<String, Object> rating = Fixtures.rating(caseNo, "VERY_DISSATISFIED");
    rating.put("score", 10);
    rating.put("comment", "等了两个小时");
    String id = api.post("/api/v1/ratings", rating).json().get("ratingId").asText();
    RatingLedger ledger = bean("ratingLedger", RatingLedger.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(id).isPresent());
    assertThat(ledger.find(id).orElseThrow().score()).isZero();
  }

  @Test
  void evaluatorIsStoredEncrypted() throws Exception {
    String caseNo = completedCase("R-SEALED-1");
    String id = api.post("/api/v1/ratings", Fixtures.rating(caseNo, "VERY_SATISFIED")).json().get("ratingId").asText();
    RatingLedger ledger = bean("ratingLedger", RatingLedger.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(id).isPresent());
    try (Connection c = bean("database", Database.class).connection();
        PreparedStatement ps = c.prepareStatement("select evaluator_sealed from ratings where rating_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).startsWith("v1:").doesNotContain(Fixtures.MOBILE).doesNotContain("张三");
      }
    }
    try (Connection c = bean("database", Database.class).connection();
        PreparedStatement ps = c.prepareStatement("select applicant_sealed from cases where case_no = ?")) {
      ps.setString(1, caseNo);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).startsWith("v1:").doesNotContain(Fixtures.ID_NO);
      }
    }
  }

  @Test
  void badRatingWithoutTagOrTextIsRejected() {
    String caseNo = completedCase("R-BAD-1");
    Api.Response r = api.post("/api/v1/ratings", Fixtures.rating(caseNo, "DISSATISFIED"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonNode v = r.json().get("violations").get(0);
    assertThat(v.get("field").asText()).isEqualTo("tags");
    assertThat(v.get("rule").asText()).isEqualTo("badRatingNeedsReason");
    assertThat(v.get("message").asText()).contains("不满意");
    assertThat(v.get("messageEn").asText()).contains("dissatisfied");
  }

  @Test
  void badRatingWithABadTagOrAReasonIsAccepted() {
    String caseNo = completedCase("R-BAD-2");
    Map<String, Object> tagged = Fixtures.rating(caseNo, "DISSATISFIED");
    tagged.put("tags", List.of("513"));
    assertThat(api.post("/api/v1/ratings", tagged).status()).isEqualTo(202);
    Map<String, Object> staff = Fixtures.rating(caseNo, "VERY_DISSATISFIED");
    staff.put("target", Map.of("type", "STAFF"));
    staff.put("visitId", "V1");
    staff.put("comment", "窗口人员态度冷淡");
    assertThat(api.post("/api/v1/ratings", staff).status()).isEqualTo(202);
  }

  @Test
  void goodTagDoesNotExplainABadRating() {
    String caseNo = completedCase("R-BAD-3");
    Map<String, Object> r = Fixtures.rating(caseNo, "VERY_DISSATISFIED");
    r.put("tags", List.of("101"));
    assertThat(api.post("/api/v1/ratings", r).json().get("violations").get(0).get("rule").asText()).isEqualTo("badRatingNeedsReason");
  }

  @Test
  void tagNotInTheProvinceTableIsRejected() {
    String caseNo = completedCase("R-TAG-1");
    Map<String, Object> r = Fixtures.rating(caseNo, "SATISFIED");
    r.put("tags", List.of("B01")); // a guangxi code, unknown in guangdong
    Api.Response resp = api.post("/api/v1/ratings", r);
    assertThat(resp.status()).isEqualTo(400);
    assertThat(resp.json().get("violations").get(0).get("field").asText()).isEqualTo("tags[0]");
    assertThat(resp.json().get("violations").get(0).get("rule").asText()).isEqualTo("unknownTag");
  }

  @Test
  void ratingOfAnUnknownCaseIsRefused422() {
    Api.Response r = api.post("/api/v1/ratings", Fixtures.rating("R-NOBODY-1", "SATISFIED"));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("code").asText()).isEqualTo("CASE_UNKNOWN");
  }

  @Test
  void ratingCarryingItsCaseInlineIsAccepted() {
    Map<String, Object> r = Fixtures.rating("R-INLINE-1", "BASIC");
    r.put("case", Fixtures.completedCase("R-INLINE-1"));
    assertThat(api.post("/api/v1/ratings", r).status()).isEqualTo(202);
    assertThat(api.get("/api/v1/cases/R-INLINE-1").status()).isEqualTo(200);
  }

  @Test
  void itemRatingBeforeCompletionIsRefused() {
    // 000 第十七条: the item is rated once after completion.
    assertThat(api.post("/api/v1/cases", Fixtures.windowCase("R-EARLY-1")).status()).isEqualTo(201);
    Api.Response r = api.post("/api/v1/ratings", Fixtures.rating("R-EARLY-1", "SATISFIED"));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("code").asText()).isEqualTo("RATING_NOT_ALLOWED");
    assertThat(r.json().get("violations").get(0).get("rule").asText()).isEqualTo("caseNotCompleted");

    // ...while the staff may be rated after each window visit.
    Map<String, Object> staff = Fixtures.rating("R-EARLY-1", "SATISFIED");
    staff.put("target", Map.of("type", "STAFF"));
    staff.put("visitId", "V1");
    assertThat(api.post("/api/v1/ratings", staff).status()).isEqualTo(202);

    // After the completion event the item can be rated.
    assertThat(api.post("/api/v1/cases/R-EARLY-1/events", Map.of("type", "COMPLETED")).status()).isEqualTo(200);
    assertThat(api.post("/api/v1/ratings", Fixtures.rating("R-EARLY-1", "SATISFIED")).status()).isEqualTo(202);
  }

  @Test
  void systemDefaultChannelIsReservedForTheGateway() {
    String caseNo = completedCase("R-DEFAULT-1");
    Map<String, Object> r = Fixtures.rating(caseNo, "VERY_SATISFIED");
    r.put("channel", "SYSTEM_DEFAULT");
    assertThat(api.post("/api/v1/ratings", r).json().get("violations").get(0).get("rule").asText()).isEqualTo("reservedChannel");
  }

  @Test
  void identicalReplayReturnsTheSameRatingId() throws Exception {
    String caseNo = completedCase("R-REPLAY-1");
    Map<String, Object> r = Fixtures.rating(caseNo, "SATISFIED");
    r.put("sourceRef", "portal-778899");
    Api.Response first = api.post("/api/v1/ratings", r);
    Api.Response again = api.post("/api/v1/ratings", r);
    assertThat(first.status()).isEqualTo(202);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().get("ratingId").asText()).isEqualTo(first.json().get("ratingId").asText());
    assertThat(again.json().get("replay").asBoolean()).isTrue();

    RatingLedger ledger = bean("ratingLedger", RatingLedger.class);
    String id = first.json().get("ratingId").asText();
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(id).isPresent());
    assertThat(countRatingsOf(caseNo)).isEqualTo(1);
  }

  @Test
  void sameNaturalKeyWithDifferentContentIs409() {
    String caseNo = completedCase("R-CONFLICT-1");
    Api.Response first = api.post("/api/v1/ratings", Fixtures.rating(caseNo, "SATISFIED"));
    Api.Response other = api.post("/api/v1/ratings", Fixtures.rating(caseNo, "BASIC"));
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.json().get("code").asText()).isEqualTo("IDEMPOTENCY_CONFLICT");
    assertThat(other.json().get("ratingId").asText()).isEqualTo(first.json().get("ratingId").asText());
  }

  @Test
  void batchWithMixedItemsAnswersEveryItem() {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      items.add(Fixtures.rating(completedCase("R-BATCH-" + i), "VERY_SATISFIED"));
    }
    items.add(Fixtures.rating("R-BATCH-0", "DISSATISFIED")); // bad rating without reason
    items.add(Fixtures.rating("R-BATCH-NONE", "SATISFIED")); // unknown case
    items.add("not an object");
    items.add(Fixtures.rating("R-BATCH-1", "VERY_SATISFIED")); // identical replay of item 1
    Api.Response r = api.post("/api/v1/ratings/batch", items);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("total").asInt()).isEqualTo(9);
    assertThat(body.get("accepted").asInt()).isEqualTo(6);
    JsonNode results = body.get("results");
    for (int i = 0; i < 5; i++) {
      assertThat(results.get(i).get("status").asInt()).isEqualTo(202);
    }
    assertThat(results.get(5).get("status").asInt()).isEqualTo(400);
    assertThat(results.get(6).get("status").asInt()).isEqualTo(422);
    assertThat(results.get(7).get("status").asInt()).isEqualTo(400);
    assertThat(results.get(8).get("status").asInt()).isEqualTo(202);
    assertThat(results.get(8).get("ratingId").asText()).isEqualTo(results.get(1).get("ratingId").asText());
  }

  @Test
  void batchOfOneRatingPerCaseKnowsTheRatingsAcceptedBefore() {
    // each case once in the batch: checked first, then claimed together (RatingIntake.submitAll)
    String earlier = completedCase("R-BATCH1-EARLIER");
    String conflicting = completedCase("R-BATCH1-CONFLICT");
    String earlierId = api.post("/api/v1/ratings", Fixtures.rating(earlier, "SATISFIED")).json().get("ratingId").asText();
    String conflictId = api.post("/api/v1/ratings", Fixtures.rating(conflicting, "SATISFIED")).json().get("ratingId").asText();
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      items.add(Fixtures.rating(completedCase("R-BATCH1-" + i), "VERY_SATISFIED"));
    }
    items.add(Fixtures.rating(earlier, "SATISFIED")); // identical to the one accepted before: its replay
    items.add(Fixtures.rating(conflicting, "BASIC")); // same key, other content
    Api.Response r = api.post("/api/v1/ratings/batch", items);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode results = r.json().get("results");
    assertThat(r.json().get("accepted").asInt()).isEqualTo(21);
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      assertThat(results.get(i).get("status").asInt()).isEqualTo(202);
      ids.add(results.get(i).get("ratingId").asText());
    }
    assertThat(ids).hasSize(20).doesNotContain(earlierId, conflictId);
    assertThat(results.get(20).get("status").asInt()).isEqualTo(202);
    assertThat(results.get(20).get("ratingId").asText()).isEqualTo(earlierId);
    assertThat(results.get(21).get("status").asInt()).isEqualTo(409);
    RatingLedger ledger = bean("ratingLedger", RatingLedger.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(id -> ledger.find(id).isPresent()));
  }

  @Test
  void batchAsNdjsonReportsTheBrokenLine() {
    String caseNo = completedCase("R-NDJSON-1");
    String body = "{\"caseNo\":\"" + caseNo + "\",\"channel\":\"APP\",\"level\":\"SATISFIED\"}\n{broken\n";
    Api.Response r = api.send("POST", "/api/v1/ratings/batch", "application/x-ndjson", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(r.json().get("accepted").asInt()).isEqualTo(1);
    assertThat(r.json().get("results").get(1).get("error").get("code").asText()).isEqualTo("MALFORMED_JSON");
  }

  @Test
  void unknownRatingIs404() {
    Api.Response r = api.get("/api/v1/ratings/01900000-0000-7000-8000-000000000000");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/problem+json");
  }

  private int countRatingsOf(String caseNo) throws Exception {
    try (Connection c = bean("database", Database.class).connection();
        PreparedStatement ps = c.prepareStatement("select count(*) from ratings where case_no = ?")) {
      ps.setString(1, caseNo);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
