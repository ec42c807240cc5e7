package org.haochaping.gateway.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.sim.ProvinceLedger;
import org.haochaping.gateway.sim.ProvinceSimulator;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.Rows;
import org.junit.jupiter.api.Test;

/**
 * Questionnaires over REST (000 第八条, docs/questionnaires.md), against the two shipped files:
 * 个体工商户设立登记 (…1001, every question optional) and 个体工商户变更登记 (…1002, "what went wrong"
 * required after 不满意/非常不满意 on the online channels).
 */
class QuestionnaireRouteTest extends GatewayTestSupport {

  static final String CHANGE = "11440881MB2C93418X4440111002";

  private String completedCase(String caseNo, String taskCode) {
    Map<String, Object> c = Fixtures.completedCase(caseNo);
    c.put("taskCode", taskCode);
    c.put("itemName", "个体工商户变更登记");
    assertThat(api.post("/api/v1/cases", c).status()).isEqualTo(201);
    return caseNo;
  }

  private static Map<String, Object> rating(String caseNo, String level, Map<String, Object> answers) {
    Map<String, Object> r = Fixtures.rating(caseNo, level);
    if (level.endsWith("DISSATISFIED")) {
      r.put("tags", List.of("517"));
    }
    if (answers != null) {
      r.put("questionnaire", answers);
    }
    return r;
  }

  private static List<String> fields(Api.Response r) {
    return r.json().get("violations").findValues("field").stream().map(JsonNode::asText).toList();
  }

  @Test
  void answersAreAcceptedStoredWithTheRatingSummarisedAndNeverForwarded() {
    Database db = bean("database", Database.class);
    Map<String, Object> answers = new LinkedHashMap<>();
    answers.put("visits", "TWO_OR_MORE");
    answers.put("speed", 2);
    answers.put("whatWentWrong", List.of("WAIT", "DOCS"));
    answers.put("suggestion", "希望增加网上预约");
    Api.Response r = api.post("/api/v1/ratings", rating(completedCase("QN-OK-1", CHANGE), "DISSATISFIED", answers));
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    String id = r.json().get("ratingId").asText();

    Map<String, Object> second = new LinkedHashMap<>();
    second.put("speed", 5);
    second.put("visits", "ZERO");
    assertThat(api.post("/api/v1/ratings", rating(completedCase("QN-OK-2", CHANGE), "VERY_SATISFIED", second)).status()).isEqualTo(202);
    // A rating of the same item without answers stays valid where no question of its level is required.
    assertThat(api.post("/api/v1/ratings", rating(completedCase("QN-OK-3", CHANGE), "SATISFIED", null)).status()).isEqualTo(202);

    List<Map<String, Object>> rows = await().atMost(Duration.ofSeconds(20)).until(() -> Rows.query(db,
        "select question_id, ordinal, task_code, level, answer_type, choice_code, score, answer_text from rating_answers "
            + "where rating_id = ? order by question_id, ordinal", id), x -> x.size() == 5);
    assertThat(rows).extracting(m -> m.get("question_id") + "|" + m.get("answer_type") + "|" + m.get("choice_code") + "|"
        + m.get("score") + "|" + m.get("answer_text")).containsExactly(
            "speed|score|null|2|null",
            "suggestion|text|null|null|希望增加网上预约",
            "visits|single|TWO_OR_MORE|null|null",
            "whatWentWrong|multiple|WAIT|null|null",
            "whatWentWrong|multiple|DOCS|null|null");
    assertThat(rows).allSatisfy(m -> assertThat(m).containsEntry("task_code", CHANGE).containsEntry("level", "DISSATISFIED"));
    assertThat(rows.toString()).doesNotContain(Fixtures.MOBILE).doesNotContain(Fixtures.ID_NO).doesNotContain("张三");

    // Statistics: counts per choice, mean of scores, how many texts (not the texts), VIEWER token.
    await().atMost(Duration.ofSeconds(20)).until(() -> Rows.query(db, "select rating_id from rating_answers where task_code = ? "
        + "group by rating_id", CHANGE).size() == 2);
    Api.Response token = api.admin().post("/api/v1/admin/tokens", Map.of("name", "questionnaire-viewer", "role", "VIEWER"));
    Api viewer = api.bearer(token.json().get("token").asText());
    Api.Response stats = viewer.get("/api/v1/stats/questionnaires/" + CHANGE);
    assertThat(stats.status()).as(stats.toString()).isEqualTo(200);
    JsonNode s = stats.json();
    assertThat(s.get("ratingsAnswered").asInt()).isEqualTo(2);
    assertThat(s.at("/ratingsAnsweredByLevel/DISSATISFIED").asInt()).isEqualTo(1);
    JsonNode q = byId(s.get("questions"));
    assertThat(q.at("/speed/meanScore").asDouble()).isEqualTo(3.5);
    assertThat(q.at("/speed/answered").asInt()).isEqualTo(2);
    assertThat(choice(q.get("visits"), "TWO_OR_MORE")).isEqualTo(1);
    assertThat(choice(q.get("visits"), "ZERO")).isEqualTo(1);
    assertThat(choice(q.get("visits"), "ONE")).isZero();
    assertThat(choice(q.get("whatWentWrong"), "WAIT")).isEqualTo(1);
    assertThat(choice(q.get("whatWentWrong"), "SLOW")).isZero();
    assertThat(q.at("/whatWentWrong/answered").asInt()).isEqualTo(1);
    assertThat(q.at("/suggestion/texts").asInt()).isEqualTo(1);
    assertThat(stats.text()).doesNotContain("希望增加网上预约").doesNotContain(Fixtures.MOBILE);
    assertThat(viewer.get("/api/v1/stats/questionnaires").json().get("items").findValuesAsText("taskCode"))
        .contains(CHANGE, "11440881MB2C93418X4440111001");
    assertThat(api.unsigned().get("/api/v1/stats/questionnaires/" + CHANGE).status()).isEqualTo(401);
    assertThat(viewer.get("/api/v1/stats/questionnaires/NO-SUCH-ITEM").status()).isEqualTo(404);

    // Never forwarded: the province's record has no place for answers (DESIGN §3 national format).
    ProvinceSimulator province = bean("provinceSimulator", ProvinceSimulator.class);
    JsonNode forwarded = await().atMost(Duration.ofSeconds(30)).until(() -> province.ledger().evaluations().stream()
        .map(ProvinceLedger.Receipt::record).filter(e -> e.path("projectNo").asText().equals("QN-OK-1")).findFirst().orElse(null),
        x -> x != null);
    assertThat(forwarded.has("questionnaire")).isFalse();
    assertThat(forwarded.toString()).doesNotContain("whatWentWrong").doesNotContain("TWO_OR_MORE").doesNotContain("希望增加网上预约");
  }

