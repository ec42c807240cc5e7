package org.haochaping.gateway.channel.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Window evaluators against the gateway's embedded broker, with real MQTT clients (Eclipse Paho 5,
 * and Paho 3 for MQTT 3.1.1): prompts on completion, ratings acked and stored, refusals with their
 * reasons, repeated msgIds, topic isolation, logins, device health.
 */
@Tag("db")
class EvaluatorMqttRouteTest extends EvaluatorTestSupport {

  @Test
  void completionPromptsTheEvaluatorOfThatWindowOnly() throws Exception {
    String a = register("EV-PROMPT-A", "21");
    String b = register("EV-PROMPT-B", "22");
    try (Evaluator atWindow21 = Evaluator.connect(mqttPort(), "EV-PROMPT-A", a);
        Evaluator atWindow22 = Evaluator.connect(mqttPort(), "EV-PROMPT-B", b)) {
      completeCaseAt("C-PROMPT-1", "21");
      JsonNode prompt = atWindow21.awaitPrompt();
      assertThat(prompt.get("caseNo").asText()).isEqualTo("C-PROMPT-1");
      assertThat(prompt.get("itemName").asText()).isEqualTo("个体工商户设立登记");
      assertThat(prompt.get("staffName").asText()).isEqualTo("李四");
      assertThat(OffsetDateTime.parse(prompt.get("expiresAt").asText())).isAfter(OffsetDateTime.now());
      assertThat(prompt.size()).isEqualTo(4);

      // The other window's evaluator gets its own case's prompt, and only that one.
      completeCaseAt("C-PROMPT-2", "22");
      assertThat(atWindow22.awaitPrompt().get("caseNo").asText()).isEqualTo("C-PROMPT-2");
      assertThat(atWindow22.prompts).isEmpty();
      assertThat(atWindow21.prompts).isEmpty();

      // Not completed (only accepted), or at a window without an evaluator: nobody is prompted.
      push(Fixtures.windowCase("C-PROMPT-3"));
      completeCaseAt("C-PROMPT-4", "99");
      completeCaseAt("C-PROMPT-5", "21");
      assertThat(atWindow21.awaitPrompt().get("caseNo").asText()).isEqualTo("C-PROMPT-5");
      assertThat(atWindow22.prompts).isEmpty();
    }
  }

  @Test
  void ratingIsAckedWithItsRatingIdAndStoredAsAnEvaluatorRatingOfItemAndStaff() throws Exception {
    String pw = register("EV-RATE", "31");
    try (Evaluator device = Evaluator.connect(mqttPort(), "EV-RATE", pw)) {
      completeCaseAt("C-RATE-1", "31");
      device.awaitPrompt();
      device.rate("m-1", "C-RATE-1", 4, List.of("101"), null);
      JsonNode ack = device.awaitAck("m-1");
      // DESIGN §4: {msgId, ratingId} and nothing else.
      assertThat(ack.size()).as(ack.toString()).isEqualTo(2);
      assertThat(ack.get("msgId").asText()).isEqualTo("m-1");
      String ratingId = ack.get("ratingId").asText();

      await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/ratings/" + ratingId).json().has("level"));
      JsonNode stored = api.get("/api/v1/ratings/" + ratingId).json();
      assertThat(stored.get("channel").asText()).isEqualTo("EVALUATOR");
      assertThat(stored.get("level").asText()).isEqualTo("SATISFIED");
      assertThat(stored.get("score").asInt()).isEqualTo(8);
      assertThat(stored.get("caseNo").asText()).isEqualTo("C-RATE-1");
      // 000 第五条/第十七条: at a window the item and the staff member are rated.
      Map<String, String> row = row("select target_type, staff_id, hall_code, window_no, source_ref from ratings where rating_id = ?", ratingId);
      assertThat(row).containsEntry("target_type", "ITEM_AND_STAFF").containsEntry("staff_id", "S0012")
          .containsEntry("hall_code", "LJ-ZWFW-01").containsEntry("window_no", "31")
          .containsEntry("source_ref", "evaluator:EV-RATE:m-1");
    }
  }

