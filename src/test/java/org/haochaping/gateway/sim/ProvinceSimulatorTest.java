package org.haochaping.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.haochaping.gateway.sim.NationalRecords.caseRecord;
import static org.haochaping.gateway.sim.NationalRecords.evaluation;
import static org.haochaping.gateway.sim.NationalRecords.payload;
import static org.haochaping.gateway.sim.SimulatorClient.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.haochaping.gateway.province.envelope.HmacJsonEnvelope;
import org.haochaping.gateway.province.envelope.SealedRequest;
import org.haochaping.gateway.province.envelope.Sm2KeyPair;
import org.haochaping.gateway.province.envelope.Sm2Sm4Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Guangdong simulator behind HMAC-signed JSON, as the gateway's forwarding will meet it. */
class ProvinceSimulatorTest {

  private static final Clock CLOCK = Clock.systemUTC();
  private static final AtomicInteger CASE_NUMBERS = new AtomicInteger();

  private static ProvinceSimulator simulator;
  private static SimulatorClient gateway;

  @BeforeAll
  static void startSimulator() {
    simulator = ProvinceSimulator.start(ProvinceSimulator.Settings.hmacJson("guangdong", "hcp-gateway", "test-secret"));
    gateway = new SimulatorClient(simulator.baseUrl(), new HmacJsonEnvelope("hcp-gateway", "test-secret"));
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  @BeforeEach
  void forgetEverything() throws Exception {
    assertThat(gateway.control("POST", "/sim/reset", null).statusCode()).isEqualTo(200);
  }

  private static String newProjectNo() {
    return "44088120260302" + String.format("%06d", CASE_NUMBERS.incrementAndGet());
  }

  @Test
  void listensOnAnEphemeralPort() {
    assertThat(simulator.port()).isPositive();
    assertThat(simulator.baseUrl()).isEqualTo("http://127.0.0.1:" + simulator.port());
  }

  @Test
  void caseThenEvaluationAreAcceptedAndRecordedInOrder() throws Exception {
    String projectNo = newProjectNo();
    HttpResponse<String> caseAnswer = gateway.send("/api/cases", payload(caseRecord(projectNo, CLOCK)));
    assertThat(caseAnswer.statusCode()).isEqualTo(200);
    assertThat(caseAnswer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode caseJson = json(caseAnswer);
    assertThat(caseJson.get("code").asText()).isEqualTo("0000");
    assertThat(caseJson.get("message").asText()).isEqualTo("成功");
    assertThat(caseJson.at("/results/0/projectNo").asText()).isEqualTo(projectNo);
    assertThat(caseJson.at("/results/0/code").asText()).isEqualTo("0000");

    ObjectNode first = evaluation("guangdong", projectNo, "5", CLOCK);
    ObjectNode second = evaluation("guangdong", projectNo, "4", CLOCK);
    second.put("serviceNumber", "2"); // a second window visit of the same case
    JsonNode evaluationJson = json(gateway.send("/api/evaluations", payload(first, second)));
    assertThat(evaluationJson.get("code").asText()).isEqualTo("0000");
    assertThat(evaluationJson.get("results")).hasSize(2);
    assertThat(evaluationJson.at("/results/0/assessNumber").asText()).isEqualTo("1");
    assertThat(evaluationJson.at("/results/0/serviceNumber").asText()).isEqualTo("1");
    assertThat(evaluationJson.at("/results/0/code").asText()).isEqualTo("0000");
    assertThat(evaluationJson.at("/results/1/serviceNumber").asText()).isEqualTo("2");
    assertThat(evaluationJson.at("/results/1/code").asText()).isEqualTo("0000");

    JsonNode cases = json(gateway.get("/sim/cases"));
    JsonNode evaluations = json(gateway.get("/sim/evaluations"));
    assertThat(cases).hasSize(1);
    assertThat(cases.at("/0/record/projectNo").asText()).isEqualTo(projectNo);
    assertThat(evaluations).hasSize(2);
    assertThat(evaluations.at("/0/record/satisfaction").asText()).isEqualTo("5");
    assertThat(evaluations.at("/1/record/satisfaction").asText()).isEqualTo("4");
    long caseSeq = cases.at("/0/seq").asLong();
    assertThat(evaluations.at("/0/seq").asLong()).isGreaterThan(caseSeq);
    assertThat(evaluations.at("/1/seq").asLong()).isGreaterThan(evaluations.at("/0/seq").asLong());
    OffsetDateTime receivedAt = OffsetDateTime.parse(evaluations.at("/0/receivedAt").asText());
    assertThat(receivedAt.getOffset().getTotalSeconds()).isEqualTo(8 * 3600);
    assertThat(Duration.between(receivedAt.toInstant(), Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));

    JsonNode stats = json(gateway.get("/sim/stats"));
    assertThat(stats.get("requests").asLong()).isEqualTo(2);
    assertThat(stats.get("casesAccepted").asLong()).isEqualTo(1);
    assertThat(stats.get("evaluationsAccepted").asLong()).isEqualTo(2);
  }

  @Test
  void evaluationOfAnUnknownCaseIs3001() throws Exception {
    JsonNode answer = json(gateway.send("/api/evaluations", payload(evaluation("guangdong", newProjectNo(), "5", CLOCK))));
    assertThat(answer.at("/results/0/code").asText()).isEqualTo("3001");
    assertThat(answer.at("/results/0/message").asText()).isEqualTo("办件不存在");
    assertThat(json(gateway.get("/sim/evaluations"))).isEmpty();
  }

  @Test
  void secondRatingWithTheSameKeyIs3002EvenWhenIdentical() throws Exception {
    String projectNo = newProjectNo();
    gateway.send("/api/cases", payload(caseRecord(projectNo, CLOCK)));
    ObjectNode rating = evaluation("guangdong", projectNo, "5", CLOCK);
    assertThat(json(gateway.send("/api/evaluations", payload(rating))).at("/results/0/code").asText()).isEqualTo("0000");

    JsonNode identical = json(gateway.send("/api/evaluations", payload(rating)));
    assertThat(identical.at("/results/0/code").asText()).isEqualTo("3002");
    assertThat(identical.at("/results/0/message").asText()).isEqualTo("评价数据不可重复");

    ObjectNode changedMind = rating.deepCopy().put("satisfaction", "3");
    assertThat(json(gateway.send("/api/evaluations", payload(changedMind))).at("/results/0/code").asText()).isEqualTo("3002");

    ObjectNode followUp = rating.deepCopy().put("assessNumber", "2"); // 追加评价 is a different key
    assertThat(json(gateway.send("/api/evaluations", payload(followUp))).at("/results/0/code").asText()).isEqualTo("0000");

    JsonNode stats = json(gateway.get("/sim/stats"));
    assertThat(stats.get("duplicatesAttempted").asLong()).isEqualTo(2);
    assertThat(stats.get("identicalResends").asLong()).isEqualTo(1);
    assertThat(stats.at("/rejectedByCode/3002").asLong()).isEqualTo(2);
  }

  @Test
  void missingServiceNumberCountsAsOne() throws Exception {
    String projectNo = newProjectNo();
    gateway.send("/api/cases", payload(caseRecord(projectNo, CLOCK)));
    ObjectNode withOne = evaluation("guangdong", projectNo, "5", CLOCK);
    ObjectNode without = withOne.deepCopy();
    without.remove("serviceNumber");
    JsonNode answer = json(gateway.send("/api/evaluations", payload(withOne, without)));
    assertThat(answer.at("/results/1/serviceNumber").asText()).isEqualTo("1");
    assertThat(answer.at("/results/1/code").asText()).isEqualTo("3002");
  }

  @Test
  void casePushedAgainIsAnUpdate() throws Exception {
    String projectNo = newProjectNo();
    ObjectNode accepted = caseRecord(projectNo, CLOCK).put("proStatus", "2");
    ObjectNode completed = caseRecord(projectNo, CLOCK).put("proStatus", "3");
    gateway.send("/api/cases", payload(accepted));
    JsonNode answer = json(gateway.send("/api/cases", payload(completed)));
    assertThat(answer.at("/results/0/code").asText()).isEqualTo("0000");

    JsonNode cases = json(gateway.get("/sim/cases"));
    assertThat(cases).hasSize(2);
    assertThat(cases.at("/1/update").asBoolean()).isTrue();
    assertThat(cases.at("/1/record/proStatus").asText()).isEqualTo("3");
    JsonNode stats = json(gateway.get("/sim/stats"));
    assertThat(stats.get("casesAccepted").asLong()).isEqualTo(1);
    assertThat(stats.get("caseUpdates").asLong()).isEqualTo(1);
  }

  static Stream<Arguments> invalidEvaluationFields() {
    return Stream.of(
        Arguments.of("projectNo", "P".repeat(65)),
        Arguments.of("taskCode", "事项编码"),
        Arguments.of("taskHandleItem", "12345"),
        Arguments.of("taskName", ""),
        Arguments.of("proStatus", "9"),
        Arguments.of("deptCode", ""),
        Arguments.of("areaCode", "4408810000"),
        Arguments.of("userName", ""),
        Arguments.of("userProp", "8"),
        Arguments.of("certKey", "1".repeat(65)),
        Arguments.of("handleUserName", "李".repeat(51)),
        Arguments.of("satisfaction", "0"),
        Arguments.of("evalDetail", "A01"),
        Arguments.of("writingEvaluation", "慢".repeat(501)),
        Arguments.of("assessTime", "2026-03-02T10:00:00+08:00"),
        Arguments.of("assessNumber", "0"),
        Arguments.of("serviceNumber", "x"),
        Arguments.of("pf", "10"),
        Arguments.of("dataSource", "4400"));
  }

  @ParameterizedTest(name = "{0} = \"{1}\" -> 2001")
  @MethodSource("invalidEvaluationFields")
  void invalidFieldIs2001NamingTheField(String field, String value) throws Exception {
    String projectNo = newProjectNo();
    gateway.send("/api/cases", payload(caseRecord(projectNo, CLOCK)));
    ObjectNode record = evaluation("guangdong", projectNo, "5", CLOCK);
    record.put(field, value);

    JsonNode answer = json(gateway.send("/api/evaluations", payload(record)));
    assertThat(answer.get("code").asText()).isEqualTo("0000"); // the request is fine; the record is not
    assertThat(answer.at("/results/0/code").asText()).isEqualTo("2001");
    assertThat(answer.at("/results/0/message").asText()).startsWith(field + "：");
    assertThat(json(gateway.get("/sim/evaluations"))).isEmpty();
  }

  @Test
  void invalidCaseFieldIs2001NamingTheField() throws Exception {
    ObjectNode record = caseRecord(newProjectNo(), CLOCK).put("areaCode", "4408");
    JsonNode answer = json(gateway.send("/api/cases", payload(record)));
    assertThat(answer.at("/results/0/code").asText()).isEqualTo("2001");
    assertThat(answer.at("/results/0/message").asText()).isEqualTo("areaCode：须为12位数字（行政区划代码）");
  }

  @Test
  void oneBadRecordDoesNotSpoilTheBatch() throws Exception {
    String projectNo = newProjectNo();
    ObjectNode good = caseRecord(projectNo, CLOCK);
    ObjectNode bad = caseRecord(newProjectNo(), CLOCK).put("creditType", "999");
    JsonNode answer = json(gateway.send("/api/cases", payload(good, bad)));
    assertThat(answer.at("/results/0/code").asText()).isEqualTo("0000");
    assertThat(answer.at("/results/1/code").asText()).isEqualTo("2001");
    assertThat(answer.at("/results/1/message").asText()).contains("creditType").contains("id-types.csv");
  }

  @Test
  void badRatingWithoutDetailIsRefusedWhereGuangdongPutsIt() throws Exception {
    String projectNo = newProjectNo();
    gateway.send("/api/cases", payload(caseRecord(projectNo, CLOCK)));
    ObjectNode veryDissatisfied = evaluation("guangdong", projectNo, "1", CLOCK); // guangdong 1 = 非常不满意
    veryDissatisfied.remove("evalDetail");
    JsonNode answer = json(gateway.send("/api/evaluations", payload(veryDissatisfied)));
    assertThat(answer.at("/results/0/code").asText()).isEqualTo("2001");
    assertThat(answer.at("/results/0/message").asText()).contains("evalDetail").contains("writingEvaluation");

    ObjectNode verySatisfied = evaluation("guangdong", projectNo, "5", CLOCK);
    verySatisfied.remove("evalDetail");
    assertThat(json(gateway.send("/api/evaluations", payload(verySatisfied))).at("/results/0/code").asText()).isEqualTo("0000");
  }

  @Test
  void personalDataIsNotEchoedInRefusals() throws Exception {
    ObjectNode record = caseRecord(newProjectNo(), CLOCK).put("creditNum", "4408811990010112345").put("mobile", "139001390001");
    String answer = gateway.send("/api/cases", payload(record)).body();
    assertThat(answer).contains("creditNum").contains("mobile").doesNotContain("4408811990010112345").doesNotContain("139001390001");
  }

  @Test
  void wrongSignatureIs401With1001() throws Exception {
    SimulatorClient impostor = new SimulatorClient(simulator.baseUrl(), new HmacJsonEnvelope("hcp-gateway", "wrong-secret"));
    HttpResponse<String> answer = impostor.send("/api/cases", payload(caseRecord(newProjectNo(), CLOCK)));
    assertThat(answer.statusCode()).isEqualTo(401);
    JsonNode json = json(answer);
    assertThat(json.get("code").asText()).isEqualTo("1001");
    assertThat(json.get("reason").asText()).isEqualTo("BAD_SIGNATURE");
    assertThat(json.get("message").asText()).startsWith("签名验证失败");
    assertThat(json(gateway.get("/sim/cases"))).isEmpty();
    assertThat(json(gateway.get("/sim/stats")).get("envelopeRejected").asLong()).isEqualTo(1);
  }

  @Test
  void replayedRequestIs401() throws Exception {
    SealedRequest sealed = new HmacJsonEnvelope("hcp-gateway", "test-secret").seal(payload(caseRecord(newProjectNo(), CLOCK)));
    assertThat(gateway.post("/api/cases", sealed).statusCode()).isEqualTo(200);
    HttpResponse<String> replay = gateway.post("/api/cases", sealed);
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(json(replay).get("reason").asText()).isEqualTo("REPLAYED_NONCE");
  }

  @Test
  void payloadWithoutRecordsIs2002() throws Exception {
    JsonNode answer = json(gateway.send("/api/cases", "{\"records\":[]}".getBytes(StandardCharsets.UTF_8)));
    assertThat(answer.get("code").asText()).isEqualTo("2002");
    assertThat(answer.get("results")).isEmpty();
  }

  @Test
  void unknownPathIs404() throws Exception {
    assertThat(gateway.get("/api/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void guangxiBehindTheSm2Sm4EnvelopeTakesFiveAsVeryDissatisfied() throws Exception {
    Sm2KeyPair gatewayKeys = Sm2KeyPair.generate();
    Sm2KeyPair provinceKeys = Sm2KeyPair.generate();
    try (ProvinceSimulator guangxi =
        ProvinceSimulator.start(
            ProvinceSimulator.Settings.sm2Sm4("guangxi", "hcp-gateway", provinceKeys.privateKeyHex(), gatewayKeys.publicKeyHex()))) {
      SimulatorClient client =
          new SimulatorClient(
              guangxi.baseUrl(), new Sm2Sm4Envelope("hcp-gateway", gatewayKeys.privateKeyHex(), provinceKeys.publicKeyHex()));
      String projectNo = newProjectNo();
      assertThat(json(client.send("/api/cases", payload(caseRecord(projectNo, CLOCK)))).at("/results/0/code").asText()).isEqualTo("0000");

      ObjectNode veryDissatisfied = evaluation("guangxi", projectNo, "5", CLOCK);
      veryDissatisfied.remove("evalDetail");
      JsonNode refused = json(client.send("/api/evaluations", payload(veryDissatisfied)));
      assertThat(refused.at("/results/0/code").asText()).isEqualTo("2001");
      assertThat(refused.at("/results/0/message").asText()).contains("satisfaction=4、5");

      veryDissatisfied.put("evalDetail", "B05");
      assertThat(json(client.send("/api/evaluations", payload(veryDissatisfied))).at("/results/0/code").asText()).isEqualTo("0000");
      assertThat(guangxi.ledger().evaluations()).singleElement().satisfies(r -> assertThat(r.record().get("satisfaction").asText()).isEqualTo("5"));

      SimulatorClient wrongKey =
          new SimulatorClient(
              guangxi.baseUrl(), new Sm2Sm4Envelope("hcp-gateway", Sm2KeyPair.generate().privateKeyHex(), provinceKeys.publicKeyHex()));
      HttpResponse<String> forged = wrongKey.send("/api/cases", payload(caseRecord(newProjectNo(), CLOCK)));
      assertThat(forged.statusCode()).isEqualTo(401);
      assertThat(json(forged).get("reason").asText()).isEqualTo("BAD_SIGNATURE");
    }
  }
}
