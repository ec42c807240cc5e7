package org.haochaping.gateway.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.Credentials;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.sim.ProvinceLedger;
import org.haochaping.gateway.sim.ProvinceSimulator;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the province refuses for good goes to the dead-letter queue with the province's code and
 * message; an operator lists it (admin token, no personal data) and replays it once the cause is
 * fixed. A case the province lost (3001) is pushed again before its rating.
 */
@Tag("db")
class ProvinceDeadLetterTest extends GatewayTestSupport {

  private static final String DLQ = "/api/v1/admin/dlq/province.forward";

  private String token() {
    return bean("credentials", Credentials.class).get("admin.token");
  }

  private Api.Response admin(String method, String path, String body, String token) {
    Api.Response r = api.sendWithHeaders(method, path, body == null ? null : "application/json",
        body == null ? null : body.getBytes(StandardCharsets.UTF_8), token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    return r;
  }

  private long depth(String queue) throws Exception {
    // As the gateway logs in (an external broker refuses anonymous sessions).
    var topology = bean("gatewayCore", GatewayCore.class).topology();
    try (var factory = topology.locator().createSessionFactory(); var session = topology.session(factory)) {
      return session.queueQuery(org.apache.activemq.artemis.api.core.SimpleString.of(queue)).getMessageCount();
    }
  }

  private String post(Map<String, Object> rating) {
    Api.Response r = api.post("/api/v1/ratings", rating);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("ratingId").asText();
  }

  private JsonNode awaitStatus(String ratingId, String status) {
    await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/ratings/" + ratingId).json().path("status").asText(),
        status::equals);
    return api.get("/api/v1/ratings/" + ratingId).json();
  }

  @Test
  void caseRefusedByTheProvinceDeadLettersItsRatingUntilTheCaseIsFixedAndReplayed() throws Exception {
    String caseNo = "DLQ-CASE-1";
    Map<String, Object> broken = Fixtures.completedCase(caseNo);
    broken.remove("deptName"); // optional for the gateway, required by the province (2001)
    assertThat(api.post("/api/v1/cases", broken).status()).isEqualTo(201);
    String ratingId = post(Fixtures.rating(caseNo, "SATISFIED"));

    JsonNode status = awaitStatus(ratingId, "REJECTED_BY_PROVINCE");
    assertThat(status.path("statusDetail").asText()).contains("2001").contains("deptName").contains("必填");

    assertThat(admin("GET", DLQ, null, null).status()).isEqualTo(401);
    assertThat(admin("GET", DLQ, null, "wrong-token").status()).isEqualTo(401);
    Api.Response list = admin("GET", DLQ, null, token());
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    JsonNode entry = entry(list.json(), ratingId);
    assertThat(entry.path("status").asText()).isEqualTo("REJECTED_BY_PROVINCE");
    assertThat(entry.path("code").asText()).isEqualTo("2001");
    assertThat(entry.path("message").asText()).contains("deptName");
    assertThat(entry.path("caseNo").asText()).isEqualTo(caseNo);
    assertThat(list.text()).doesNotContain("张三").doesNotContain(Fixtures.ID_NO).doesNotContain(Fixtures.MOBILE)
        .doesNotContain("evaluator");

    // The departmental system fixes the case; the operator replays the rating.
    assertThat(api.post("/api/v1/cases", Fixtures.completedCase(caseNo)).status()).isEqualTo(200);
    context.getRouteController().stopRoute("ledger");
    Api.Response replay = admin("POST", DLQ + "/replay", Json.text(Map.of("ratingIds", List.of(ratingId, "no-such-id"))), token());
    assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
    assertThat(replay.json().path("replayed").asInt()).isEqualTo(1);
    assertThat(replay.json().path("notFound").get(0).asText()).isEqualTo("no-such-id");
    assertThat(depth("ledger")).as("a replay goes to province.forward only, not to the other consumers of ratings").isZero();
    context.getRouteController().startRoute("ledger");

    awaitStatus(ratingId, "FORWARDED");
    ProvinceSimulator province = bean("provinceSimulator", ProvinceSimulator.class);
    assertThat(ForwardToProvinceTest.evaluations(province, caseNo)).hasSize(1);
    assertThat(entryOrNull(admin("GET", DLQ, null, token()).json(), ratingId)).as("the entry left the queue").isNull();
  }