  @Test
  void badRatingWithoutTagOrTextIsAnsweredWithTheReasonAndNothingIsStored() throws Exception {
    String pw = register("EV-BAD", "41");
    try (Evaluator device = Evaluator.connect(mqttPort(), "EV-BAD", pw)) {
      completeCaseAt("C-BAD-1", "41");
      device.rate("m-bad", "C-BAD-1", 1, null, null);
      JsonNode refusal = device.awaitAck("m-bad");
      assertThat(refusal.size()).as(refusal.toString()).isEqualTo(2);
      JsonNode error = refusal.get("error");
      assertThat(error).isNotNull();
      assertThat(error.get("code").asText()).isEqualTo("VALIDATION_FAILED");
      assertThat(error.get("retry").asBoolean()).isFalse();
      JsonNode v = error.get("violations").get(0);
      // 000 第七条: 不满意/非常不满意 need a tag or a reason.
      assertThat(v.get("field").asText()).isEqualTo("tags");
      assertThat(v.get("rule").asText()).isEqualTo("badRatingNeedsReason");
      assertThat(v.get("message").asText()).contains("非常不满意").contains("差评标签");
      assertThat(v.get("messageEn").asText()).contains("very dissatisfied");

      // A payload the device got wrong names the field in the device's own terms.
      device.rate("m-six", "C-BAD-1", 6, null, null);
      JsonNode six = device.awaitAck("m-six").get("error").get("violations").get(0);
      assertThat(six.get("field").asText()).isEqualTo("satisfaction");
      assertThat(six.get("rule").asText()).isEqualTo("maximum");

      assertThat(count("select count(*) from ratings where case_no = ?", "C-BAD-1")).isZero();
      assertThat(count("select count(*) from idempotency_keys where rating_id in (select rating_id from ratings where case_no = ?)", "C-BAD-1")).isZero();

      // With a bad-rating tag (517 服务态度差) it is accepted.
      device.rate("m-bad-2", "C-BAD-1", 1, List.of("517"), null);
      assertThat(device.awaitAck("m-bad-2").has("ratingId")).isTrue();
    }
  }

  @Test
  void aBatchVisitIsRatedOnceAndTheRatingAppliesToEveryCaseOfTheVisit() throws Exception {
    // 000 第十八条: the same item applied for twice or more in one visit is rated once, for all.
    String pw = register("EV-BATCH", "B1");
    for (String caseNo : List.of("C-BATCH-1", "C-BATCH-2")) {
      Map<String, Object> c = Fixtures.windowCase(caseNo);
      c.put("windowNo", "B1");
      c.put("visitId", "V-BATCH");
      push(c);
    }
    Map<String, Object> otherItem = Fixtures.windowCase("C-BATCH-OTHER");
    otherItem.put("windowNo", "B1");
    otherItem.put("visitId", "V-BATCH");
    otherItem.put("taskCode", "11440881MB2C93418X4440111002");
    push(otherItem);
    for (String caseNo : List.of("C-BATCH-1", "C-BATCH-2", "C-BATCH-OTHER")) {
      api.post("/api/v1/cases/" + caseNo + "/events", Map.of("type", "COMPLETED"));
    }
    try (Evaluator device = Evaluator.connect(mqttPort(), "EV-BATCH", pw)) {
      device.rate("batch-1", "C-BATCH-1", 4, null, null);
      assertThat(device.awaitAck("batch-1").has("ratingId")).isTrue();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> count("select count(*) from ratings where case_no = ?", "C-BATCH-2") == 1);
    assertThat(row("select level, channel, source_ref from ratings where case_no = ?", "C-BATCH-2"))
        .containsEntry("level", "SATISFIED").containsEntry("channel", "EVALUATOR");
    String rated = row("select rating_id from ratings where case_no = ?", "C-BATCH-1").get("rating_id").toString();
    assertThat(row("select source_ref from ratings where case_no = ?", "C-BATCH-2")).containsEntry("source_ref", "applied:" + rated);
    assertThat(count("select count(*) from ratings where case_no = ?", "C-BATCH-1")).isEqualTo(1);
    // Another item of the same visit is not part of the batch.
    assertThat(count("select count(*) from idempotency_keys k where k.rating_id in (select rating_id from ratings where case_no = ?)", "C-BATCH-OTHER")).isZero();
  }

  @Test
  void aDeviceRatesOnlyCasesServedAtItsWindow() throws Exception {
    String pw = register("EV-WIN", "W1");
    completeCaseAt("C-WIN-ELSEWHERE", "W2");
    try (Evaluator device = Evaluator.connect(mqttPort(), "EV-WIN", pw)) {
      device.rate("w-1", "C-WIN-ELSEWHERE", 5, null, null);
      JsonNode error = device.awaitAck("w-1").get("error");
      assertThat(error.get("code").asText()).isEqualTo("RATING_NOT_ALLOWED");
      assertThat(error.get("violations").get(0).get("rule").asText()).isEqualTo("windowMismatch");
      device.rate("w-2", "C-NOBODY-KNOWS", 5, null, null);
      assertThat(device.awaitAck("w-2").get("error").get("code").asText()).isEqualTo("CASE_UNKNOWN");
      device.publish(EvaluatorTopics.rating("EV-WIN"), "not json".getBytes(StandardCharsets.UTF_8));
      await().atMost(Duration.ofSeconds(20)).until(() -> device.acks.stream().anyMatch(a -> a.path("error").path("code").asText().equals("MALFORMED_JSON")));
    }
  }

