package org.haochaping.gateway.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.policy.AgencyScore;
import org.haochaping.gateway.policy.TimerKind;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.RatingLedger;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.LifecycleEventObserver;
import org.haochaping.gateway.support.MutableClock;
import org.haochaping.gateway.workorder.AgencyScores;
import org.haochaping.gateway.workorder.WorkOrders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Guangxi lifecycle (seed 002) through the real routes on a simulated clock: defaults 7 natural
 * days after acceptance (承诺件) and completion, no reminder, the 15-day review of a bad rating's text
 * (approved when not reviewed in time), 15 natural days to rectify or explain, and the revocation of a
 * system-caused bad rating.
 */
@Tag("db")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuangxiLifecycleRouteTest extends GatewayTestSupport {

  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private LifecycleEventObserver events;

  @Override
  protected String profile() {
    return "guangxi";
  }

  @Override
  protected Clock gatewayClock() {
    return clock;
  }

  @Override
  protected Properties useOverridePropertiesWithPropertiesComponent() {
    Properties p = super.useOverridePropertiesWithPropertiesComponent();
    p.setProperty("hcp.lifecycle.pollMillis", "200");
    return p;
  }

  @BeforeEach
  void observe() throws Exception {
    if (events == null) {
      events = LifecycleEventObserver.open(bean("gatewayCore", GatewayCore.class), "test.guangxi");
    }
  }

  @AfterAll
  void stopObserving() throws Exception {
    if (events != null) {
      events.close();
    }
  }

  private Map<String, Object> gxCase(String caseNo, String projectType, boolean completed) {
    Map<String, Object> c = completed ? Fixtures.completedCase(caseNo) : Fixtures.windowCase(caseNo);
    c.put("areaCode", "450100000000");
    c.put("deptCode", "NNSZWFW");
    c.put("projectType", projectType);
    if ("PROMISED".equals(projectType)) {
      c.put("promiseDays", 5);
    }
    return c;
  }

  private String badRating(String caseNo, String comment) {
    assertThat(api.post("/api/v1/cases", gxCase(caseNo, "IMMEDIATE", true)).status()).isEqualTo(201);
    Map<String, Object> r = Fixtures.rating(caseNo, "DISSATISFIED");
    r.put("tags", List.of("B05"));
    if (comment != null) {
      r.put("comment", comment);
    }
    Api.Response response = api.post("/api/v1/ratings", r);
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    return response.json().get("ratingId").asText();
  }

  private List<String[]> defaultsInLedger(String caseNo) throws Exception {
    List<String[]> out = new ArrayList<>();
    try (Connection c = bean("database", Database.class).connection();
        PreparedStatement ps = c.prepareStatement("select stage, level from ratings where case_no = ? and channel = 'SYSTEM_DEFAULT' order by stage")) {
      ps.setString(1, caseNo);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void promisedCaseDefaultsAtAcceptanceAndCompletionImmediateCaseOnceAndNobodyIsReminded() throws Exception {
    // 002 第八条, 第九条
    assertThat(api.post("/api/v1/cases", gxCase("GX-P1", "PROMISED", false)).status()).isEqualTo(201);
    assertThat(api.post("/api/v1/cases", gxCase("GX-I1", "IMMEDIATE", true)).status()).isEqualTo(201);
    TimerStore timers = bean("timerStore", TimerStore.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> timers.stateOf(TimerKind.DEFAULT_RATING, "GX-I1|OVERALL") != null
        && timers.stateOf(TimerKind.DEFAULT_RATING, "GX-P1|ACCEPT") != null);
    clock.advance(Duration.ofDays(8));
    await().atMost(Duration.ofSeconds(20)).until(() -> defaultsInLedger("GX-P1").size() == 1 && defaultsInLedger("GX-I1").size() == 1);
    assertThat(defaultsInLedger("GX-P1").get(0)).containsExactly("ACCEPT", "VERY_SATISFIED");
    assertThat(defaultsInLedger("GX-I1").get(0)).containsExactly("OVERALL", "VERY_SATISFIED");
    assertThat(timers.stateOf(TimerKind.DEFAULT_RATING, "GX-I1|ACCEPT")).isEqualTo(TimerStore.State.CANCELLED);

    // The promised case completes now: its completion rating defaults 7 natural days later.
    assertThat(api.post("/api/v1/cases/GX-P1/events", Map.of("type", "COMPLETED")).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> timers.stateOf(TimerKind.DEFAULT_RATING, "GX-P1|OVERALL") != null);
    clock.advance(Duration.ofDays(8));
    await().atMost(Duration.ofSeconds(20)).until(() -> defaultsInLedger("GX-P1").size() == 2);
    assertThat(events.ofType("REMINDER_DUE")).isEmpty();
    assertThat(timers.count(TimerKind.REMINDER, TimerStore.State.PENDING) + timers.count(TimerKind.REMINDER, TimerStore.State.FIRED)).isZero();
  }

  @Test
  @Order(2)
  void badRatingTextIsReviewedByAPersonOrApprovedAfter15NaturalDays() throws Exception {
    String reviewed = badRating("GX-CR1", "办理时间太长，工作人员推诿");
    String unreviewed = badRating("GX-CR2", "窗口人员玩手机");
    String tagOnly = badRating("GX-CR3", null);
    await().atMost(Duration.ofSeconds(20)).until(() -> events.ofType("CONTENT_REVIEW_DUE").size() >= 2);
    JsonNode pending = api.get("/api/v1/content-reviews?state=PENDING").json().get("items");
    assertThat(pending).extracting(i -> i.get("ratingId").asText()).contains(reviewed, unreviewed).doesNotContain(tagOnly);

    Api.Response bad = api.post("/api/v1/content-reviews/" + reviewed, Map.of("decision", "MAYBE"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("violations")).extracting(v -> v.get("field").asText()).containsExactlyInAnyOrder("decision", "actor");
    assertThat(api.post("/api/v1/content-reviews/nope", Map.of("decision", "APPROVED", "actor", "x")).status()).isEqualTo(404);
    JsonNode rejected = api.post("/api/v1/content-reviews/" + reviewed,
        Map.of("decision", "REJECTED", "actor", "南宁市政务服务监督管理办公室", "notes", "含不实信息")).json();
    assertThat(rejected.get("state").asText()).isEqualTo("REJECTED");
    assertThat(api.post("/api/v1/content-reviews/" + reviewed, Map.of("decision", "APPROVED", "actor", "x")).status()).isEqualTo(409);

    // 002 第八条: 如超过时限未审核此条评价，视为同意该条评价.
    clock.advance(Duration.ofDays(16));
    await().atMost(Duration.ofSeconds(20)).until(() -> events.ofType("CONTENT_REVIEW_APPROVED").stream()
        .anyMatch(e -> e.path("data").path("ratingId").asText().equals(unreviewed)));
    JsonNode approved = events.ofType("CONTENT_REVIEW_APPROVED").stream()
        .filter(e -> e.path("data").path("ratingId").asText().equals(unreviewed)).findFirst().orElseThrow();
    assertThat(approved.path("data").path("byDefault").asBoolean()).isTrue();
    ContentReviews.Review r = bean("contentReviews", ContentReviews.class).find(unreviewed);
    assertThat(r.state()).isEqualTo(ContentReviews.State.APPROVED);
    assertThat(r.byDefault()).isTrue();
    assertThat(bean("contentReviews", ContentReviews.class).find(reviewed).state()).isEqualTo(ContentReviews.State.REJECTED);
  }

  @Test
  @Order(3)
  void verifiedBadRatingIsRectifiedWithin15NaturalDaysOrExplainedToTheEvaluator() {
    String ratingId = badRating("GX-WO1", "等了很久");
    WorkOrders workOrders = bean("workOrders", WorkOrders.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> workOrders.idOfRating(ratingId).isPresent());
    String id = workOrders.idOfRating(ratingId).orElseThrow();
    JsonNode verified = api.post("/api/v1/workorders/" + id + "/transitions", Map.of("to", "VERIFIED", "actor", "南宁市政务服务中心")).json();
    LocalDate today = LocalDate.ofInstant(clock.instant(), clock.getZone());
    assertThat(verified.get("rectifyLastDay").asText()).isEqualTo(today.plusDays(15).toString());

    // 若在期限内无法整改，应说明理由和整改期限，并将整改结果 ... 向评价人反馈.
    Api.Response tooEarly = api.post("/api/v1/workorders/" + id + "/explanation",
        Map.of("actor", "南宁市政务服务中心", "reason", "需升级系统", "rectifyBy", today.plusDays(10).toString()));
    assertThat(tooEarly.status()).isEqualTo(400);
    assertThat(tooEarly.json().get("violations").get(0).get("rule").asText()).isEqualTo("laterThanDeadline");
    JsonNode explained = api.post("/api/v1/workorders/" + id + "/explanation",
        Map.of("actor", "南宁市政务服务中心", "reason", "需升级排队叫号系统，待采购", "rectifyBy", today.plusDays(45).toString())).json();
    assertThat(explained.get("rectifyLastDay").asText()).isEqualTo(today.plusDays(45).toString());
    assertThat(explained.get("explanation").asText()).contains("排队叫号");
    await().atMost(Duration.ofSeconds(20)).until(() -> events.of("WORK_ORDER_FEEDBACK", "GX-WO1").stream()
        .anyMatch(e -> e.path("data").path("kind").asText().equals("EXPLANATION")));
    // 20 days on, the extended deadline has not passed: not overdue.
    clock.advance(Duration.ofDays(20));
    bean("lifecyclePoller", TimerPoller.class).poll();
    assertThat(api.get("/api/v1/workorders/" + id).json().get("overdue").asBoolean()).isFalse();
  }

  @Test
  @Order(4)
  void systemCausedBadRatingIsRevokedAndLeavesTheStaffScore() throws Exception {
    // 002 第十三条 with 第四条 (the agency's score is the mean of its staff's direct ratings).
    assertThat(api.post("/api/v1/cases", gxCase("GX-S1", "IMMEDIATE", true)).status()).isEqualTo(201);
    String good = api.post("/api/v1/ratings", Fixtures.rating("GX-S1", "SATISFIED")).json().get("ratingId").asText();
    String bad = badRating("GX-S2", "系统一直提示错误，无法提交");
    RatingLedger ledger = bean("ratingLedger", RatingLedger.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(good).isPresent() && ledger.find(bad).isPresent());
    WorkOrders workOrders = bean("workOrders", WorkOrders.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> workOrders.idOfRating(bad).isPresent());
    String id = workOrders.idOfRating(bad).orElseThrow();
    AgencyScores scores = bean("agencyScores", AgencyScores.class);
    AgencyScore.Result before = scores.of("NNSZWFW");

    Api.Response malicious = api.post("/api/v1/workorders/" + id + "/appeal", Map.of("actor", "S0012", "reason", "MALICIOUS"));
    assertThat(malicious.json().get("violations").get(0).get("rule").asText()).isEqualTo("reasonNotInProfile");
    Api.Response filing = api.post("/api/v1/workorders/" + id + "/appeal",
        Map.of("actor", "S0012", "reason", "SYSTEM_CAUSED", "notes", "当日统一受理平台故障"));
    assertThat(filing.status()).as(filing.toString()).isEqualTo(200);
    JsonNode filed = filing.json();
    assertThat(filed.get("appeal").has("verifyDueAt")).isFalse();
    JsonNode decided = api.post("/api/v1/workorders/" + id + "/appeal/decision",
        Map.of("actor", "南宁市政务服务监督管理办公室", "upheld", true, "notes", "经调查平台故障属实")).json();
    assertThat(decided.get("resolution").asText()).isEqualTo("CORRECTED");
    AgencyScore.Result after = scores.of("NNSZWFW");
    assertThat(after.corrected()).isEqualTo(before.corrected() + 1);
    assertThat(after.counted()).isEqualTo(before.counted() - 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> events.of("RATING_CORRECTED", "GX-S2").stream()
        .anyMatch(e -> e.path("data").path("reason").asText().equals("SYSTEM_CAUSED")));
  }
}
