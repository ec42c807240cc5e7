package org.haochaping.gateway.workorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.policy.AgencyScore;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.RatingLedger;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.LifecycleEventObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 差评工单 through the real routes (profile guangdong): a bad rating becomes a work order, people move
 * it on over REST to 办结 with the rectification fed back to the evaluator, invalid moves are refused
 * naming the states, and a staff appeal that finds the rating malicious removes it from the agency's score.
 */
@Tag("db")
class WorkOrderRouteTest extends GatewayTestSupport {

  private LifecycleEventObserver events;

  /** Opened with the first test: the gateway starts before each test class's first test, not before @BeforeAll. */
  private synchronized LifecycleEventObserver events() throws Exception {
    if (events == null) {
      events = LifecycleEventObserver.open(bean("gatewayCore", GatewayCore.class), "test.workorders");
    }
    return events;
  }

  /** Before anything happens in a test: an event published before the queue exists is not kept for it. */
  @BeforeEach
  void observe() throws Exception {
    events();
  }

  @AfterAll
  void stopObserving() throws Exception {
    if (events != null) {
      events.close();
    }
  }

  private String badRating(String caseNo, String deptCode, String level, String comment) {
    Map<String, Object> c = Fixtures.completedCase(caseNo);
    c.put("deptCode", deptCode);
    assertThat(api.post("/api/v1/cases", c).status()).isEqualTo(201);
    Map<String, Object> r = Fixtures.rating(caseNo, level);
    r.put("comment", comment);
    Api.Response response = api.post("/api/v1/ratings", r);
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    return response.json().get("ratingId").asText();
  }

  private String workOrderOf(String ratingId) {
    WorkOrders workOrders = bean("workOrders", WorkOrders.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> workOrders.idOfRating(ratingId).isPresent());
    return workOrders.idOfRating(ratingId).orElseThrow();
  }

  private Api.Response move(String id, Map<String, Object> body) {
    return api.post("/api/v1/workorders/" + id + "/transitions", body);
  }