  @Test
  void aRepeatedMsgIdGetsTheSameAckAndMakesNoSecondRating() throws Exception {
    String pw = register("EV-DUP", "51");
    try (Evaluator device = Evaluator.connect(mqttPort(), "EV-DUP", pw)) {
      completeCaseAt("C-DUP-1", "51");
      device.rate("m-dup", "C-DUP-1", 5, null, null);
      JsonNode first = device.awaitAck("m-dup");
      device.acksByMsgId.clear();
      // The device lost the ack and sends the same message again, twice.
      device.rate("m-dup", "C-DUP-1", 5, null, null);
      device.rate("m-dup", "C-DUP-1", 5, null, null);
      await().atMost(Duration.ofSeconds(20)).until(() -> device.acks.size() == 3);
      assertThat(device.acks).allSatisfy(a -> assertThat(a).isEqualTo(first));
      String ratingId = first.get("ratingId").asText();
      await().atMost(Duration.ofSeconds(20)).until(() -> count("select count(*) from ratings where case_no = ?", "C-DUP-1") == 1);
      assertThat(count("select count(*) from ratings where case_no = ?", "C-DUP-1")).isEqualTo(1);
      assertThat(row("select rating_id from ratings where case_no = ?", "C-DUP-1")).containsEntry("rating_id", ratingId);
      // A refusal is answered the same way too.
      device.rate("m-dup-bad", "C-DUP-1", 9, null, null);
      JsonNode refused = device.awaitAck("m-dup-bad");
      device.acksByMsgId.remove("m-dup-bad");
      device.rate("m-dup-bad", "C-DUP-1", 9, null, null);
      assertThat(device.awaitAck("m-dup-bad")).isEqualTo(refused);
    }
  }

