package org.haochaping.gateway.channel.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.Rows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every channel mapping with the example payload that lies beside it (mappings/channel/*.example.json),
 * posted to its endpoint as the channel sends it: the rating stored is what the example means.
 */
@Tag("db")
class ChannelMappingRouteTest extends GatewayTestSupport {

  static String example(String name) {
    try (InputStream in = ChannelMappingRouteTest.class.getClassLoader().getResourceAsStream("mappings/channel/" + name + ".example.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new AssertionError("no example " + name, e);
    }
  }

  static Map<String, Object> completed(String caseNo, String mode) {
    Map<String, Object> c = Fixtures.windowCase(caseNo);
    c.put("mode", mode);
    c.put("acceptedAt", "2026-11-20T09:00:00+08:00");
    c.put("status", "COMPLETED");
    c.put("completedAt", "2026-11-21T10:00:00+08:00");
    return c;
  }

  private boolean casesPushed;

  @BeforeEach
  void cases() {
    if (casesPushed) {
      return;
    }
    casesPushed = true;
    assertThat(api.post("/api/v1/cases", completed("LJ2026112000001", "ONLINE")).status()).isEqualTo(201);
    assertThat(api.post("/api/v1/cases", completed("LJ2026112000002", "WINDOW")).status()).isEqualTo(201);
    assertThat(api.post("/api/v1/cases", completed("LJ2026112000003", "ONLINE")).status()).isEqualTo(201);
    Map<String, Object> terminal = completed("LJ2026112000004", "SELF_SERVICE");
    terminal.remove("staffId");
    terminal.remove("windowNo");
    assertThat(api.post("/api/v1/cases", terminal).status()).isEqualTo(201);
    assertThat(api.post("/api/v1/cases", completed("LJ2026112000005", "WINDOW")).status()).isEqualTo(201);
  }

  private Map<String, Object> stored(String path, String example) {
    Api.Response r = api.post(path, example(example));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    String ratingId = r.json().get("ratingId").asText();
    Database db = bean("database", Database.class);
    return await().atMost(Duration.ofSeconds(10)).until(() -> Rows.rating(db, ratingId), row -> row != null);
  }

  private Person evaluator(Map<String, Object> row) {
    return bean("gatewayCore", GatewayCore.class).cipher().openPerson((String) row.get("evaluator_sealed"));
  }

  private static OffsetDateTime time(Object v) {
    return ((OffsetDateTime) v).toInstant().atOffset(java.time.ZoneOffset.ofHours(8));
  }

  @Test
  void portal() {
    Map<String, Object> row = stored("/api/v1/portal/ratings", "portal");
    assertThat(row).containsEntry("channel", "PORTAL").containsEntry("case_no", "LJ2026112000001")
        .containsEntry("level", "VERY_SATISFIED").containsEntry("tags", "101,104").containsEntry("comment_text", "网上申请，一次办成，很方便")
        .containsEntry("source_ref", "portal:GDZWFW-20261123-000123");
    assertThat(time(row.get("rated_at"))).isEqualTo(OffsetDateTime.parse("2026-11-23T10:15:00+08:00"));
    assertThat(evaluator(row)).isEqualTo(new Person("张三", "111", Fixtures.ID_NO, Fixtures.MOBILE, "1"));
  }

  @Test
  void app() {
    Map<String, Object> row = stored("/api/v1/app/ratings", "app");
    assertThat(row).containsEntry("channel", "APP").containsEntry("level", "DISSATISFIED").containsEntry("tags", "510,517")
        .containsEntry("source_ref", "app:YSS-8f2c1a07");
    assertThat(time(row.get("rated_at"))).isEqualTo(OffsetDateTime.parse("2026-11-23T10:00:00+08:00"));
    assertThat(evaluator(row)).isEqualTo(new Person("张三", "111", Fixtures.ID_NO, Fixtures.MOBILE, null));
  }

  @Test
  void miniProgram() {
    Map<String, Object> row = stored("/api/v1/mini-program/ratings", "mini-program");
    assertThat(row).containsEntry("channel", "MINI_PROGRAM").containsEntry("level", "SATISFIED").containsEntry("tags", "101,103")
        .containsEntry("comment_text", null).containsEntry("source_ref", "mp:MP-20261123-0001");
    assertThat(time(row.get("rated_at"))).isEqualTo(OffsetDateTime.parse("2026-11-23T10:20:00+08:00"));
  }

  @Test
  void selfServiceTerminal() {
    Map<String, Object> row = stored("/api/v1/terminals/ratings", "terminal");
    assertThat(row).containsEntry("channel", "SELF_SERVICE_TERMINAL").containsEntry("level", "SATISFIED").containsEntry("tags", "102")
        .containsEntry("target_type", "ITEM").containsEntry("hall_code", "LJ-ZWFW-01").containsEntry("source_ref", "terminal:LJ-ZZ-003:1187");
    assertThat(time(row.get("rated_at"))).isEqualTo(OffsetDateTime.parse("2026-11-23T10:30:05+08:00"));
  }

  @Test
  void departmentalSystemInCanonicalForm() {
    Map<String, Object> row = stored("/api/v1/dept-system/ratings", "dept-system");
    assertThat(row).containsEntry("channel", "DEPT_SYSTEM").containsEntry("level", "BASIC").containsEntry("target_type", "ITEM_AND_STAFF")
        .containsEntry("staff_id", "S0012").containsEntry("source_ref", "LJSCJG-EVAL-000981");
  }

  @Test
  void aRefusalNamesTheChannelsOwnFields() {
    String bad = example("portal").replace("\"star\": 5", "\"star\": 9").replace("\"2026-11-23 10:15:00\"", "\"23/11/2026\"");
    Api.Response r = api.post("/api/v1/portal/ratings", bad);
    assertThat(r.status()).isEqualTo(400);
    JsonNode fields = r.json().get("violations");
    assertThat(fields.findValuesAsText("field")).contains("star", "evaluateTime");

    Api.Response notJson = api.post("/api/v1/app/ratings", "{\"msgId\": ");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().get("code").asText()).isEqualTo("MALFORMED_JSON");
    assertThat(api.unsigned().post("/api/v1/terminals/ratings", example("terminal")).status()).isEqualTo(401);
  }
}