  @Test
  void aDuplicateStaysRefusedAndComesBackToTheQueueAfterAReplay() {
    String caseNo = "DLQ-DUP-1";
    // A departmental system already reported this rating to the province directly (same key).
    ProvinceSimulator province = bean("provinceSimulator", ProvinceSimulator.class);
    province.ledger().acceptCase(caseNo, Json.MAPPER.createObjectNode().put("projectNo", caseNo));
    province.ledger().acceptEvaluation(caseNo, "1", "1", Json.MAPPER.createObjectNode().put("projectNo", caseNo));

    assertThat(api.post("/api/v1/cases", Fixtures.completedCase(caseNo)).status()).isEqualTo(201);
    String ratingId = post(Fixtures.rating(caseNo, "BASIC"));
    JsonNode status = awaitStatus(ratingId, "REJECTED_BY_PROVINCE");
    assertThat(status.path("statusDetail").asText()).contains("3002").contains("评价数据不可重复");

    Api.Response all = admin("POST", DLQ + "/replay", "", token());
    assertThat(all.status()).as(all.toString()).isEqualTo(202);
    assertThat(all.json().path("ratingIds").toString()).contains(ratingId);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonNode e = entryOrNull(admin("GET", DLQ, null, token()).json(), ratingId);
      return e != null && e.path("replays").asInt() == 1 && e.path("replayRequestedAt").isMissingNode()
          && e.path("code").asText().equals("3002");
    });
    assertThat(api.get("/api/v1/ratings/" + ratingId).json().path("status").asText()).isEqualTo("REJECTED_BY_PROVINCE");
    assertThat(ForwardToProvinceTest.evaluations(province, caseNo)).as("the province holds its own record only").hasSize(1);
  }

  @Test
  void anOperatorDiscardsWithAReasonThatTheAuditLogKeeps() {
    String caseNo = "DLQ-DISCARD-1";
    Map<String, Object> broken = Fixtures.completedCase(caseNo);
    broken.remove("deptName");
    assertThat(api.post("/api/v1/cases", broken).status()).isEqualTo(201);
    String ratingId = post(Fixtures.rating(caseNo, "SATISFIED"));
    awaitStatus(ratingId, "REJECTED_BY_PROVINCE");

    Api.Response queues = admin("GET", "/api/v1/admin/dlq", null, token());
    assertThat(queues.status()).as(queues.toString()).isEqualTo(200);
    assertThat(queues.json().get(0).path("queue").asText()).isEqualTo("province.forward");
    assertThat(queues.json().get(0).path("depth").asLong()).isPositive();

    Api.Response noReason = admin("POST", DLQ + "/discard", Json.text(Map.of("ratingIds", List.of(ratingId))), token());
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.json().path("violations").get(0).path("field").asText()).isEqualTo("reason");
    Api.Response viewer = api.bearer(createViewerToken()).send("POST", DLQ + "/discard", "application/json",
        Json.text(Map.of("ratingIds", List.of(ratingId), "reason", "重复的测试数据")).getBytes(StandardCharsets.UTF_8));
    assertThat(viewer.status()).isEqualTo(403);

    Api.Response discard = admin("POST", DLQ + "/discard",
        Json.text(Map.of("ratingIds", List.of(ratingId, "no-such-id"), "reason", "部门已线下补报 / reported by the department itself")),
        token());
    assertThat(discard.status()).as(discard.toString()).isEqualTo(200);
    assertThat(discard.json().path("discarded").asInt()).isEqualTo(1);
    assertThat(discard.json().path("notFound").get(0).asText()).isEqualTo("no-such-id");
    assertThat(entryOrNull(admin("GET", DLQ, null, token()).json(), ratingId)).isNull();
    assertThat(api.get("/api/v1/ratings/" + ratingId).json().path("status").asText()).isEqualTo("REJECTED_BY_PROVINCE");
    String audit = admin("GET", "/api/v1/admin/audit", null, token()).text();
    assertThat(audit).contains("DLQ_DISCARD province.forward").contains(ratingId).contains("部门已线下补报");
  }

  private String createViewerToken() {
    Api.Response r = admin("POST", "/api/v1/admin/tokens", Json.text(Map.of("name", "dlq-viewer", "role", "VIEWER")), token());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().path("token").asText();
  }

  @Test
  void badAdminRequestsAreProblemsNamingTheFieldAndRule() {
    Api.Response unknownQueue = admin("GET", "/api/v1/admin/dlq/nothing", null, token());
    assertThat(unknownQueue.status()).isEqualTo(404);
    assertThat(unknownQueue.contentType()).startsWith("application/problem+json");

    Api.Response badLimit = admin("GET", DLQ + "?limit=0", null, token());
    assertThat(badLimit.status()).isEqualTo(400);
    assertThat(badLimit.json().path("violations").get(0).path("field").asText()).isEqualTo("limit");

    Api.Response badIds = admin("POST", DLQ + "/replay", "{\"ratingIds\":[1]}", token());
    assertThat(badIds.status()).isEqualTo(400);
    assertThat(badIds.json().path("violations").get(0).path("field").asText()).isEqualTo("ratingIds[0]");
    assertThat(badIds.json().path("violations").get(0).path("message").asText()).isNotEmpty();
    assertThat(badIds.json().path("violations").get(0).path("messageEn").asText()).isNotEmpty();

    Api.Response notJson = admin("POST", DLQ + "/replay", "{", token());
    assertThat(notJson.status()).isEqualTo(400);

    Api.Response unauthorized = admin("POST", DLQ + "/replay", "", null);
    assertThat(unauthorized.status()).isEqualTo(401);
    assertThat(unauthorized.json().path("code").asText()).isEqualTo("ADMIN_TOKEN_REQUIRED");
  }

  @Test
  void caseTheProvinceLostIsPushedAgainBeforeItsRating() {
    String caseNo = "DLQ-3001-1";
    ProvinceSimulator province = bean("provinceSimulator", ProvinceSimulator.class);
    assertThat(api.post("/api/v1/cases", Fixtures.completedCase(caseNo)).status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(30)).until(() -> province.ledger().knowsCase(caseNo));
    province.ledger().reset(); // the province forgets it (a restore, a wiped test platform)

    String ratingId = post(Fixtures.rating(caseNo, "VERY_SATISFIED"));
    awaitStatus(ratingId, "FORWARDED");
    ProvinceLedger.Receipt evaluation = ForwardToProvinceTest.evaluation(province, caseNo);
    ProvinceLedger.Receipt again = province.ledger().cases().stream()
        .filter(r -> r.record().path("projectNo").asText().equals(caseNo)).findFirst().orElseThrow();
    assertThat(again.seq()).isLessThan(evaluation.seq());
    assertThat(province.ledger().stats().rejectedByCode()).containsEntry("3001", 1L);
  }

  private static JsonNode entry(JsonNode page, String ratingId) {
    JsonNode e = entryOrNull(page, ratingId);
    assertThat(e).as("entry " + ratingId + " in " + page).isNotNull();
    return e;
  }

  private static JsonNode entryOrNull(JsonNode page, String ratingId) {
    for (JsonNode e : page.path("entries")) {
      if (e.path("ratingId").asText().equals(ratingId)) {
        return e;
      }
    }
    return null;
  }
}
