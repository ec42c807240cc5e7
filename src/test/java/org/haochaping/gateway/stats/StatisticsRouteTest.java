package org.haochaping.gateway.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.broker.RatingCodec;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.model.Target;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.store.RatingLedger;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.MutableClock;
import org.haochaping.gateway.workorder.AgencyScores;
import org.haochaping.gateway.workorder.WorkOrders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The statistics of 000 第二十二条 for a hand-computed fixture of 廉江市 (guangdong), through the real routes:
 * cases and ratings over signed REST, work orders moved and an appeal upheld over REST, default ratings
 * given by the lifecycle timers on a simulated clock, the ledger and the stats consumers on the embedded
 * broker; every figure read back over {@code GET /api/v1/stats/...}.
 *
 * <pre>
 * Clock: Mon 2026-11-02 09:00 (China). Every case accepted 2026-11-02 08:00, completed 08:30 unless noted.
 * Scores: 非常满意 10, 满意 8, 基本满意 6, 不满意 3, 非常不满意 0.
 *
 * A1 LJSCJGJ 市场监管局, area 440881000000 (county level), business line SCJG, window cases at hall H1;
 *    halls run by A1 in the registry: H1 (LJ-ZWFW-01), H2 (LJ-ZWFW-02)            -> 有大厅
 *   C1 T1 S1  EVALUATOR  非常满意 10 (item+staff)
 *   C2 T1 S1  PORTAL     满意      8 (item+staff)
 *   C3 T1 S2  QR_STATIC  不满意    3 (item+staff) tag 519 -> WO1 属实, 整改中, 已整改       (handled, rectified)
 *   C4 T1 S2  APP        非常不满意 0 (item+staff) tag 517 -> WO2 appeal 恶意评价 upheld -> rating CORRECTED
 *   C5 T2 S1  EVALUATOR  基本满意  6 (STAFF only) ; item unrated -> default 非常满意 10 (item+staff) on 2026-11-10
 *   C6 T2 S2  unrated -> default 非常满意 10 (item+staff) on 2026-11-10
 * A2 LJRSJ 人社局, area 440881001000 (town A), business line RS, window cases at hall H3 (registered,
 *    no agency, area 440881001000)                                                  -> 无大厅 (agency)
 *   C7  T3 S3 EVALUATOR 满意 8 ; C8 T3 S3 SMS 不满意 3 tag 513 -> WO3 stays 待核实 ; C9 T3 S3 PORTAL 基本满意 6
 *   C10 T3 S3 accepted, not completed, unrated
 * A3 LJSWJ 税务局, area 440881002000 (town B), business line SW, online cases, no hall -> 无大厅
 *   C11 T4 PORTAL 非常满意 10 (item) ; C12 T4 APP 不满意 3 (item, comment) -> WO4 不属实 (handled)
 *   C13 T4 unrated -> default 非常满意 10 (item) on 2026-11-10
 * A4 (export test only) area 440882000000, named "=HYPERLINK(...)", C14 PORTAL 非常满意: 10 -> 100 points,
 *    coverage WEB 100, HALL 0, APP 0 -> 33.33, no work order -> 100 points, no hall:
 *    0.3*100 + 0.3*100 + 0.4*33.33 = 73.33, first in the city 440800000000 before A3, A1, A2.
 *
 * Coverage groups (profile): WEB = PORTAL, DEPT_SYSTEM; HALL = EVALUATOR, QR_*, SELF_SERVICE_TERMINAL,
 * SUGGESTION_BOX; APP = APP, MINI_PROGRAM. SMS and defaults are in no group.
 *
 * November 2026, by hand:
 * A1 ratings counted: 10, 8, 3, 6, 10, 10 (C4's 0 corrected) = 47 / 6 = 7.8333 -> 7.83
 *    levels 非常满意 3, 满意 1, 基本满意 1, 不满意 1; good 5/6 = 83.33 %, bad 1/6 = 16.67 %; defaulted 2
 *    cases 6, actively rated C1 C2 C3 C5 = 4 -> 参评率 66.67 %
 *    coverage WEB C2 1/6 = 16.667, HALL C1 C3 C5 3/6 = 50, APP 0/6 (C4 corrected) = 0 -> (16.667+50+0)/3 = 22.22 %
 *    work orders: WO1 handled, WO2 left out (its rating corrected) -> 1/1 = 100 %
 *    halls H1 (rated), H2 (not) -> 大厅推广率 50 %
 *    composite WITH_HALL = 0.3*78.333 + 0.2*100 + 0.2*50 + 0.3*22.222 = 23.5 + 20 + 10 + 6.667 = 60.17
 * A2 8, 3, 6 = 17 / 3 = 5.67; cases 4, active 3 -> 75 %; coverage WEB C9 25, HALL C7 25, APP 0 -> 16.67 %
 *    work orders WO3 pending -> 0/1 = 0 %; no hall of its own
 *    composite WITHOUT_HALL = 0.3*56.667 + 0.3*0 + 0.4*16.667 = 17 + 0 + 6.667 = 23.67
 * A3 10, 3, 10 = 23 / 3 = 7.67; cases 3, active 2 -> 66.67 %; coverage WEB 33.33, HALL 0, APP 33.33 -> 22.22 %
 *    work orders WO4 不属实 -> 1/1 = 100 %; no hall
 *    composite WITHOUT_HALL = 0.3*76.667 + 0.3*100 + 0.4*22.222 = 23 + 30 + 8.889 = 61.89
 * Region 440881000000: score = mean of agency scores (000 第二十二条) = (7.8333+5.6667+7.6667)/3 = 7.06;
 *    pooled mean 87/12 = 7.25; cases 13, active 9 -> 69.23 %; coverage (3+4+1)/13/3 = 20.51 %;
 *    work orders 2 handled of 3 -> 66.67 %; halls H1 H2 H3, rated H1 H3 -> 66.67 %
 *    composite WITH_HALL = 0.3*70.556 + 0.2*66.667 + 0.2*66.667 + 0.3*20.513 = 21.167 + 13.333 + 13.333 + 6.154 = 53.99
 * Town 440881001000 (A2, hall H3 rated): WITH_HALL = 0.3*56.667 + 0.2*0 + 0.2*100 + 0.3*16.667 = 17 + 0 + 20 + 5 = 42.00
 * Town 440881002000 (A3, no hall): 61.89.  Ranking of the towns: 440881002000 first, 440881001000 second.
 * Staff (ratings of the staff member): S1 10, 8, 6, 10 = 8.50; S2 3, 10 = 6.50; S3 8, 3, 6 = 5.67
 * Items (ratings of the item): T1 10, 8, 3 = 7.00; T2 10, 10 = 10.00 (C5's staff-only 6 is not an item rating)
 * </pre>
 */
@Tag("db")
class StatisticsRouteTest extends GatewayTestSupport {

  private static final String ACCEPTED = "2026-11-02T08:00:00+08:00";
  private static final String COMPLETED = "2026-11-02T08:30:00+08:00";
  private static final String NOV = "?period=month&date=2026-11-15";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T01:00:00Z"));
  private final Map<String, String> ratingIds = new LinkedHashMap<>();
  private final Map<String, String> workOrderIds = new LinkedHashMap<>();

  @Override
  protected Clock gatewayClock() {
    return clock;
  }

  @Override
  protected java.util.Properties useOverridePropertiesWithPropertiesComponent() {
    java.util.Properties p = super.useOverridePropertiesWithPropertiesComponent();
    p.setProperty("hcp.lifecycle.pollMillis", "200");
    return p;
  }

  private Api admin() {
    return api.admin();
  }

  private boolean loaded;

  /** Once per class, when the gateway is up (camel-test starts it before each test's own set-up). */
  @BeforeEach
  synchronized void fixture() {
    if (loaded) {
      return;
    }
    loaded = true;
    hall("LJ-ZWFW-01", "廉江市政务服务中心市场监管分厅", "440881000000", "LJSCJGJ");
    hall("LJ-ZWFW-02", "廉江市市场监管局注册登记大厅", "440881000000", "LJSCJGJ");
    hall("LJ-SJ-01", "石角镇便民服务中心", "440881001000", null);

    String a1 = "LJSCJGJ";
    pushCase("C1", a1, "廉江市市场监督管理局", "440881000000", "T1", "个体工商户设立登记", "LJ-ZWFW-01", "S1", "SCJG", "WINDOW", true);
    pushCase("C2", a1, "廉江市市场监督管理局", "440881000000", "T1", "个体工商户设立登记", "LJ-ZWFW-01", "S1", "SCJG", "WINDOW", true);
    pushCase("C3", a1, "廉江市市场监督管理局", "440881000000", "T1", "个体工商户设立登记", "LJ-ZWFW-01", "S2", "SCJG", "WINDOW", true);
    pushCase("C4", a1, "廉江市市场监督管理局", "440881000000", "T1", "个体工商户设立登记", "LJ-ZWFW-01", "S2", "SCJG", "WINDOW", true);
    pushCase("C5", a1, "廉江市市场监督管理局", "440881000000", "T2", "食品经营许可", "LJ-ZWFW-01", "S1", "SCJG", "WINDOW", true);
    pushCase("C6", a1, "廉江市市场监督管理局", "440881000000", "T2", "食品经营许可", "LJ-ZWFW-01", "S2", "SCJG", "WINDOW", true);
    String a2 = "LJRSJ";
    for (String c : List.of("C7", "C8", "C9")) {
      pushCase(c, a2, "廉江市人力资源和社会保障局", "440881001000", "T3", "社会保障卡申领", "LJ-SJ-01", "S3", "RS", "WINDOW", true);
    }
    pushCase("C10", a2, "廉江市人力资源和社会保障局", "440881001000", "T3", "社会保障卡申领", "LJ-SJ-01", "S3", "RS", "WINDOW", false);
    for (String c : List.of("C11", "C12", "C13")) {
      pushCase(c, "LJSWJ", "国家税务总局廉江市税务局", "440881002000", "T4", "发票领用", null, null, "SW", "ONLINE", true);
    }
    pushCase("C14", "EVIL", "=HYPERLINK(\"http://evil.example/\",\"点我\")", "440882000000", "T5", "-1+2 事项", null, null, "@X", "ONLINE",
        true);

    rate("C1", "EVALUATOR", "VERY_SATISFIED", null, List.of(), null);
    rate("C2", "PORTAL", "SATISFIED", null, List.of(), null);
    rate("C3", "QR_STATIC", "DISSATISFIED", null, List.of("519"), null);
    rate("C4", "APP", "VERY_DISSATISFIED", null, List.of("517"), null);
    rate("C5", "EVALUATOR", "BASIC", "STAFF", List.of(), null);
    rate("C7", "EVALUATOR", "SATISFIED", null, List.of(), null);
    rate("C8", "SMS", "DISSATISFIED", null, List.of("513"), null);
    rate("C9", "PORTAL", "BASIC", null, List.of(), null);
    rate("C11", "PORTAL", "VERY_SATISFIED", null, List.of(), null);
    rate("C12", "APP", "DISSATISFIED", null, List.of(), "网上申报页面多次提交失败");
    rate("C14", "PORTAL", "VERY_SATISFIED", null, List.of(), null);

    WorkOrders workOrders = bean("workOrders", WorkOrders.class);
    for (String c : List.of("C3", "C4", "C8", "C12")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> workOrders.idOfRating(ratingIds.get(c)).isPresent());
      workOrderIds.put(c, workOrders.idOfRating(ratingIds.get(c)).orElseThrow());
    }
    move(workOrderIds.get("C3"), Map.of("to", "VERIFIED", "actor", "市行政服务中心-王五"));
    move(workOrderIds.get("C3"), Map.of("to", "RECTIFYING", "actor", "市场监管局-赵六"));
    move(workOrderIds.get("C3"), Map.of("to", "RECTIFIED", "actor", "市场监管局-赵六", "result", "增开取号窗口，高峰期等候缩短至15分钟"));
    ok(api.post("/api/v1/workorders/" + workOrderIds.get("C4") + "/appeal",
        Map.of("actor", "S2", "reason", "MALICIOUS", "notes", "评价人当日在大厅与他人争执，与办理无关")));
    ok(api.post("/api/v1/workorders/" + workOrderIds.get("C4") + "/appeal/decision",
        Map.of("actor", "市行政服务中心-王五", "upheld", true, "notes", "经核实为恶意评价")));
    move(workOrderIds.get("C12"), Map.of("to", "UNFOUNDED", "actor", "市行政服务中心-王五", "notes", "系统当日运行正常，提交失败系网络原因"));

    // Nine days on: C5 (item unrated), C6 and C13 get their default 非常满意 dated 2026-11-10 00:00.
    clock.advance(Duration.ofDays(9));
    RatingLedger ledger = bean("ratingLedger", RatingLedger.class);
    await().atMost(Duration.ofSeconds(30)).until(() -> ledger.count() == 14);
  }

  @Test
  void agenciesScoreAndRankByTheCompositeScoreWithAndWithoutHall() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode a1 = get("/api/v1/stats/agency/LJSCJGJ" + NOV);
      assertThat(a1.get("name").asText()).isEqualTo("廉江市市场监督管理局");
      assertThat(a1.get("period").get("from").asText()).isEqualTo("2026-11-01");
      assertThat(a1.get("score").asDouble()).isEqualTo(7.83);
      JsonNode r = a1.get("ratings");
      assertThat(r.get("count").asLong()).isEqualTo(6);
      assertThat(r.get("byLevel").get("VERY_SATISFIED").get("count").asLong()).isEqualTo(3);
      assertThat(r.get("byLevel").get("SATISFIED").get("count").asLong()).isEqualTo(1);
      assertThat(r.get("byLevel").get("BASIC").get("count").asLong()).isEqualTo(1);
      assertThat(r.get("byLevel").get("DISSATISFIED").get("count").asLong()).isEqualTo(1);
      assertThat(r.get("byLevel").get("VERY_DISSATISFIED").get("count").asLong()).isZero();
      assertThat(r.get("goodRate").asDouble()).isEqualTo(83.33);
      assertThat(r.get("badRate").asDouble()).isEqualTo(16.67);
      assertThat(r.get("defaulted").asLong()).isEqualTo(2);
      assertThat(r.get("byChannel").get("EVALUATOR").get("count").asLong()).isEqualTo(2);
      assertThat(r.get("byChannel").get("EVALUATOR").get("mean").asDouble()).isEqualTo(8.0);
      assertThat(r.get("byChannel").has("APP")).as("the corrected APP rating is gone").isFalse();
      assertThat(r.get("byTag").get("519").get("label").asText()).isEqualTo("等候时间过长");
      assertThat(r.get("byTag").has("517")).isFalse();
      assertThat(a1.get("cases").get("total").asLong()).isEqualTo(6);
      assertThat(a1.get("cases").get("activelyRated").asLong()).isEqualTo(4);
      assertThat(a1.get("cases").get("participationRate").asDouble()).isEqualTo(66.67);
      assertThat(a1.get("coverage").get("rate").asDouble()).isEqualTo(22.22);
      assertThat(a1.get("coverage").get("groups")).extracting(g -> g.get("code").asText() + "=" + g.get("rate").asDouble())
          .containsExactly("WEB=16.67", "HALL=50.0", "APP=0.0");
      assertThat(a1.get("workOrders").get("total").asLong()).isEqualTo(1);
      assertThat(a1.get("workOrders").get("rectified").asLong()).isEqualTo(1);
      assertThat(a1.get("workOrders").get("rate").asDouble()).isEqualTo(100.0);
      assertThat(a1.get("halls").get("total").asInt()).isEqualTo(2);
      assertThat(a1.get("halls").get("promotionRate").asDouble()).isEqualTo(50.0);
      assertThat(a1.get("halls").get("unrated")).extracting(JsonNode::asText).containsExactly("LJ-ZWFW-02");
      assertThat(a1.get("composite").get("formula").asText()).isEqualTo("WITH_HALL");
      assertThat(a1.get("composite").get("score").asDouble()).isEqualTo(60.17);
      assertThat(a1.get("composite").get("components")).extracting(c -> c.get("name").asText() + "=" + c.get("points").asDouble())
          .containsExactly("quality=78.33", "workOrders=100.0", "hallPromotion=50.0", "coverage=22.22");

      JsonNode a2 = get("/api/v1/stats/agency/LJRSJ" + NOV);
      assertThat(a2.get("score").asDouble()).isEqualTo(5.67);
      assertThat(a2.get("cases").get("participationRate").asDouble()).isEqualTo(75.0);
      assertThat(a2.get("coverage").get("rate").asDouble()).isEqualTo(16.67);
      assertThat(a2.get("workOrders").get("rate").asDouble()).isEqualTo(0.0);
      assertThat(a2.get("halls").get("total").asInt()).isZero();
      assertThat(a2.get("composite").get("formula").asText()).isEqualTo("WITHOUT_HALL");
      assertThat(a2.get("composite").get("score").asDouble()).isEqualTo(23.67);

      JsonNode a3 = get("/api/v1/stats/agency/LJSWJ" + NOV);
      assertThat(a3.get("score").asDouble()).isEqualTo(7.67);
      assertThat(a3.get("cases").get("participationRate").asDouble()).isEqualTo(66.67);
      assertThat(a3.get("coverage").get("rate").asDouble()).isEqualTo(22.22);
      assertThat(a3.get("workOrders").get("rate").asDouble()).isEqualTo(100.0);
      assertThat(a3.get("composite").get("score").asDouble()).isEqualTo(61.89);

      JsonNode ranking = get("/api/v1/stats/agency" + NOV + "&areaCode=440881000000");
      assertThat(ranking.get("orderBy").asText()).isEqualTo("composite");
      assertThat(ranking.get("items")).extracting(i -> i.get("rank").asInt() + " " + i.get("code").asText() + " "
          + i.get("composite").get("score").asDouble()).containsExactly("1 LJSWJ 61.89", "2 LJSCJGJ 60.17", "3 LJRSJ 23.67");
    });
    // The lifecycle module's reference query (000 第六条, corrected ratings left out) agrees.
    assertThat(bean("agencyScores", AgencyScores.class).of("LJSCJGJ").mean()).isEqualTo(47.0 / 6);
  }

  @Test
  void aRegionCoversEveryAreaUnderItsCodeAndRanksTheRegionsBelow() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode county = get("/api/v1/stats/region/440881000000" + NOV);
      assertThat(county.get("score").asDouble()).isEqualTo(7.06);
      assertThat(county.get("ratings").get("count").asLong()).isEqualTo(12);
      assertThat(county.get("ratings").get("mean").asDouble()).isEqualTo(7.25);
      assertThat(county.get("cases").get("total").asLong()).isEqualTo(13);
      assertThat(county.get("cases").get("participationRate").asDouble()).isEqualTo(69.23);
      assertThat(county.get("coverage").get("rate").asDouble()).isEqualTo(20.51);
      assertThat(county.get("workOrders").get("total").asLong()).isEqualTo(3);
      assertThat(county.get("workOrders").get("rate").asDouble()).isEqualTo(66.67);
      assertThat(county.get("halls").get("promotionRate").asDouble()).isEqualTo(66.67);
      assertThat(county.get("composite").get("formula").asText()).isEqualTo("WITH_HALL");
      assertThat(county.get("composite").get("score").asDouble()).isEqualTo(53.99);
      assertThat(county.get("ratings").get("byTag")).hasSize(2);

      JsonNode towns = get("/api/v1/stats/region" + NOV + "&areaCode=440881000000");
      assertThat(towns.get("items")).extracting(i -> i.get("rank").asInt() + " " + i.get("code").asText() + " "
          + i.get("composite").get("formula").asText() + " " + i.get("composite").get("score").asDouble())
          .containsExactly("1 440881002000 WITHOUT_HALL 61.89", "2 440881001000 WITH_HALL 42.0");

      // A query for a town covers its villages too, and nothing of the county level.
      JsonNode townA = get("/api/v1/stats/region/440881001000" + NOV);
      assertThat(townA.get("ratings").get("count").asLong()).isEqualTo(3);
      assertThat(townA.get("halls").get("total").asInt()).isEqualTo(1);
    });
  }

  @Test
  void staffItemsBusinessLinesHallsAndChannelsCountWhatRatesThem() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode staff = get("/api/v1/stats/staff" + NOV + "&areaCode=440881000000");
      assertThat(staff.get("items")).extracting(i -> i.get("rank").asInt() + " " + i.get("code").asText() + " " + i.get("score").asDouble())
          .containsExactly("1 S1 8.5", "2 S2 6.5", "3 S3 5.67");
      assertThat(staff.get("items").get(0).has("cases")).as("no per-staff case counters").isFalse();

      assertThat(get("/api/v1/stats/item/T1" + NOV).get("score").asDouble()).isEqualTo(7.0);
      JsonNode t2 = get("/api/v1/stats/item/T2" + NOV);
      assertThat(t2.get("score").asDouble()).isEqualTo(10.0);
      assertThat(t2.get("ratings").get("count").asLong()).as("C5's staff-only rating does not rate the item").isEqualTo(2);
      assertThat(t2.get("name").asText()).isEqualTo("食品经营许可");

      JsonNode scjg = get("/api/v1/stats/businessLine/SCJG" + NOV);
      assertThat(scjg.get("score").asDouble()).isEqualTo(7.83);
      assertThat(scjg.get("cases").get("participationRate").asDouble()).isEqualTo(66.67);

      JsonNode halls = get("/api/v1/stats/hall" + NOV + "&areaCode=440881000000");
      assertThat(halls.get("items")).extracting(i -> (i.get("rank").isNull() ? "-" : i.get("rank").asText()) + " " + i.get("code").asText())
          .containsExactly("1 LJ-ZWFW-01", "2 LJ-SJ-01", "- LJ-ZWFW-02");
      assertThat(halls.get("items").get(0).get("name").asText()).isEqualTo("廉江市政务服务中心市场监管分厅");
      assertThat(halls.get("items").get(0).get("cases").get("total").asLong()).isEqualTo(6);

      JsonNode evaluator = get("/api/v1/stats/channel/EVALUATOR" + NOV + "&areaCode=440881000000");
      assertThat(evaluator.get("ratings").get("count").asLong()).isEqualTo(3);
      assertThat(evaluator.get("ratings").get("mean").asDouble()).isEqualTo(8.0);
      assertThat(evaluator.get("cases").get("ratedCases").asLong()).isEqualTo(3);
      assertThat(evaluator.get("cases").get("coverage").asDouble()).isEqualTo(23.08);
      JsonNode channels = get("/api/v1/stats/channel" + NOV + "&areaCode=440881000000&orderBy=count");
      assertThat(channels.get("items")).extracting(i -> i.get("code").asText() + "=" + i.get("ratings").get("count").asLong())
          .containsExactlyInAnyOrder("EVALUATOR=3", "PORTAL=3", "SYSTEM_DEFAULT=3", "QR_STATIC=1", "SMS=1", "APP=1");
    });
  }

  @Test
  void periodsCountRatingsByTheDayTheyWereGivenAndCasesByTheDayTheyWereAccepted() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      // The three defaults are dated 2026-11-10 00:00, the end of their 7 natural days.
      JsonNode day = get("/api/v1/stats/region/440881000000?period=day&date=2026-11-10");
      assertThat(day.get("ratings").get("count").asLong()).isEqualTo(3);
      assertThat(day.get("ratings").get("defaulted").asLong()).isEqualTo(3);
      assertThat(day.get("cases").get("total").asLong()).isZero();
      assertThat(day.get("cases").get("participationRate").isNull()).isTrue();
      JsonNode week = get("/api/v1/stats/region/440881000000?period=week&date=2026-11-05");
      assertThat(week.get("period").get("from").asText()).isEqualTo("2026-11-02");
      assertThat(week.get("ratings").get("count").asLong()).isEqualTo(9);
      assertThat(week.get("cases").get("total").asLong()).isEqualTo(13);
      JsonNode range = get("/api/v1/stats/region/440881000000?from=2026-10-20&to=2027-01-31");
      assertThat(range.get("ratings").get("count").asLong()).isEqualTo(12);
      assertThat(range.get("composite").get("score").asDouble()).isEqualTo(53.99);
      assertThat(get("/api/v1/stats/region/440881000000?period=year&date=2026-06-01").get("ratings").get("count").asLong()).isEqualTo(12);
      assertThat(get("/api/v1/stats/region/440881000000?period=quarter&date=2026-08-01").get("ratings").get("count").asLong()).isZero();
    });
  }

  @Test
  void aRepeatedRatingOrCorrectionChangesNothingAndACorrectionBeforeItsRatingKeepsItOut() throws Exception {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("/api/v1/stats/agency/LJSCJGJ" + NOV).get("composite")
        .get("score").asDouble()).isEqualTo(60.17));
    StatsRecorder recorder = bean("statsRecorder", StatsRecorder.class);
    RatingCodec codec = new RatingCodec(bean("gatewayCore", org.haochaping.gateway.GatewayCore.class).cipher());
    Target t = new Target(TargetType.ITEM_AND_STAFF, "T1", "个体工商户设立登记", "LJSCJGJ", "S1", "LJ-ZWFW-01", "1", "440881000000", "SCJG");
    OffsetDateTime at = OffsetDateTime.parse("2026-11-02T09:00:00+08:00");
    // The broker delivers C1's rating again (a redelivery after a crash): it was counted once and stays so.
    recorder.onRating(codec.encode(new Rating(ratingIds.get("C1"), null, "C1", 1, Stage.OVERALL, Channel.EVALUATOR, Level.VERY_SATISFIED,
        10, List.of(), null, t, null, null, at, at, false)));
    // ... and the correction of C4's rating, and the transitions of its work order, again.
    String again = Json.text(Map.of("eventId", "RATING_CORRECTED:" + ratingIds.get("C4"), "type", "RATING_CORRECTED", "caseNo", "C4",
        "data", Map.of("ratingId", ratingIds.get("C4"), "workOrderId", workOrderIds.get("C4"))));
    recorder.onLifecycleEvent(again.getBytes(StandardCharsets.UTF_8));
    recorder.onLifecycleEvent(Json.text(Map.of("type", "WORK_ORDER_TRANSITIONED", "data", Map.of("workOrderId", workOrderIds.get("C3"))))
        .getBytes(StandardCharsets.UTF_8));
    JsonNode a1 = get("/api/v1/stats/agency/LJSCJGJ" + NOV);
    assertThat(a1.get("ratings").get("count").asLong()).isEqualTo(6);
    assertThat(a1.get("workOrders").get("total").asLong()).isEqualTo(1);
    assertThat(a1.get("composite").get("score").asDouble()).isEqualTo(60.17);

    // A correction that overtakes its rating (they travel on different queues): the rating never counts.
    recorder.onLifecycleEvent(Json.text(Map.of("type", "RATING_CORRECTED", "data", Map.of("ratingId", "late-rating-1")))
        .getBytes(StandardCharsets.UTF_8));
    Target elsewhere = new Target(TargetType.ITEM, "T9", "某事项", "LZDEPT", null, null, null, "440883000000", null);
    recorder.onRating(codec.encode(new Rating("late-rating-1", null, "NOT-A-CASE", 1, Stage.OVERALL, Channel.PORTAL,
        Level.VERY_DISSATISFIED, 0, List.of("522"), null, elsewhere, null, null, at, at, false)));
    assertThat(get("/api/v1/stats/region/440883000000" + NOV).get("ratings").get("count").asLong()).isZero();
  }

  @Test
  void exportsArePublishableCsvAndXlsxWithFormulaTextNeutralisedAndNoEvaluatorData() throws Exception {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("/api/v1/stats/agency/EVIL" + NOV).get("ratings")
        .get("count").asLong()).isEqualTo(1));
    Api.Response csv = admin().get("/api/v1/stats/export/agency" + NOV + "&areaCode=440800000000&format=csv");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow()).contains("hcp-agency-440800000000-2026-11-01_2026-11-30.csv");
    String text = csv.text();
    assertThat(text).contains("排名 rank,代码 code,名称 name,得分 score");
    assertThat(text).contains("\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"点我\"\")\"");
    assertThat(text).contains("1,EVIL,").contains("2,LJSWJ,国家税务总局廉江市税务局,7.67,3,");
    assertThat(text).doesNotContain(Fixtures.MOBILE).doesNotContain(Fixtures.ID_NO).doesNotContain("张三").doesNotContain("网上申报页面");

    Api.Response xlsx = admin().get("/api/v1/stats/export/agency" + NOV + "&areaCode=440800000000&format=xlsx");
    assertThat(xlsx.status()).isEqualTo(200);
    // The test client reads bodies as text; fetch the bytes again for POI.
    byte[] bytes = bytes("/api/v1/stats/export/agency" + NOV + "&areaCode=440800000000&format=xlsx");
    try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(bytes))) {
      Sheet sheet = wb.getSheetAt(0);
      assertThat(sheet.getRow(0).getCell(2).getStringCellValue()).isEqualTo("名称 name");
      Row first = sheet.getRow(1);
      assertThat(first.getCell(0).getNumericCellValue()).isEqualTo(1.0);
      assertThat(first.getCell(1).getStringCellValue()).isEqualTo("EVIL");
      assertThat(first.getCell(2).getStringCellValue()).startsWith("'=HYPERLINK");
      Row second = sheet.getRow(2);
      assertThat(second.getCell(1).getStringCellValue()).isEqualTo("LJSWJ");
      assertThat(second.getCell(3).getNumericCellValue()).isEqualTo(7.67);
      assertThat(sheet.getLastRowNum()).isEqualTo(4);
    }
  }

  @Test
  void badQueriesNameTheFieldAndTheRuleAndStatisticsNeedAnAdminToken() {
    Api.Response unknown = admin().get("/api/v1/stats/department" + NOV);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("violations").get(0).get("field").asText()).isEqualTo("dimension");
    Api.Response area = admin().get("/api/v1/stats/agency?areaCode=4408");
    assertThat(area.status()).isEqualTo(400);
    assertThat(area.json().get("violations").get(0).get("rule").asText()).isEqualTo("areaCode");
    assertThat(area.json().get("violations").get(0).get("message").asText()).contains("12位");
    Api.Response period = admin().get("/api/v1/stats/agency/LJSCJGJ?period=fortnight");
    assertThat(period.status()).isEqualTo(400);
    assertThat(period.json().get("violations").get(0).get("field").asText()).isEqualTo("period");
    Api.Response channel = admin().get("/api/v1/stats/channel/FAX" + NOV);
    assertThat(channel.status()).isEqualTo(400);
    Api.Response order = admin().get("/api/v1/stats/agency?orderBy=luck");
    assertThat(order.status()).isEqualTo(400);
    assertThat(order.json().get("violations").get(0).get("field").asText()).isEqualTo("orderBy");
    Api.Response format = admin().get("/api/v1/stats/export/agency?format=pdf");
    assertThat(format.status()).isEqualTo(400);
    Api.Response hall = admin().send("PUT", "/api/v1/stats/hall-registry/H9", "application/json",
        "{\"name\":\"\",\"areaCode\":\"44\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(hall.status()).isEqualTo(400);
    assertThat(hall.json().get("violations")).extracting(v -> v.get("field").asText()).containsExactly("name", "areaCode");

    assertThat(api.get("/api/v1/stats/agency").status()).isEqualTo(401);
    assertThat(api.unsigned().get("/api/v1/stats/agency/LJSCJGJ").status()).isEqualTo(401);
  }

  @Test
  void theHallRegistryListsRegisteredHalls() {
    JsonNode halls = get("/api/v1/stats/hall-registry");
    assertThat(halls.get("items")).extracting(h -> h.get("hallCode").asText() + " " + h.get("source").asText() + " "
        + (h.hasNonNull("deptCode") ? h.get("deptCode").asText() : "-")).contains("LJ-ZWFW-01 REGISTERED LJSCJGJ", "LJ-ZWFW-02 REGISTERED LJSCJGJ",
        "LJ-SJ-01 REGISTERED -");
  }

  // --- helpers ---------------------------------------------------------------------------------

  private JsonNode get(String path) {
    Api.Response r = admin().get(path);
    assertThat(r.status()).as(path + " -> " + r).isEqualTo(200);
    return r.json();
  }

  private byte[] bytes(String path) throws Exception {
    java.net.http.HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + environment().port() + path))
            .header("Authorization", "Bearer " + api.credential("admin.token")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private void hall(String code, String name, String area, String dept) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("areaCode", area);
    body.put("deptCode", dept);
    Api.Response r = admin().send("PUT", "/api/v1/stats/hall-registry/" + code, "application/json",
        Json.text(body).getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).as(r.toString()).isIn(200, 201);
  }

  private void pushCase(String caseNo, String dept, String deptName, String area, String task, String item, String hall, String staff,
      String businessLine, String mode, boolean completed) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("caseNo", caseNo);
    c.put("taskCode", task);
    c.put("itemName", item);
    c.put("deptCode", dept);
    c.put("deptName", deptName);
    c.put("areaCode", area);
    if (hall != null) {
      c.put("hallCode", hall);
      c.put("windowNo", "1");
    }
    if (staff != null) {
      c.put("staffId", staff);
      c.put("staffName", "工作人员" + staff);
    }
    c.put("businessLine", businessLine);
    c.put("mode", mode);
    c.put("acceptedAt", ACCEPTED);
    if (completed) {
      c.put("status", "COMPLETED");
      c.put("completedAt", COMPLETED);
    }
    c.put("applicant", Map.of("name", "张三", "idType", "111", "idNo", Fixtures.ID_NO, "mobile", Fixtures.MOBILE, "userProp", "1"));
    Api.Response r = api.post("/api/v1/cases", c);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  private void rate(String caseNo, String channel, String level, String targetType, List<String> tags, String comment) {
    Map<String, Object> r = Fixtures.rating(caseNo, level);
    r.put("channel", channel);
    if (targetType != null) {
      r.put("target", Map.of("type", targetType));
    }
    if (!tags.isEmpty()) {
      r.put("tags", tags);
    }
    if (comment != null) {
      r.put("comment", comment);
    }
    Api.Response res = api.post("/api/v1/ratings", r);
    assertThat(res.status()).as(res.toString()).isEqualTo(202);
    ratingIds.put(caseNo, res.json().get("ratingId").asText());
  }

  private void move(String workOrderId, Map<String, Object> body) {
    ok(api.post("/api/v1/workorders/" + workOrderId + "/transitions", body));
  }

  private static void ok(Api.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }
}
