package org.haochaping.gateway.workorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Properties;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.LifecycleEventObserver;
import org.haochaping.gateway.support.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Guangdong rules that need time to pass, on a simulated clock that only moves forward: work-order
 * deadlines and the overdue metric, the appeal windows, the follow-up window enforced at intake, and
 * the calendar's warning when a deadline falls in a year without official data.
 */
@Tag("db")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleClockRouteTest extends GatewayTestSupport {

  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private LifecycleEventObserver events;

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

  private synchronized LifecycleEventObserver events() throws Exception {
    if (events == null) {
      events = LifecycleEventObserver.open(bean("gatewayCore", GatewayCore.class), "test.clock");
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

  private String workOrderFor(String caseNo) {
    assertThat(api.post("/api/v1/cases", Fixtures.completedCase(caseNo)).status()).isEqualTo(201);
    Map<String, Object> r = Fixtures.rating(caseNo, "DISSATISFIED");
    r.put("tags", java.util.List.of("519"));
    String ratingId = api.post("/api/v1/ratings", r).json().get("ratingId").asText();
    WorkOrders workOrders = bean("workOrders", WorkOrders.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> workOrders.idOfRating(ratingId).isPresent());
    return workOrders.idOfRating(ratingId).orElseThrow();
  }

  private JsonNode move(String id, String to, String extraKey, String extraValue) {
    Api.Response r = api.post("/api/v1/workorders/" + id + "/transitions",
        extraKey == null ? Map.of("to", to, "actor", "tester") : Map.of("to", to, "actor", "tester", extraKey, extraValue));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  @Test
  @Order(1)
  void calendarIsHealthyWithoutWarningWhileDeadlinesStayInCoveredYears() {
    JsonNode calendar = healthCheck("calendar");
    assertThat(calendar.get("state").asText()).isEqualTo("UP");
    assertThat(calendar.get("details").get("coveredYears").asText()).contains("2025").contains("2026");
    assertThat(calendar.get("details").has("warning")).isFalse();
  }

  @Test
  @Order(2)
  void workOrderNotRectifiedIn10WorkingDaysIsFlaggedOverdueAndCounted() throws Exception {
    String id = workOrderFor("CLK-OVERDUE");
    JsonNode verified = move(id, "VERIFIED", null, null);
    move(id, "RECTIFYING", null, null);
    String lastDay = verified.get("rectifyLastDay").asText();
    // 10 working days are at least 12 calendar days; 20 days later the deadline has surely passed.
    clock.advance(Duration.ofDays(20));
    await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/workorders/" + id).json().get("overdue").asBoolean());
    await().atMost(Duration.ofSeconds(20)).until(() -> !events().of("WORK_ORDER_OVERDUE", "CLK-OVERDUE").isEmpty());
    JsonNode overdue = events().of("WORK_ORDER_OVERDUE", "CLK-OVERDUE").get(0);
    assertThat(overdue.path("data").path("deadline").asText()).isEqualTo("RECTIFY");
    assertThat(overdue.path("data").path("state").asText()).isEqualTo("RECTIFYING");
    JsonNode wo = api.get("/api/v1/workorders/" + id).json();
    assertThat(wo.get("history")).anySatisfy(h -> {
      assertThat(h.get("action").asText()).isEqualTo("OVERDUE");
      assertThat(h.get("notes").asText()).contains(lastDay);
    });
    assertThat(api.get("/api/v1/workorders?overdue=true").json().get("items")).extracting(i -> i.get("id").asText()).contains(id);
    String metrics = api.get("/observe/metrics").text();
    assertThat(metrics).containsPattern("hcp_workorders_overdue_total\\{deadline=\"RECTIFY\"[^}]*} 1\\.0");
    assertThat(metrics).containsPattern("hcp_workorders_overdue_open(\\{[^}]*})? [1-9]");

    // Rectified late: still done, and still shown as having been overdue.
    JsonNode rectified = move(id, "RECTIFIED", "result", "已整改（逾期）");
    assertThat(rectified.get("overdue").asBoolean()).isTrue();
  }

  @Test
  @Order(3)
  void appealAfter5WorkingDaysIsRefused() {
    String id = workOrderFor("CLK-APPEAL-LATE");
    // 5 working days are at most 9 calendar days outside the long holidays; 12 is past them anyway.
    clock.advance(Duration.ofDays(12));
    Api.Response late = api.post("/api/v1/workorders/" + id + "/appeal", Map.of("actor", "S0012", "reason", "MISJUDGED"));
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.json().get("violations").get(0).get("rule").asText()).isEqualTo("appealWindowClosed");
    assertThat(late.json().get("violations").get(0).get("message").asText()).contains("5 个工作日");
  }

  @Test
  @Order(4)
  void appealNotVerifiedIn5WorkingDaysIsOverdue() throws Exception {
    String id = workOrderFor("CLK-APPEAL-SLOW");
    JsonNode filed = api.post("/api/v1/workorders/" + id + "/appeal", Map.of("actor", "S0012", "reason", "MISJUDGED", "notes", "评错了窗口")).json();
    assertThat(filed.get("appeal").get("state").asText()).isEqualTo("FILED");
    clock.advance(Duration.ofDays(12));
    await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/workorders/" + id).json().get("appeal").get("overdue").asBoolean());
    await().atMost(Duration.ofSeconds(20)).until(() -> !events().of("APPEAL_OVERDUE", "CLK-APPEAL-SLOW").isEmpty());
    // Verified late, still decided.
    Api.Response decided = api.post("/api/v1/workorders/" + id + "/appeal/decision", Map.of("actor", "中心", "upheld", false));
    assertThat(decided.status()).isEqualTo(200);
    assertThat(decided.json().get("appeal").get("state").asText()).isEqualTo("REJECTED");
    assertThat(decided.json().get("state").asText()).isEqualTo("PENDING_VERIFICATION");
  }

  @Test
  @Order(5)
  void followUpNeedsAFirstRatingAndComesOnceWithin60NaturalDays() {
    // 000 第二十一条, enforced at intake.
    assertThat(api.post("/api/v1/cases", Fixtures.completedCase("CLK-FU-1")).status()).isEqualTo(201);
    Map<String, Object> followUp = Fixtures.rating("CLK-FU-1", "BASIC");
    followUp.put("assessNumber", 2);
    Api.Response early = api.post("/api/v1/ratings", followUp);
    assertThat(early.status()).isEqualTo(422);
    assertThat(early.json().get("violations").get(0).get("rule").asText()).isEqualTo("followUpNeedsFirstRating");

    assertThat(api.post("/api/v1/ratings", Fixtures.rating("CLK-FU-1", "SATISFIED")).status()).isEqualTo(202);
    clock.advance(Duration.ofDays(59));
    Api.Response inTime = api.post("/api/v1/ratings", followUp);
    assertThat(inTime.status()).as(inTime.toString()).isEqualTo(202);
    // Once: another follow-up with other content holds the same key.
    Map<String, Object> second = Fixtures.rating("CLK-FU-1", "DISSATISFIED");
    second.put("assessNumber", 2);
    second.put("comment", "又改主意了");
    assertThat(api.post("/api/v1/ratings", second).status()).isEqualTo(409);

    assertThat(api.post("/api/v1/cases", Fixtures.completedCase("CLK-FU-2")).status()).isEqualTo(201);
    assertThat(api.post("/api/v1/ratings", Fixtures.rating("CLK-FU-2", "SATISFIED")).status()).isEqualTo(202);
    clock.advance(Duration.ofDays(62));
    Map<String, Object> tooLate = Fixtures.rating("CLK-FU-2", "BASIC");
    tooLate.put("assessNumber", 2);
    Api.Response closed = api.post("/api/v1/ratings", tooLate);
    assertThat(closed.status()).isEqualTo(422);
    assertThat(closed.json().get("code").asText()).isEqualTo("RATING_NOT_ALLOWED");
    assertThat(closed.json().get("violations").get(0).get("rule").asText()).isEqualTo("followUpWindowClosed");
    assertThat(closed.json().get("violations").get(0).get("message").asText()).contains("60 个自然日");
  }

  @Test
  @Order(6)
  void deadlineInAYearWithoutCalendarDataFallsBackToMondayToFridayAndSaysSo() {
    clock.set(Instant.parse("2031-03-03T02:00:00Z"));
    String id = workOrderFor("CLK-2031");
    JsonNode verified = move(id, "VERIFIED", null, null);
    // Mon 2031-03-03 + 10 working days, Monday to Friday: Mar 17.
    assertThat(verified.get("rectifyLastDay").asText()).isEqualTo("2031-03-17");
    JsonNode calendar = healthCheck("calendar");
    assertThat(calendar.get("state").asText()).isEqualTo("UP");
    assertThat(calendar.get("details").get("uncoveredYearsUsed").asText()).contains("2031");
    assertThat(calendar.get("details").get("warning").asText()).contains("2031").contains("Monday-Friday");
  }
}
