package org.haochaping.gateway.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * Integrity signals with generated traffic (issue 13; 002 第十二条 不得弄虚作假刷"好评"), through the real routes:
 * window-evaluator ratings posted over signed REST as the evaluator mapping produces them (channel EVALUATOR,
 * sourceRef {@code evaluator:<deviceId>:<msgId>}), each carrying its completed case inline, placed in time with
 * {@code ratedAt} on a simulated clock (Mon 2026-11-02, a working day, 10:00-10:10 China time: the hall is open).
 * Each test has its own hall, devices, staff and cases.
 */
class IntegrityRouteTest extends GatewayTestSupport {

  private static final OffsetDateTime TEN = OffsetDateTime.of(2026, 11, 2, 10, 0, 0, 0, ZoneOffset.ofHours(8));
  private static final String NOV = "?period=month&date=2026-11-15";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T02:30:00Z")); // 10:30 China

  @Override
  protected Clock gatewayClock() {
    return clock;
  }

  @Test
  void aBurstOf200VerySatisfiedFromOneDeviceIsFlaggedAndConfirmingItTakesThemOutOfTheHallScore() {
    String hall = "IG-HALL-1";
    // Five ordinary 基本满意 (6) at the hall, through the portal, an hour earlier, each from its own citizen.
    List<Object> ordinary = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ordinary.add(rating("IG1-P" + i, hall, "7", "S-IG1", "PORTAL", null, "BASIC", TEN.minusHours(1).plusMinutes(i), mobile(1000 + i)));
    }
    submit(ordinary);
    // 200 非常满意 from one evaluator device within 10 minutes: one every 3 seconds.
    List<Object> burst = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      burst.add(rating("IG1-B" + i, hall, "7", "S-IG1", "EVALUATOR", "evaluator:IG-DEV-1:m" + i, "VERY_SATISFIED",
          TEN.plusSeconds(3L * i), mobile(2000 + i)));
    }
    submit(burst);

    JsonNode before = awaitHall(hall, 205);
    assertThat(before.get("ratings").get("mean").asDouble()).isEqualTo(9.9); // (200*10 + 5*6) / 205 = 9.90

    // The device's flag, with the right reason, listing all 200 (the flag list needs the bearer token).
    assertThat(api.unsigned().get("/api/v1/integrity/flags").status()).isEqualTo(401);
    JsonNode flag = await().atMost(Duration.ofSeconds(60)).until(() -> deviceFlag(hall, "IG-DEV-1"),
        f -> f != null && f.get("ratingCount").asInt() == 200 && processed(hall) == 205);
    assertThat(flag.get("status").asText()).isEqualTo("OPEN");
    assertThat(flag.get("reasonLabel").asText()).isEqualTo("同一评价器短时间内大量好评");
    assertThat(flag.get("subject").asText()).isEqualTo("IG-DEV-1");
    String id = flag.get("flagId").asText();
    JsonNode detail = api.admin().get("/api/v1/integrity/flags/" + id).json();
    assertThat(detail.get("ratings")).hasSize(200);
    assertThat(detail.get("ratings").get(0).get("level").asText()).isEqualTo("VERY_SATISFIED");
    // No evaluator personal data in any answer (002 第十一条).
    String all = api.admin().get("/api/v1/integrity/flags?hallCode=" + hall + "&limit=500").text() + detail;
    assertThat(all).doesNotContain(Fixtures.MOBILE).doesNotContain(mobile(2000)).doesNotContain(Fixtures.ID_NO).doesNotContain("张三");

    // A reviewer note is required; then the confirmation corrects the 200 ratings.
    Api.Response noNote = decide(id, "confirm", Map.of());
    assertThat(noNote.status()).as(noNote.toString()).isEqualTo(400);
    assertThat(noNote.json().get("violations").get(0).get("field").asText()).isEqualTo("note");
    Api.Response confirmed = decide(id, "confirm", Map.of("note", "经调取监控核实，系窗口人员代按评价器刷好评"));
    assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
    assertThat(confirmed.json().get("status").asText()).isEqualTo("CONFIRMED");
    assertThat(confirmed.json().get("correctedRatings").asInt()).isEqualTo(200);
    assertThat(decide(id, "dismiss", Map.of("note", "再次复核")).status()).isEqualTo(409);

    // The hall's score without them: only the five 基本满意 remain.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode after = hallFigures(hall);
      assertThat(after.get("ratings").get("count").asLong()).isEqualTo(5);
      assertThat(after.get("ratings").get("mean").asDouble()).isEqualTo(6.0);
    });
    // Recorded: the ledger rows stay, marked as manipulated; the decision is in the audit log.
    assertThat(count("select count(*) from ratings r join integrity_ratings i on i.rating_id = r.rating_id "
        + "where i.device_id = 'IG-DEV-1' and r.corrected = true and r.correction_reason = 'MANIPULATED'")).isEqualTo(200);
    assertThat(count("select count(*) from audit_log where action = 'CONFIRM integrity flag' and outcome = 'CONFIRMED'")).isEqualTo(1);
  }

  @Test
  void theSameVolumeSpreadOver50DevicesIsNotFlagged() {
    String hall = "IG-HALL-2";
    // 200 非常满意 in the same 10 minutes, from 50 devices at 50 windows: 4 per device, 150 s apart.
    List<Object> spread = new ArrayList<>();
    for (int j = 0; j < 4; j++) {
      for (int d = 0; d < 50; d++) {
        int n = j * 50 + d;
        spread.add(rating("IG2-" + n, hall, String.valueOf(d + 1), "S-IG2-" + d, "EVALUATOR", "evaluator:IG-SP-" + d + ":m" + j,
            "VERY_SATISFIED", TEN.plusSeconds(3L * n), mobile(5000 + n)));
      }
    }
    submit(spread);
    await().atMost(Duration.ofSeconds(60)).until(() -> processed(hall) == 200);
    JsonNode flags = api.admin().get("/api/v1/integrity/flags?hallCode=" + hall).json();
    assertThat(flags.get("total").asInt()).as(flags.toString()).isZero();
    awaitHall(hall, 200);
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** A rating carrying its case inline: completed at 09:00, an hour before any rating, by one applicant. */
  private static Map<String, Object> rating(String caseNo, String hall, String windowNo, String staff, String channel, String sourceRef,
      String level, OffsetDateTime ratedAt, String mobile) {
    Map<String, Object> applicant = Map.of("name", "张三", "idType", "111", "idNo", Fixtures.ID_NO, "mobile", mobile, "userProp", "1");
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("caseNo", caseNo);
    c.put("taskCode", "11440881MB2C93418X4440111001");
    c.put("itemName", "个体工商户设立登记");
    c.put("deptCode", "LJSCJGJ");
    c.put("deptName", "廉江市市场监督管理局");
    c.put("areaCode", "440881000000");
    c.put("hallCode", hall);
    c.put("windowNo", windowNo);
    c.put("staffId", staff);
    c.put("mode", "WINDOW");
    c.put("acceptedAt", Fixtures.iso(TEN.minusHours(2)));
    c.put("status", "COMPLETED");
    c.put("completedAt", Fixtures.iso(TEN.minusHours(1).minusMinutes(30)));
    c.put("applicant", applicant);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("caseNo", caseNo);
    r.put("channel", channel);
    if (sourceRef != null) {
      r.put("sourceRef", sourceRef);
    }
    r.put("level", level);
    r.put("ratedAt", Fixtures.iso(ratedAt));
    r.put("evaluator", applicant);
    r.put("case", c);
    return r;
  }

  private static String mobile(int n) {
    return "139" + String.format("%08d", n);
  }

  private void submit(List<Object> items) {
    Api.Response r = api.post("/api/v1/ratings/batch", items);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("accepted").asInt()).as(r.text()).isEqualTo(items.size());
  }

  private JsonNode awaitHall(String hall, long count) {
    return await().atMost(Duration.ofSeconds(60)).until(() -> hallFigures(hall),
        h -> h != null && h.path("ratings").path("count").asLong() == count);
  }

  private JsonNode hallFigures(String hall) {
    Api.Response r = api.admin().get("/api/v1/stats/hall/" + hall + NOV);
    return r.status() == 200 ? r.json() : null;
  }

  private JsonNode deviceFlag(String hall, String device) {
    JsonNode list = api.admin().get("/api/v1/integrity/flags?status=OPEN&reason=GOOD_VOLUME_DEVICE&hallCode=" + hall + "&deviceId=" + device)
        .json();
    return list.get("total").asInt() == 1 ? list.get("items").get(0) : null;
  }

  private Api.Response decide(String id, String action, Map<String, Object> body) {
    return api.admin().send("POST", "/api/v1/integrity/flags/" + id + "/" + action, "application/json",
        Json.text(body).getBytes(StandardCharsets.UTF_8));
  }

  private long processed(String hall) {
    return count("select count(*) from integrity_ratings where hall_code = '" + hall + "'");
  }
}
