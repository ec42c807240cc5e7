package org.haochaping.gateway.channel.hotline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.channel.mapping.ChannelMappingRouteTestAccess;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.Rows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 12345 callbacks (000 第十五条): a HOTLINE_12345 rating of the hotline case (caseNo = flowsn); a
 * 不满意 opens a manual revisit whose result the operator records, the notes sealed at rest.
 */
@Tag("db")
class HotlineCallbackRouteTest extends GatewayTestSupport {

  static final String FLOWSN = "ZJ12345-20261121-00831";

  static ObjectNode example() {
    return (ObjectNode) Json.read(ChannelMappingRouteTestAccess.example("hotline-callback").getBytes(StandardCharsets.UTF_8), JsonNode.class);
  }

  private boolean casesPushed;

  @BeforeEach
  void hotlineCase() {
    if (casesPushed) {
      return;
    }
    casesPushed = true;
    for (String caseNo : List.of(FLOWSN, "ZJ12345-20261121-00900")) {
      Map<String, Object> c = Fixtures.windowCase(caseNo);
      c.put("mode", "HOTLINE");
      c.put("acceptedAt", "2026-11-21T09:00:00+08:00");
      c.put("status", "COMPLETED");
      c.put("completedAt", "2026-11-22T17:00:00+08:00");
      c.remove("windowNo");
      c.remove("staffId");
      assertThat(api.post("/api/v1/cases", c).status()).isEqualTo(201);
    }
  }

  @Test
  void aBadCallbackIsAHotlineRatingAndOpensAManualRevisitThatIsRecordedOnce() {
    Api.Response r = api.post("/api/v1/hotline/callbacks", example());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    assertThat(r.json().get("revisit").asText()).isEqualTo("PENDING");
    String ratingId = r.json().get("ratingId").asText();
    Database db = bean("database", Database.class);
    Map<String, Object> row = await().atMost(Duration.ofSeconds(10)).until(() -> Rows.rating(db, ratingId), x -> x != null);
    assertThat(row).containsEntry("channel", "HOTLINE_12345").containsEntry("case_no", FLOWSN).containsEntry("level", "DISSATISFIED")
        .containsEntry("comment_text", "营业执照办了两次才办下来，希望简化流程").containsEntry("source_ref", "12345:" + FLOWSN + ":HF-01");

    JsonNode pending = api.get("/api/v1/hotline/revisits?status=PENDING").json().get("revisits");
    assertThat(pending).hasSize(1);
    assertThat(pending.get(0).get("caller").asText()).isEqualTo("138****0000");
    assertThat(pending.get(0).get("flowsn").asText()).isEqualTo(FLOWSN);

    Api.Response recorded = api.post("/api/v1/hotline/revisits/" + ratingId, Map.of("operator", "12345-王五", "reached", true,
        "outcome", "EXPLAINED", "notes", "已向市民解释办理流程，市民表示理解", "calledAt", "2026-11-24T09:30:00+08:00"));
    assertThat(recorded.status()).as(recorded.text()).isEqualTo(200);
    assertThat(recorded.json().get("status").asText()).isEqualTo("DONE");
    assertThat(recorded.json().get("notes").asText()).isEqualTo("已向市民解释办理流程，市民表示理解");
    assertThat(api.get("/api/v1/hotline/revisits?status=PENDING").json().get("revisits")).isEmpty();
    assertThat(api.post("/api/v1/hotline/revisits/" + ratingId, Map.of("operator", "x", "reached", false, "outcome", "UNREACHABLE"))
        .status()).isEqualTo(409);

    // Sealed at rest: neither the caller's number nor the notes are in clear in the table.
    Map<String, Object> stored = Rows.query(db, "select * from hotline_revisits where rating_id = ?", ratingId).get(0);
    assertThat(stored.toString()).doesNotContain(Fixtures.MOBILE).doesNotContain("已向市民解释");

    // The same callback again (a retry) is the same rating and the same revisit.
    assertThat(api.post("/api/v1/hotline/callbacks", example()).json().get("ratingId").asText()).isEqualTo(ratingId);
    assertThat(Rows.query(db, "select * from hotline_revisits")).hasSize(1);
  }

  @Test
  void aGoodCallbackOpensNoRevisitAndResultsMayBeDigits() {
    ObjectNode good = example();
    good.put("flowsn", "ZJ12345-20261121-00900");
    good.put("result", "5");
    good.put("eventCode", "HF-02");
    good.remove("content");
    Api.Response r = api.post("/api/v1/hotline/callbacks", good);
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    assertThat(r.json().has("revisit")).isFalse();
    Database db = bean("database", Database.class);
    Map<String, Object> row = await().atMost(Duration.ofSeconds(10)).until(() -> Rows.rating(db, r.json().get("ratingId").asText()),
        x -> x != null);
    assertThat(row).containsEntry("level", "VERY_SATISFIED");
  }

  @Test
  void refusalsNameTheCallbacksFields() {
    ObjectNode unknownResult = example();
    unknownResult.put("result", "还行吧");
    Api.Response r = api.post("/api/v1/hotline/callbacks", unknownResult);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("violations").findValuesAsText("field")).contains("result");

    ObjectNode noFlowsn = example();
    noFlowsn.remove("flowsn");
    assertThat(api.post("/api/v1/hotline/callbacks", noFlowsn).json().get("violations").get(0).get("field").asText()).isEqualTo("flowsn");

    assertThat(api.post("/api/v1/hotline/revisits/nobody", Map.of("operator", "x", "reached", true, "outcome", "RESOLVED")).status())
        .isEqualTo(404);
    Api.Response badRecord = api.post("/api/v1/hotline/revisits/nobody", Map.of("reached", "yes", "outcome", "MAYBE"));
    assertThat(badRecord.status()).isEqualTo(400);
    assertThat(badRecord.json().get("violations").findValuesAsText("field")).containsExactlyInAnyOrder("operator", "reached", "outcome");
  }
}
