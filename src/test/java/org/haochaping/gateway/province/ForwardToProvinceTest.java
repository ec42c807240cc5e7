package org.haochaping.gateway.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.sim.ProvinceLedger;
import org.haochaping.gateway.sim.ProvinceSimulator;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End to end through real HTTP, profile guangdong (connector hmac-json): a departmental system
 * posts a case and a rating to the gateway; the built-in province simulator receives the case
 * first, then the rating, each in a correctly signed envelope (the simulator refuses any other),
 * with the national field names and Guangdong's codes.
 */
@Tag("db")
class ForwardToProvinceTest extends GatewayTestSupport {

  /** Guangdong: satisfaction 5 = 非常满意 … 1 = 非常不满意; pf 4 = 大厅评价器. */
  protected Expected expected() {
    return new Expected("hmac-json", "440", "4", "1", "4", "517");
  }

  /** What this province's tables say for SATISFIED, VERY_DISSATISFIED and the EVALUATOR channel. */
  protected record Expected(String envelope, String dataSource, String satisfied, String veryDissatisfied,
      String evaluatorPf, String badTag) {}

  protected ProvinceSimulator province() {
    return bean("provinceSimulator", ProvinceSimulator.class);
  }

  @Test
  void caseAndRatingReachTheProvinceCaseFirstWithNationalFields() {
    String caseNo = "FWD-E2E-1";
    assertThat(api.post("/api/v1/cases", Fixtures.completedCase(caseNo)).status()).isEqualTo(201);
    Map<String, Object> rating = Fixtures.rating(caseNo, "SATISFIED");
    rating.put("channel", "EVALUATOR");
    rating.put("comment", "办事很快");
    Api.Response accepted = api.post("/api/v1/ratings", rating);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String ratingId = accepted.json().get("ratingId").asText();

    ProvinceSimulator province = province();
    assertThat(province.settings().envelopeKind()).isEqualTo(expected().envelope());
    await().atMost(Duration.ofSeconds(30)).until(() -> evaluation(province, caseNo) != null);
    ProvinceLedger.Receipt evaluation = evaluation(province, caseNo);
    ProvinceLedger.Receipt caseReceipt = province.ledger().cases().stream()
        .filter(r -> r.record().path("projectNo").asText().equals(caseNo)).findFirst().orElseThrow();
    assertThat(caseReceipt.seq()).as("the case reaches the province before its rating").isLessThan(evaluation.seq());

    JsonNode e = evaluation.record();
    assertThat(e.path("projectNo").asText()).isEqualTo(caseNo);
    assertThat(e.path("taskCode").asText()).isEqualTo("11440881MB2C93418X4440111001");
    assertThat(e.has("taskHandleItem")).isFalse();
    assertThat(e.path("taskName").asText()).isEqualTo("个体工商户设立登记");
    assertThat(e.path("proStatus").asText()).isEqualTo("3");
    assertThat(e.path("deptCode").asText()).isEqualTo("LJSCJGJ");
    assertThat(e.path("areaCode").asText()).isEqualTo("440881000000");
    assertThat(e.path("userName").asText()).isEqualTo("张三");
    assertThat(e.path("userProp").asText()).isEqualTo("1");
    assertThat(e.path("certKey").asText()).isEqualTo(Fixtures.ID_NO);
    assertThat(e.path("handleUserName").asText()).isEqualTo("李四");
    assertThat(e.path("satisfaction").asText()).isEqualTo(expected().satisfied());
    assertThat(e.has("evalDetail")).isFalse();
    assertThat(e.path("writingEvaluation").asText()).isEqualTo("办事很快");
    assertThat(LocalDateTime.parse(e.path("assessTime").asText(), NationalMapping.TIME)).isNotNull();
    assertThat(e.path("assessNumber").asText()).isEqualTo("1");
    assertThat(e.path("serviceNumber").asText()).isEqualTo("1");
    assertThat(e.path("pf").asText()).isEqualTo(expected().evaluatorPf());
    assertThat(e.path("dataSource").asText()).isEqualTo(expected().dataSource());

    JsonNode c = caseReceipt.record();
    assertThat(c.path("projectName").asText()).isEqualTo("个体工商户设立登记");
    assertThat(c.path("taskType").asText()).isEqualTo("01");
    assertThat(c.path("deptName").asText()).isEqualTo("廉江市市场监督管理局");
    assertThat(c.path("proChannel").asText()).isEqualTo("2");
    assertThat(c.path("projectType").asText()).isEqualTo("1");
    assertThat(c.path("promiseType").asText()).isEqualTo("0");
    assertThat(c.path("promiseDay").asText()).isEqualTo("0");
    assertThat(c.path("creditType").asText()).isEqualTo("111");
    assertThat(c.path("creditNum").asText()).isEqualTo(Fixtures.ID_NO);
    assertThat(c.path("mobile").asText()).isEqualTo(Fixtures.MOBILE);
    assertThat(c.path("acceptDate").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

    await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/ratings/" + ratingId).json().path("status").asText(),
        "FORWARDED"::equals);
    JsonNode status = api.get("/api/v1/ratings/" + ratingId).json();
    assertThat(status.path("forwardedAt").asText()).isNotEmpty();
    assertThat(status.toString()).doesNotContain(Fixtures.ID_NO).doesNotContain(Fixtures.MOBILE);
    assertThat(province.ledger().stats().envelopeRejected()).as("every envelope opened and its signature verified").isZero();

    // The person on call sees forwarding in health and metrics.
    JsonNode check = null;
    for (JsonNode c2 : api.get("/observe/health").json().path("checks")) {
      if (c2.path("id").asText().equals("province")) {
        check = c2;
      }
    }
    assertThat(check).as("province health check").isNotNull();
    assertThat(check.path("state").asText()).isEqualTo("UP");
    assertThat(check.path("details").path("breaker").asText()).isEqualTo("CLOSED");
    assertThat(check.path("details").path("envelope").asText()).isEqualTo(expected().envelope());
    assertThat(check.path("details").path("province").asText()).contains("SIMULATOR");
    assertThat(api.get("/observe/metrics").text())
        .contains("hcp_province_records_total{kind=\"evaluation\",outcome=\"FORWARDED\"}")
        .contains("hcp_province_calls_total{kind=\"case\",result=\"ok\"}")
        .contains("hcp_province_breaker_open");
  }