  @Test
  void aDeviceCanUseOnlyItsOwnTopics() throws Exception {
    String a = register("EV-ISO-A", "61");
    register("EV-ISO-B", "62");
    completeCaseAt("C-ISO-B", "62");
    try (Evaluator deviceA = Evaluator.connect(mqttPort(), "EV-ISO-A", a)) {
      // Publishing a rating as device B: the broker refuses it (MQTT 5 PUBACK 0x87 not authorized).
      byte[] forged = ("{\"msgId\":\"forged\",\"caseNo\":\"C-ISO-B\",\"satisfaction\":1,\"comment\":\"x\"}").getBytes(StandardCharsets.UTF_8);
      assertThat(deviceA.client.publishForReasonCode(EvaluatorTopics.rating("EV-ISO-B"), forged)).isEqualTo(0x87);
      // Reading device B's prompts or acks, or everybody's: refused (SUBACK 0x87).
      for (String filter : List.of(EvaluatorTopics.prompt("EV-ISO-B"), EvaluatorTopics.ack("EV-ISO-B"), "hcp/evaluators/+/prompt", "#")) {
        IMqttToken t = deviceA.client.subscribe(new String[] {filter}, new int[] {1});
        assertThat(t.getReasonCodes()[0]).as(filter).isEqualTo(0x87);
      }
      // Nor may it speak for the gateway on its own prompt topic.
      assertThat(deviceA.client.publishForReasonCode(EvaluatorTopics.prompt("EV-ISO-A"), "{}".getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(0x87);
      // Its own rating topic still works.
      completeCaseAt("C-ISO-A", "61");
      deviceA.rate("own", "C-ISO-A", 5, null, null);
      assertThat(deviceA.awaitAck("own").has("ratingId")).isTrue();
    }
    assertThat(count("select count(*) from evaluator_messages where device_id = ?", "EV-ISO-B")).isZero();
    assertThat(count("select count(*) from idempotency_keys k join ratings r on r.rating_id = k.rating_id where r.case_no = ?", "C-ISO-B")).isZero();
  }

  @Test
  void anonymousAndWrongPasswordsAreRefused() throws Exception {
    register("EV-LOGIN", "71");
    for (String[] login : new String[][] {{null, null}, {"EV-LOGIN", "wrong"}, {"EV-NOBODY", "x"}, {"hcp-gateway", "wrong"}}) {
      MqttClient c = new MqttClient("tcp://127.0.0.1:" + mqttPort(), "login-test", new MemoryPersistence());
      try {
        assertThatThrownBy(() -> c.connect(Evaluator.options(login[0], login[1]))).as(login[0] + "/" + login[1])
            .isInstanceOf(MqttException.class);
      } finally {
        c.close();
      }
    }
  }

  @Test
  void anMqtt311EvaluatorWorksToo() throws Exception {
    String pw = register("EV-V311", "81");
    completeCaseAt("C-V311", "81");
    org.eclipse.paho.client.mqttv3.MqttClient v3 = new org.eclipse.paho.client.mqttv3.MqttClient(
        "tcp://127.0.0.1:" + mqttPort(), "EV-V311", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    try {
      MqttConnectOptions o = new MqttConnectOptions();
      o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      o.setUserName("EV-V311");
      o.setPassword(pw.toCharArray());
      o.setCleanSession(true);
      o.setWill(EvaluatorTopics.status("EV-V311"), "offline".getBytes(StandardCharsets.UTF_8), 1, true);
      List<String> acks = new java.util.concurrent.CopyOnWriteArrayList<>();
      v3.connect(o);
      v3.subscribe(EvaluatorTopics.ack("EV-V311"), 1, (topic, m) -> acks.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
      v3.publish(EvaluatorTopics.status("EV-V311"), "online".getBytes(StandardCharsets.UTF_8), 1, true);
      v3.publish(EvaluatorTopics.rating("EV-V311"),
          "{\"msgId\":\"v3-1\",\"caseNo\":\"C-V311\",\"satisfaction\":3}".getBytes(StandardCharsets.UTF_8), 1, false);
      await().atMost(Duration.ofSeconds(20)).until(() -> !acks.isEmpty());
      assertThat(acks.get(0)).contains("\"msgId\":\"v3-1\"").contains("\"ratingId\"");
      await().atMost(Duration.ofSeconds(20)).until(() -> "ONLINE".equals(device("EV-V311").get("state").asText()));
    } finally {
      if (v3.isConnected()) {
        v3.disconnect();
      }
      v3.close();
    }
  }

  @Test
  void onlineAndOfflineShowInTheAdminApiHealthAndMetrics() throws Exception {
    String pw = register("EV-HEALTH", "91");
    assertThat(device("EV-HEALTH").get("state").asText()).isEqualTo("OFFLINE");
    Evaluator device = Evaluator.connect(mqttPort(), "EV-HEALTH", pw);
    await().atMost(Duration.ofSeconds(20)).until(() -> "ONLINE".equals(device("EV-HEALTH").get("state").asText()));
    assertThat(device("EV-HEALTH").get("lastSeenAt")).isNotNull();
    await().atMost(Duration.ofSeconds(20)).until(() -> metric("hcp_evaluators_online") >= 1);

    // The tablet loses power: the broker publishes its last will.
    device.vanish();
    await().atMost(Duration.ofSeconds(30)).until(() -> "OFFLINE".equals(device("EV-HEALTH").get("state").asText()));
    JsonNode health = api.get("/observe/health").json();
    assertThat(health.get("ready").asBoolean()).as("an offline evaluator must not make the gateway unready").isTrue();
    JsonNode check = null;
    for (JsonNode c : health.get("checks")) {
      if (c.get("id").asText().equals("evaluators")) {
        check = c;
      }
    }
    assertThat(check).isNotNull();
    assertThat(check.get("state").asText()).isEqualTo("UP");
    await().atMost(Duration.ofSeconds(20)).until(() -> offlineIds().contains("EV-HEALTH"));
    assertThat(metric("hcp_evaluators_offline")).isGreaterThanOrEqualTo(1);
    device.client.close();
  }

  @Test
  void adminApiNeedsTheTokenAndManagesDevices() {
    assertThat(admin("GET", "/api/v1/admin/devices", null, null).status()).isEqualTo(401);
    Api.Response wrong = admin("GET", "/api/v1/admin/devices", null, "not-the-token");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.contentType()).startsWith("application/problem+json");

    Api.Response created = admin("POST", "/api/v1/admin/devices", Map.of("hallCode", "LJ-ZWFW-02", "windowNo", "5", "name", "5号窗评价器"));
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("deviceId").asText();
    assertThat(id).matches("EV-[0-9A-Z]{8}");
    assertThat(created.json().get("credentials").get("password").asText()).hasSize(40);
    assertThat(created.json().get("credentials").get("username").asText()).isEqualTo(id);
    // The password is never shown again, nor stored in clear.
    assertThat(admin("GET", "/api/v1/admin/devices/" + id, null).text()).doesNotContain("password");
    assertThat(count("select count(*) from evaluator_devices where secret_hash = ?", created.json().get("credentials").get("password").asText())).isZero();

    // One enabled evaluator per window.
    Api.Response taken = admin("POST", "/api/v1/admin/devices", Map.of("hallCode", "LJ-ZWFW-02", "windowNo", "5"));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.json().get("code").asText()).isEqualTo("WINDOW_TAKEN");
    Api.Response invalid = admin("POST", "/api/v1/admin/devices", Map.of("deviceId", "a/b", "windowNo", "5"));
    assertThat(invalid.status()).isEqualTo(400);
    List<String> fields = new ArrayList<>();
    invalid.json().get("violations").forEach(v -> fields.add(v.get("field").asText()));
    assertThat(fields).contains("deviceId", "hallCode");

    Api.Response moved = admin("PATCH", "/api/v1/admin/devices/" + id, Map.of("windowNo", "6"));
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.json().get("windowNo").asText()).isEqualTo("6");
    assertThat(admin("POST", "/api/v1/admin/devices/" + id + "/disable", null).json().get("state").asText()).isEqualTo("DISABLED");
    assertThat(admin("POST", "/api/v1/admin/devices/" + id + "/enable", null).json().get("state").asText()).isEqualTo("OFFLINE");
    assertThat(admin("POST", "/api/v1/admin/devices/EV-NONE/disable", null).status()).isEqualTo(404);
    boolean listed = false;
    for (JsonNode d : admin("GET", "/api/v1/admin/devices", null).json().get("devices")) {
      listed |= d.get("deviceId").asText().equals(id);
    }
    assertThat(listed).isTrue();
  }

  @Test
  void aDisabledDeviceCannotLogInAndARenewedPasswordReplacesTheOldOne() throws Exception {
    String old = register("EV-OFF", "95");
    admin("POST", "/api/v1/admin/devices/EV-OFF/disable", null);
    MqttClient c = new MqttClient("tcp://127.0.0.1:" + mqttPort(), "EV-OFF", new MemoryPersistence());
    try {
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
          assertThatThrownBy(() -> c.connect(Evaluator.options("EV-OFF", old))).isInstanceOf(MqttException.class));
      admin("POST", "/api/v1/admin/devices/EV-OFF/enable", null);
      String renewed = admin("POST", "/api/v1/admin/devices/EV-OFF/password", null).json().get("credentials").get("password").asText();
      assertThatThrownBy(() -> c.connect(Evaluator.options("EV-OFF", old))).isInstanceOf(MqttException.class);
      c.connect(Evaluator.options("EV-OFF", renewed));
      assertThat(c.isConnected()).isTrue();
      c.disconnect();
    } finally {
      c.close();
    }
  }

