package org.haochaping.gateway.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.policy.TimerKind;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.LifecycleEventObserver;
import org.haochaping.gateway.workorder.WorkOrders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ratings that apply to more than their own case (profile guangdong): a batch visit is rated once for
 * all its cases (000 第十八条), a theme (一件事) rated overall applies to every item not rated on its own
 * (000 第十九条). Through the real routes, checked in the ledger.
 */
@Tag("db")
class BatchAndThemeRouteTest extends GatewayTestSupport {

  private LifecycleEventObserver events;

  @BeforeEach
  void observe() throws Exception {
    if (events == null) {
      events = LifecycleEventObserver.open(bean("gatewayCore", GatewayCore.class), "test.scope");
    }
  }

  @AfterAll
  void stopObserving() throws Exception {
    if (events != null) {
      events.close();
    }
  }

  private void push(String caseNo, String taskCode, String visitId, String themeId) {
    Map<String, Object> c = Fixtures.completedCase(caseNo);
    c.put("taskCode", taskCode);
    if (visitId != null) {
      c.put("visitId", visitId);
    }
    if (themeId != null) {
      c.put("themeId", themeId);
    }
    Api.Response r = api.post("/api/v1/cases", c);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  private Api.Response rate(String caseNo, String level, String comment) {
    Map<String, Object> r = Fixtures.rating(caseNo, level);
    if (comment != null) {
      r.put("comment", comment);
    }
    return api.post("/api/v1/ratings", r);
  }

  /** case_no -> level|sourceRef of its item ratings in the ledger. */
  private Map<String, String> ledger(String prefix) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = bean("database", Database.class).connection();
        PreparedStatement ps = c.prepareStatement("select case_no, level, source_ref from ratings where case_no like ? order by case_no")) {
      ps.setString(1, prefix + "%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3));
        }
      }
    }
    return out;
  }

  @Test
  void batchVisitIsRatedOnceAndTheRatingAppliesToEveryCaseOfTheBatch() throws Exception {
    push("BV-1", "T-BIZ-REG", "VISIT-1", null);
    push("BV-2", "T-BIZ-REG", "VISIT-1", null);
    push("BV-3", "T-BIZ-REG", "VISIT-1", null);
    push("BV-4", "T-TAX-REG", "VISIT-1", null); // another item in the same visit: not the batch
    Api.Response first = rate("BV-1", "SATISFIED", null);
    assertThat(first.status()).isEqualTo(202);
    String id = first.json().get("ratingId").asText();

    await().atMost(Duration.ofSeconds(20)).until(() -> ledger("BV-").size() == 3);
    assertThat(ledger("BV-")).containsEntry("BV-1", "SATISFIED|null")
        .containsEntry("BV-2", "SATISFIED|applied:" + id)
        .containsEntry("BV-3", "SATISFIED|applied:" + id)
        .doesNotContainKey("BV-4");
    await().atMost(Duration.ofSeconds(20)).until(() -> events.ofType("RATING_APPLIED").stream()
        .filter(e -> e.path("data").path("appliedFrom").asText().equals(id)).count() == 2);
    // The applied rating rates the case: its reminder and default are stopped.
    TimerStore timers = bean("timerStore", TimerStore.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> timers.stateOf(TimerKind.REMINDER, "BV-3") == TimerStore.State.CANCELLED);
    assertThat(timers.stateOf(TimerKind.REMINDER, "BV-4")).isEqualTo(TimerStore.State.PENDING);

    Api.Response second = rate("BV-2", "DISSATISFIED", "不满意");
    assertThat(second.status()).isEqualTo(422);
    assertThat(second.json().get("violations").get(0).get("rule").asText()).isEqualTo("batchVisitRatedOnce");
    assertThat(second.json().get("violations").get(0).get("message").asText()).contains("批量").contains(id);
    assertThat(rate("BV-4", "BASIC", null).status()).isEqualTo(202);
  }

  @Test
  void badBatchRatingMakesOneWorkOrder() throws Exception {
    push("BW-1", "T-BIZ-REG", "VISIT-2", null);
    push("BW-2", "T-BIZ-REG", "VISIT-2", null);
    String id = rate("BW-1", "VERY_DISSATISFIED", "排队三小时").json().get("ratingId").asText();
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger("BW-").size() == 2);
    WorkOrders workOrders = bean("workOrders", WorkOrders.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> workOrders.idOfRating(id).isPresent());
    assertThat(api.get("/api/v1/workorders?caseNo=BW-2").json().get("total").asInt()).isZero();
    assertThat(api.get("/api/v1/workorders?caseNo=BW-1").json().get("total").asInt()).isEqualTo(1);
  }

  @Test
  void themeRatedOverallAppliesToEveryItemNotRatedSeparately() throws Exception {
    push("TH-9", "T-THEME", null, "TH-9"); // the theme's own case (一件事)
    push("TH-9-A", "T-A", null, "TH-9");
    push("TH-9-B", "T-B", null, "TH-9");
    push("TH-9-C", "T-C", null, "TH-9");
    // 分别评价 first for one item ...
    assertThat(rate("TH-9-A", "BASIC", null).status()).isEqualTo(202);
    // ... then 总体评价 of the theme.
    String overall = rate("TH-9", "VERY_SATISFIED", null).json().get("ratingId").asText();
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger("TH-9").size() == 4);
    assertThat(ledger("TH-9")).containsEntry("TH-9", "VERY_SATISFIED|null")
        .containsEntry("TH-9-A", "BASIC|null")
        .containsEntry("TH-9-B", "VERY_SATISFIED|applied:" + overall)
        .containsEntry("TH-9-C", "VERY_SATISFIED|applied:" + overall);
    Api.Response late = rate("TH-9-C", "SATISFIED", null);
    assertThat(late.status()).isEqualTo(422);
    assertThat(List.of(late.json().get("violations").get(0).get("rule").asText())).containsAnyOf("themeRatedOverall");
  }
}
