package org.haochaping.gateway.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.MutableClock;
import org.haochaping.gateway.workorder.AgencyScores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 002 第四条 through the real routes (profile guangxi): the agency, business line (业务条线) and region results
 * are means of the DIRECT ratings of window staff, pooled; a rating of the item alone does not count there.
 *
 * <pre>
 * Clock: Mon 2026-11-02 09:00. Cases accepted 08:00, completed 08:30.
 * G1 NNSCJGJ 南宁市青秀区市场监管局, area 450103000000, business line SCJG, item TG1
 *   K1 X1 EVALUATOR 满意 8 (item+staff)
 *   K2 X1 EVALUATOR 基本满意 6 (staff only) ; PORTAL 非常满意 10 (item only)
 *   K3 X2 QR_DYNAMIC 不满意 3 (item+staff) tag B01
 * G2 NNJNRSJ 南宁市江南区人社局, area 450105000000, business line SCJG (the same vertical line), item TG2
 *   K4 X3 EVALUATOR 非常满意 10 (item+staff)
 *   K5 (online, no staff) PORTAL 不满意 3 (item only, with text)
 *
 * Staff direct ratings: G1 8, 6, 3 = 17/3 = 5.67 (every rating of G1 would give 27/4 = 6.75); G2 10 = 10.00
 * Business line SCJG: 8, 6, 3, 10 = 27/4 = 6.75 (across both agencies and districts)
 * Region 450100000000 (南宁市): 8, 6, 3, 10 pooled = 6.75 (not the mean of the agencies, 7.83)
 * Staff: X3 10.00, X1 (8+6)/2 = 7.00, X2 3.00.  Item TG1 (ratings of the item): 8, 10, 3 = 7.00
 * 002 defines no composite score: none is given.
 * </pre>
 */
@Tag("db")
class GuangxiStatisticsRouteTest extends GatewayTestSupport {

  private static final String NOV = "?period=month&date=2026-11-15";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T01:00:00Z"));
  private boolean loaded;

  @Override
  protected String profile() {
    return "guangxi";
  }

  @Override
  protected Clock gatewayClock() {
    return clock;
  }

  @BeforeEach
  synchronized void fixture() {
    if (loaded) {
      return;
    }
    loaded = true;
    pushCase("K1", "NNSCJGJ", "450103000000", "TG1", "X1", "WINDOW");
    pushCase("K2", "NNSCJGJ", "450103000000", "TG1", "X1", "WINDOW");
    pushCase("K3", "NNSCJGJ", "450103000000", "TG1", "X2", "WINDOW");
    pushCase("K4", "NNJNRSJ", "450105000000", "TG2", "X3", "WINDOW");
    pushCase("K5", "NNJNRSJ", "450105000000", "TG2", null, "ONLINE");
    rate("K1", "EVALUATOR", "SATISFIED", null, null, null);
    rate("K2", "EVALUATOR", "BASIC", "STAFF", null, null);
    rate("K2", "PORTAL", "VERY_SATISFIED", "ITEM", null, null);
    rate("K3", "QR_DYNAMIC", "DISSATISFIED", null, "B01", null);
    rate("K4", "EVALUATOR", "VERY_SATISFIED", null, null, null);
    rate("K5", "PORTAL", "DISSATISFIED", null, null, "网上预约系统无法选择日期");
  }

  @Test
  void agencyBusinessLineAndRegionAreMeansOfTheStaffsDirectRatings() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode g1 = get("/api/v1/stats/agency/NNSCJGJ" + NOV);
      assertThat(g1.get("profile").asText()).isEqualTo("guangxi");
      assertThat(g1.get("score").asDouble()).isEqualTo(5.67);
      assertThat(g1.get("ratings").get("count").asLong()).isEqualTo(3);
      assertThat(g1.get("ratings").get("basis")).extracting(JsonNode::asText).containsExactly("STAFF", "ITEM_AND_STAFF");
      assertThat(g1.get("ratings").get("byTag").get("B01").get("count").asLong()).isEqualTo(1);
      assertThat(g1.has("composite")).as("002 defines no composite score").isFalse();
      assertThat(get("/api/v1/stats/agency/NNJNRSJ" + NOV).get("score").asDouble()).isEqualTo(10.0);

      JsonNode line = get("/api/v1/stats/businessLine/SCJG" + NOV);
      assertThat(line.get("score").asDouble()).isEqualTo(6.75);
      assertThat(line.get("ratings").get("count").asLong()).isEqualTo(4);

      JsonNode city = get("/api/v1/stats/region/450100000000" + NOV);
      assertThat(city.get("score").asDouble()).isEqualTo(6.75);
      assertThat(city.get("areaLevel").asText()).isEqualTo("CITY");
      JsonNode districts = get("/api/v1/stats/region" + NOV + "&areaCode=450100000000");
      assertThat(districts.get("orderBy").asText()).isEqualTo("score");
      assertThat(districts.get("items")).extracting(i -> i.get("rank").asInt() + " " + i.get("code").asText() + " " + i.get("score").asDouble())
          .containsExactly("1 450105000000 10.0", "2 450103000000 5.67");

      JsonNode staff = get("/api/v1/stats/staff" + NOV);
      assertThat(staff.get("items")).extracting(i -> i.get("rank").asInt() + " " + i.get("code").asText() + " " + i.get("score").asDouble())
          .containsExactly("1 X3 10.0", "2 X1 7.0", "3 X2 3.0");
      assertThat(get("/api/v1/stats/item/TG1" + NOV).get("score").asDouble()).isEqualTo(7.0);
    });
    // The lifecycle module's reference (002 第四条) agrees.
    assertThat(bean("agencyScores", AgencyScores.class).of("NNSCJGJ").mean()).isEqualTo(17.0 / 3);
  }

  private JsonNode get(String path) {
    Api.Response r = api.admin().get(path);
    assertThat(r.status()).as(path + " -> " + r).isEqualTo(200);
    return r.json();
  }

  private void pushCase(String caseNo, String dept, String area, String task, String staff, String mode) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("caseNo", caseNo);
    c.put("taskCode", task);
    c.put("itemName", "事项" + task);
    c.put("deptCode", dept);
    c.put("areaCode", area);
    if (staff != null) {
      c.put("hallCode", "NN-" + area.substring(4, 6));
      c.put("windowNo", "3");
      c.put("staffId", staff);
    }
    c.put("businessLine", "SCJG");
    c.put("mode", mode);
    c.put("projectType", "IMMEDIATE");
    c.put("acceptedAt", "2026-11-02T08:00:00+08:00");
    c.put("status", "COMPLETED");
    c.put("completedAt", "2026-11-02T08:30:00+08:00");
    c.put("applicant", Map.of("name", "张三", "idType", "111", "idNo", Fixtures.ID_NO, "mobile", Fixtures.MOBILE, "userProp", "1"));
    Api.Response r = api.post("/api/v1/cases", c);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  private void rate(String caseNo, String channel, String level, String targetType, String tag, String comment) {
    Map<String, Object> r = Fixtures.rating(caseNo, level);
    r.put("channel", channel);
    if (targetType != null) {
      r.put("target", Map.of("type", targetType));
    }
    if (tag != null) {
      r.put("tags", List.of(tag));
    }
    if (comment != null) {
      r.put("comment", comment);
    }
    Api.Response res = api.post("/api/v1/ratings", r);
    assertThat(res.status()).as(res.toString()).isEqualTo(202);
  }
}