  @Test
  void badRatingCarriesItsTagsAsEvalDetailAndEachRatingOfACaseItsOwnServiceNumber() {
    String caseNo = "FWD-E2E-2";
    assertThat(api.post("/api/v1/cases", Fixtures.completedCase(caseNo)).status()).isEqualTo(201);
    Map<String, Object> item = Fixtures.rating(caseNo, "VERY_DISSATISFIED");
    item.put("tags", List.of(expected().badTag()));
    Map<String, Object> staff = Fixtures.rating(caseNo, "VERY_SATISFIED");
    staff.put("target", Map.of("type", "STAFF"));
    staff.put("visitId", "V1");
    assertThat(api.post("/api/v1/ratings", item).status()).isEqualTo(202);
    assertThat(api.post("/api/v1/ratings", staff).status()).isEqualTo(202);

    ProvinceSimulator province = province();
    await().atMost(Duration.ofSeconds(30)).until(() -> evaluations(province, caseNo).size() == 2);
    List<JsonNode> both = evaluations(province, caseNo);
    assertThat(both).extracting(n -> n.path("serviceNumber").asText()).containsExactlyInAnyOrder("1", "2");
    JsonNode bad = both.stream().filter(n -> n.has("evalDetail")).findFirst().orElseThrow();
    assertThat(bad.path("evalDetail").asText()).isEqualTo(expected().badTag());
    assertThat(bad.path("satisfaction").asText()).isEqualTo(expected().veryDissatisfied());
  }

  static ProvinceLedger.Receipt evaluation(ProvinceSimulator province, String caseNo) {
    return province.ledger().evaluations().stream().filter(r -> r.record().path("projectNo").asText().equals(caseNo)).findFirst()
        .orElse(null);
  }

  static List<JsonNode> evaluations(ProvinceSimulator province, String caseNo) {
    return province.ledger().evaluations().stream().map(ProvinceLedger.Receipt::record)
        .filter(r -> r.path("projectNo").asText().equals(caseNo)).toList();
  }
}