  @Test
  void aMissingRequiredAnswerIsRefused422NamingTheQuestionInChineseAndEnglish() {
    // Online channel, 不满意, no questionnaire at all: the required question of that level is missing.
    Api.Response r = api.post("/api/v1/ratings", rating(completedCase("QN-REQ-1", CHANGE), "DISSATISFIED", null));
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonNode v = r.json().get("violations").get(0);
    assertThat(v.get("field").asText()).isEqualTo("questionnaire.whatWentWrong");
    assertThat(v.get("rule").asText()).isEqualTo("required");
    assertThat(v.get("message").asText()).contains("不满意", "主要是哪些方面让您不满意");
    assertThat(v.get("messageEn").asText()).contains("must be answered");

    // Answers given, the required one left empty.
    r = api.post("/api/v1/ratings", rating(completedCase("QN-REQ-2", CHANGE), "VERY_DISSATISFIED",
        Map.of("speed", 1, "whatWentWrong", List.of())));
    assertThat(r.status()).isEqualTo(422);
    assertThat(fields(r)).contains("questionnaire.whatWentWrong");

    // A channel that does not show the questionnaire (the evaluator tablet, SMS) need not answer it.
    Map<String, Object> hotline = rating(completedCase("QN-REQ-3", CHANGE), "DISSATISFIED", null);
    hotline.put("channel", "DEPT_SYSTEM");
    assertThat(api.post("/api/v1/ratings", hotline).status()).isEqualTo(202);
  }

  @Test
  void aWrongTypeAnUnknownQuestionAndAnUnknownChoiceAreRefused() {
    Map<String, Object> answers = new LinkedHashMap<>();
    answers.put("speed", "fast");
    answers.put("mood", "happy");
    answers.put("visits", "THREE");
    answers.put("whatWentWrong", List.of("WAIT"));
    Api.Response r = api.post("/api/v1/ratings", rating(completedCase("QN-BAD-1", CHANGE), "SATISFIED", answers));
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    Map<String, String> rules = new LinkedHashMap<>();
    r.json().get("violations").forEach(v -> rules.put(v.get("field").asText(), v.get("rule").asText()));
    assertThat(rules).containsEntry("questionnaire.speed", "type").containsEntry("questionnaire.mood", "unknownQuestion")
        .containsEntry("questionnaire.visits", "choice").containsEntry("questionnaire.whatWentWrong", "notAskedForLevel");
    r.json().get("violations").forEach(v -> assertThat(v.get("message").asText()).isNotBlank());
    assertThat(r.text()).contains("1至5分评分题").contains("a score from 1 to 5");

    // A score out of range, and answers for an item that has no questionnaire.
    r = api.post("/api/v1/ratings", rating(completedCase("QN-BAD-2", CHANGE), "SATISFIED", Map.of("speed", 9)));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().at("/violations/0/rule").asText()).isEqualTo("range");
    r = api.post("/api/v1/ratings", rating(completedCase("QN-BAD-3", "11440881MB2C93418X4440999999"), "SATISFIED", Map.of("speed", 3)));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().at("/violations/0/field").asText()).isEqualTo("questionnaire");
    assertThat(r.json().at("/violations/0/rule").asText()).isEqualTo("noQuestionnaire");
    // Not even JSON the schema allows (an object as an answer): 400 like any malformed rating, never a 500.
    r = api.post("/api/v1/ratings", rating(completedCase("QN-BAD-4", CHANGE), "SATISFIED", Map.of("speed", Map.of("x", 1))));
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.text()).contains("questionnaire");
  }

  private static JsonNode byId(JsonNode questions) {
    var o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    questions.forEach(q -> o.set(q.get("id").asText(), q));
    return o;
  }

  private static long choice(JsonNode question, String code) {
    for (JsonNode c : question.get("choices")) {
      if (c.get("code").asText().equals(code)) {
        return c.get("count").asLong();
      }
    }
    throw new AssertionError("no choice " + code + " in " + question);
  }
}