  @Test
  void badRatingIsRectifiedFedBackRevisitedAndClosed() throws Exception {
    String ratingId = badRating("WO-1", "LJSCJGJ", "DISSATISFIED", "材料退回三次，没有一次性告知");
    String id = workOrderOf(ratingId);
    await().atMost(Duration.ofSeconds(20)).until(() -> events().ofType("WORK_ORDER_CREATED").stream()
        .anyMatch(e -> e.path("data").path("workOrderId").asText().equals(id)));

    JsonNode wo = api.get("/api/v1/workorders/" + id).json();
    assertThat(wo.get("state").asText()).isEqualTo("PENDING_VERIFICATION");
    assertThat(wo.get("stateLabel").asText()).isEqualTo("待核实");
    assertThat(wo.get("comment").asText()).contains("一次性告知");
    assertThat(wo.toString()).doesNotContain(Fixtures.MOBILE).doesNotContain(Fixtures.ID_NO).doesNotContain("张三");
    JsonNode listed = api.get("/api/v1/workorders?caseNo=WO-1&state=PENDING_VERIFICATION").json();
    assertThat(listed.get("total").asInt()).isEqualTo(1);
    assertThat(listed.get("items").get(0).get("id").asText()).isEqualTo(id);

    // 000 第二十三条: 核实 by the service center, then the agency rectifies within 10 working days.
    JsonNode verified = move(id, Map.of("to", "属实", "actor", "市行政服务中心-王五", "notes", "经核实无误，转市场监管局办理")).json();
    assertThat(verified.get("state").asText()).isEqualTo("VERIFIED");
    assertThat(verified.get("rectifyLastDay").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(move(id, Map.of("to", "RECTIFYING", "actor", "市场监管局-赵六")).status()).isEqualTo(200);
    Api.Response noResult = move(id, Map.of("to", "RECTIFIED", "actor", "市场监管局-赵六"));
    assertThat(noResult.status()).isEqualTo(400);
    assertThat(noResult.json().get("violations").get(0).get("field").asText()).isEqualTo("result");
    JsonNode rectified = move(id, Map.of("to", "RECTIFIED", "actor", "市场监管局-赵六",
        "result", "已对窗口人员进行培训，材料清单已在办事指南中一次性列明")).json();
    assertThat(rectified.get("state").asText()).isEqualTo("RECTIFIED");
    assertThat(rectified.get("reportLastDay").asText()).matches("\\d{4}-\\d{2}-\\d{2}");

    // 整改结果反馈给评价人: the SMS module gets WORK_ORDER_FEEDBACK.
    await().atMost(Duration.ofSeconds(20)).until(() -> !events().of("WORK_ORDER_FEEDBACK", "WO-1").isEmpty());
    JsonNode feedback = events().of("WORK_ORDER_FEEDBACK", "WO-1").get(0);
    assertThat(feedback.path("data").path("kind").asText()).isEqualTo("RECTIFIED");
    assertThat(feedback.path("data").path("result").asText()).contains("一次性列明");
    assertThat(feedback.path("data").path("workOrderId").asText()).isEqualTo(id);
    assertThat(bean("workOrders", WorkOrders.class).evaluator(id).orElseThrow().mobile()).isEqualTo(Fixtures.MOBILE);

    assertThat(move(id, Map.of("to", "REVISITED", "actor", "市行政服务中心-王五", "notes", "电话回访，评价人认可")).status()).isEqualTo(200);
    JsonNode closed = move(id, Map.of("to", "CLOSED", "actor", "市行政服务中心-王五", "notes", "报12345审核办结")).json();
    assertThat(closed.get("state").asText()).isEqualTo("CLOSED");
    assertThat(closed.get("resolution").asText()).isEqualTo("RECTIFIED");
    assertThat(closed.get("allowedTransitions")).isEmpty();
    assertThat(closed.get("history")).extracting(h -> h.get("action").asText())
        .containsExactly("CREATED", "TRANSITION", "TRANSITION", "TRANSITION", "TRANSITION", "TRANSITION");
    assertThat(closed.get("history").get(1).get("actor").asText()).isEqualTo("市行政服务中心-王五");
    assertThat(closed.get("history").get(1).get("notes").asText()).contains("经核实无误");

    Api.Response again = move(id, Map.of("to", "RECTIFYING", "actor", "x"));
    assertThat(again.status()).isEqualTo(409);
  }

  @Test
  void invalidTransitionIs409NamingTheStates() {
    String id = workOrderOf(badRating("WO-2", "LJSCJGJ", "VERY_DISSATISFIED", "态度差"));
    Api.Response r = move(id, Map.of("to", "RECTIFIED", "actor", "某人", "result", "x"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonNode p = r.json();
    assertThat(p.get("code").asText()).isEqualTo("INVALID_TRANSITION");
    assertThat(p.get("from").asText()).isEqualTo("PENDING_VERIFICATION");
    assertThat(p.get("to").asText()).isEqualTo("RECTIFIED");
    assertThat(p.get("allowed")).extracting(JsonNode::asText).containsExactly("VERIFIED", "UNFOUNDED", "MALICIOUS");
    assertThat(p.get("violations").get(0).get("message").asText()).contains("待核实").contains("已整改");
    assertThat(p.get("violations").get(0).get("messageEn").asText()).contains("PENDING_VERIFICATION").contains("RECTIFIED");

    Api.Response bad = move(id, Map.of("to", "DONE"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("violations")).extracting(v -> v.get("field").asText()).containsExactlyInAnyOrder("to", "actor");
    assertThat(api.get("/api/v1/workorders/nope").status()).isEqualTo(404);
    assertThat(api.get("/api/v1/workorders?state=WHATEVER").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/workorders?limit=0").json().get("violations").get(0).get("field").asText()).isEqualTo("limit");
    assertThat(api.send("POST", "/api/v1/workorders/" + id + "/transitions", "application/json", "{broken".getBytes()).status()).isEqualTo(400);
  }

  @Test
  void upheldAppealOfAMaliciousRatingRemovesItFromTheAgencyScore() throws Exception {
    String good = badRatingFree("WO-3A", "LJZJJ", "VERY_SATISFIED");
    String bad = badRating("WO-3B", "LJZJJ", "VERY_DISSATISFIED", "乱写的");
    String id = workOrderOf(bad);
    RatingLedger ledger = bean("ratingLedger", RatingLedger.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(good).isPresent() && ledger.find(bad).isPresent());
    AgencyScores scores = bean("agencyScores", AgencyScores.class);
    assertThat(scores.of("LJZJJ")).isEqualTo(new AgencyScore.Result(5.0, 2, 0));

    // 000 第二十五条: the staff member appeals within 5 working days ...
    Api.Response wrongReason = api.post("/api/v1/workorders/" + id + "/appeal", Map.of("actor", "S0012", "reason", "SYSTEM_CAUSED"));
    assertThat(wrongReason.status()).isEqualTo(400);
    assertThat(wrongReason.json().get("violations").get(0).get("rule").asText()).isEqualTo("reasonNotInProfile");
    JsonNode filed = api.post("/api/v1/workorders/" + id + "/appeal",
        Map.of("actor", "S0012", "reason", "恶意评价", "notes", "评价人当场辱骂并扬言给差评")).json();
    assertThat(filed.get("appeal").get("state").asText()).isEqualTo("FILED");
    assertThat(filed.get("appeal").get("verifyDueAt").asText()).isNotEmpty();
    assertThat(api.post("/api/v1/workorders/" + id + "/appeal", Map.of("actor", "S0012", "reason", "MALICIOUS")).status()).isEqualTo(409);

    // ... the agency verifies it: malicious, corrected.
    JsonNode decided = api.post("/api/v1/workorders/" + id + "/appeal/decision",
        Map.of("actor", "市行政服务中心-王五", "upheld", true, "notes", "调取录像核实为恶意评价")).json();
    assertThat(decided.get("state").asText()).isEqualTo("CLOSED");
    assertThat(decided.get("resolution").asText()).isEqualTo("CORRECTED");
    assertThat(decided.get("appeal").get("state").asText()).isEqualTo("UPHELD");

    try (Connection c = bean("database", Database.class).connection();
        PreparedStatement ps = c.prepareStatement("select corrected, correction_reason, corrected_by from ratings where rating_id = ?")) {
      ps.setString(1, bad);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1)).isTrue();
        assertThat(rs.getString(2)).isEqualTo("MALICIOUS");
        assertThat(rs.getString(3)).isEqualTo("市行政服务中心-王五");
      }
    }
    assertThat(scores.of("LJZJJ")).isEqualTo(new AgencyScore.Result(10.0, 1, 1));
    await().atMost(Duration.ofSeconds(20)).until(() -> !events().of("RATING_CORRECTED", "WO-3B").isEmpty());
    JsonNode corrected = events().of("RATING_CORRECTED", "WO-3B").get(0);
    assertThat(corrected.path("data").path("ratingId").asText()).isEqualTo(bad);
    assertThat(corrected.path("data").path("reason").asText()).isEqualTo("MALICIOUS");
    assertThat(api.post("/api/v1/workorders/" + id + "/appeal/decision", Map.of("actor", "x", "upheld", false)).status()).isEqualTo(409);
  }

  @Test
  void verifiedAsMaliciousAtTheCenterIsCorrectedToo() throws Exception {
    String bad = badRating("WO-4", "LJSWJ", "DISSATISFIED", "故意差评");
    String id = workOrderOf(bad);
    await().atMost(Duration.ofSeconds(20)).until(() -> bean("ratingLedger", RatingLedger.class).find(bad).isPresent());
    assertThat(move(id, Map.of("to", "MALICIOUS", "actor", "市行政服务中心-王五")).status()).isEqualTo(400);
    assertThat(move(id, Map.of("to", "MALICIOUS", "actor", "市行政服务中心-王五", "notes", "与办件无关，恶意评价")).status()).isEqualTo(200);
    JsonNode closed = move(id, Map.of("to", "CLOSED", "actor", "市行政服务中心-王五")).json();
    assertThat(closed.get("resolution").asText()).isEqualTo("MALICIOUS");
    assertThat(bean("agencyScores", AgencyScores.class).of("LJSWJ").corrected()).isEqualTo(1);
  }

  @Test
  void goodRatingsAndDefaultsMakeNoWorkOrder() {
    String good = badRatingFree("WO-5", "LJSCJGJ", "BASIC");
    RatingLedger ledger = bean("ratingLedger", RatingLedger.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(good).isPresent());
    assertThat(api.get("/api/v1/workorders?caseNo=WO-5").json().get("total").asInt()).isZero();
  }

  private String badRatingFree(String caseNo, String deptCode, String level) {
    Map<String, Object> c = Fixtures.completedCase(caseNo);
    c.put("deptCode", deptCode);
    assertThat(api.post("/api/v1/cases", c).status()).isEqualTo(201);
    return api.post("/api/v1/ratings", Fixtures.rating(caseNo, level)).json().get("ratingId").asText();
  }

  @Test
  void listFiltersByDepartmentAndState() {
    workOrderOf(badRating("WO-6A", "LJGAJ", "DISSATISFIED", "慢"));
    workOrderOf(badRating("WO-6B", "LJGAJ", "DISSATISFIED", "慢"));
    JsonNode page = api.get("/api/v1/workorders?deptCode=LJGAJ&limit=1").json();
    assertThat(page.get("total").asInt()).isEqualTo(2);
    assertThat(page.get("items")).hasSize(1);
    assertThat(api.get("/api/v1/workorders?deptCode=LJGAJ&state=CLOSED").json().get("total").asInt()).isZero();
    assertThat(api.get("/api/v1/workorders?deptCode=LJGAJ&overdue=false").json().get("total").asInt()).isEqualTo(2);
    assertThat(List.of(api.get("/api/v1/workorders?overdue=maybe").status())).containsExactly(400);
  }
}
