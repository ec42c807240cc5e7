package org.haochaping.gateway.channel.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.model.CaseMode;
import org.haochaping.gateway.model.CaseStatus;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.model.ProjectType;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.Rows;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A departmental system built to the provincial guide posts the guide's format (national field
 * names) and the gateway stores the canonical case and rating with every field right, read through
 * guangdong's tables (satisfaction 5 = 非常满意; pf 1 = its own system).
 */
@Tag("db")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuideFormatRouteTest extends GatewayTestSupport {

  static ObjectNode example(String name) {
    return (ObjectNode) Json.read(org.haochaping.gateway.channel.mapping.ChannelMappingRouteTestAccess.example(name)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8), com.fasterxml.jackson.databind.JsonNode.class);
  }

  private static OffsetDateTime china(Object v) {
    return ((OffsetDateTime) v).toInstant().atOffset(ZoneOffset.ofHours(8));
  }

  @Test
  @Order(1)
  void caseInTheGuidesFormatIsStoredAsTheCanonicalCase() {
    Api.Response r = api.post("/api/v1/guide/cases", example("guide-case"));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    ServiceCase c = bean("gatewayCore", GatewayCore.class).cases().find("LJ2026112000006").orElseThrow();
    assertThat(c.itemName()).isEqualTo("个体工商户设立登记");
    assertThat(c.taskCode()).isEqualTo("11440881MB2C93418X4440111001");
    assertThat(c.deptCode()).isEqualTo("LJSCJGJ");
    assertThat(c.deptName()).isEqualTo("廉江市市场监督管理局");
    assertThat(c.areaCode()).isEqualTo("440881000000");
    assertThat(c.mode()).isEqualTo(CaseMode.WINDOW);
    assertThat(c.projectType()).isEqualTo(ProjectType.IMMEDIATE);
    assertThat(c.status()).isEqualTo(CaseStatus.COMPLETED);
    assertThat(c.promiseDays()).isZero();
    assertThat(c.acceptedAt()).isEqualTo(OffsetDateTime.parse("2026-11-20T09:05:00+08:00"));
    assertThat(c.completedAt()).isEqualTo(OffsetDateTime.parse("2026-11-20T09:40:00+08:00"));
    assertThat(c.applicant()).isEqualTo(new Person("张三", "111", Fixtures.ID_NO, Fixtures.MOBILE, "1"));

    // The same case again replaces it.
    assertThat(api.post("/api/v1/guide/cases", example("guide-case")).status()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void evaluationInTheGuidesFormatIsStoredWithEveryFieldRight() {
    Api.Response r = api.post("/api/v1/guide/evaluations", example("guide-evaluation"));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    Database db = bean("database", Database.class);
    Map<String, Object> row = await().atMost(Duration.ofSeconds(10)).until(() -> Rows.rating(db, r.json().get("ratingId").asText()),
        x -> x != null);
    assertThat(row)
        .containsEntry("case_no", "LJ2026112000006")
        .containsEntry("assess_number", 1)
        .containsEntry("stage", "OVERALL")
        .containsEntry("channel", "DEPT_SYSTEM")          // pf 1 in guangdong: PORTAL or DEPT_SYSTEM; the guide is a dept system
        .containsEntry("level", "DISSATISFIED")           // satisfaction 2 in guangdong (5 = 非常满意)
        .containsEntry("score", 3)
        .containsEntry("tags", "510,517")                 // evalDetail
        .containsEntry("comment_text", "指南与窗口要求不一致，来回跑了两趟")
        .containsEntry("target_type", "ITEM_AND_STAFF")   // handleUserName / handleUserPageCode
        .containsEntry("staff_id", "S0012")
        .containsEntry("task_code", "11440881MB2C93418X4440111001")
        .containsEntry("item_name", "个体工商户设立登记")
        .containsEntry("dept_code", "LJSCJGJ")
        .containsEntry("area_code", "440881000000")
        .containsEntry("source_ref", "guide:LJ2026112000006:1:1")
        .containsEntry("defaulted", false);
    assertThat(china(row.get("rated_at"))).isEqualTo(OffsetDateTime.parse("2026-11-23T15:30:00+08:00"));
    Person evaluator = bean("gatewayCore", GatewayCore.class).cipher().openPerson((String) row.get("evaluator_sealed"));
    assertThat(evaluator).isEqualTo(new Person("张三", null, Fixtures.ID_NO, null, "1"));

    // Forwarded to the province, the record is the one the departmental system sent, field for field.
    ObjectNode sent = example("guide-evaluation");
    org.haochaping.gateway.sim.ProvinceSimulator province = bean("provinceSimulator", org.haochaping.gateway.sim.ProvinceSimulator.class);
    com.fasterxml.jackson.databind.JsonNode forwarded = await().atMost(Duration.ofSeconds(30)).until(() -> province.ledger().evaluations()
        .stream().map(org.haochaping.gateway.sim.ProvinceLedger.Receipt::record)
        .filter(e -> e.path("projectNo").asText().equals("LJ2026112000006")).findFirst().orElse(null), x -> x != null);
    java.util.List<String> differences = new java.util.ArrayList<>();
    sent.fieldNames().forEachRemaining(field -> {
      if (!sent.get(field).asText().equals(forwarded.path(field).asText())) {
        differences.add(field + ": sent " + sent.get(field) + ", forwarded " + forwarded.path(field));
      }
    });
    assertThat(differences).as("forwarded " + forwarded).isEmpty();

    // Sent again (a retry): the same rating.
    Api.Response again = api.post("/api/v1/guide/evaluations", example("guide-evaluation"));
    assertThat(again.json().get("ratingId").asText()).isEqualTo(r.json().get("ratingId").asText());
    assertThat(again.json().get("replay").asBoolean()).isTrue();
  }

  @Test
  @Order(3)
  void refusalsNameTheGuidesFields() {
    ObjectNode badCode = example("guide-evaluation");
    badCode.put("satisfaction", "9");
    badCode.put("assessTime", "2026/11/23 15:30");
    badCode.put("pf", "42");
    Api.Response r = api.post("/api/v1/guide/evaluations", badCode);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("violations").findValuesAsText("field")).containsExactlyInAnyOrder("satisfaction", "assessTime", "pf");

    ObjectNode noReason = example("guide-evaluation");
    noReason.remove("evalDetail");
    noReason.remove("writingEvaluation");
    noReason.put("serviceNumber", "2");
    Api.Response reason = api.post("/api/v1/guide/evaluations", noReason);
    assertThat(reason.status()).isEqualTo(400);
    assertThat(reason.json().get("violations").get(0).get("field").asText()).isEqualTo("evalDetail");
    assertThat(reason.json().get("violations").get(0).get("rule").asText()).isEqualTo("badRatingNeedsReason");

    ObjectNode unknown = example("guide-evaluation");
    unknown.put("projectNo", "LJ-NOBODY");
    Api.Response u = api.post("/api/v1/guide/evaluations", unknown);
    assertThat(u.status()).isEqualTo(422);
    assertThat(u.json().get("violations").get(0).get("field").asText()).isEqualTo("projectNo");

    ObjectNode badCase = example("guide-case");
    badCase.put("proChannel", "7");
    badCase.remove("acceptDate");
    Api.Response c = api.post("/api/v1/guide/cases", badCase);
    assertThat(c.status()).isEqualTo(400);
    assertThat(c.json().get("violations").findValuesAsText("field")).containsExactlyInAnyOrder("proChannel", "acceptDate");
  }
}