  @Test
  void disablingADeviceStopsItsPublishingOnAConnectionAlreadyOpen() throws Exception {
    String pw = register("EV-CUT", "96");
    completeCaseAt("C-CUT-1", "96");
    try (Evaluator device = Evaluator.connect(mqttPort(), "EV-CUT", pw)) {
      byte[] rating = "{\"msgId\":\"cut-1\",\"caseNo\":\"C-CUT-1\",\"satisfaction\":5}".getBytes(StandardCharsets.UTF_8);
      assertThat(device.client.publishForReasonCode(EvaluatorTopics.rating("EV-CUT"), rating)).isZero();
      admin("POST", "/api/v1/admin/devices/EV-CUT/disable", null);
      await().atMost(Duration.ofSeconds(15)).until(() ->
          !device.client.isConnected() || device.client.publishForReasonCode(EvaluatorTopics.rating("EV-CUT"), rating) == 0x87);
    }
  }

  private JsonNode device(String id) {
    return admin("GET", "/api/v1/admin/devices/" + id, null).json();
  }

  private String offlineIds() {
    for (JsonNode c : api.get("/observe/health").json().get("checks")) {
      if (c.get("id").asText().equals("evaluators")) {
        return c.path("details").path("devices.offline.ids").asText("");
      }
    }
    return "";
  }

  private double metric(String name) {
    for (String line : api.get("/observe/metrics").text().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  private long count(String sql, String arg) {
    return Long.parseLong(row(sql, arg).values().iterator().next());
  }

  private Map<String, String> row(String sql, String arg) {
    try (Connection c = bean("database", Database.class).connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rs.next()) {
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            out.put(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getString(i));
          }
        }
        return out;
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  @SuppressWarnings("unused")
  private static MqttMessage text(String s) {
    return new MqttMessage(s.getBytes(StandardCharsets.UTF_8), 1, false, null);
  }
}
