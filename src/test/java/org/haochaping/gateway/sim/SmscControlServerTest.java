package org.haochaping.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP control API, as a script or a benchmark in another process would use it. */
class SmscControlServerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final Queue<DeliverSm> inbox = new ConcurrentLinkedQueue<>();
  private SmscSimulator smsc;
  private SMPPSession client;

  @BeforeEach
  void start() throws IOException {
    smsc = SmscSimulator.start(SmscSimulator.Settings.defaults().withControlPort(0));
    client = new SMPPSession();
    client.setMessageReceiverListener(
        new MessageReceiverListener() {
          @Override
          public void onAcceptDeliverSm(DeliverSm deliverSm) {
            inbox.add(deliverSm);
          }

          @Override
          public void onAcceptAlertNotification(AlertNotification alertNotification) {}

          @Override
          public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) {
            return null;
          }
        });
    client.connectAndBind(
        "127.0.0.1", smsc.port(),
        new BindParameter(BindType.BIND_TRX, "hcpgw", "hcpsim01", "hcp", TypeOfNumber.UNKNOWN,
            NumberingPlanIndicator.UNKNOWN, null));
  }

  @AfterEach
  void stop() {
    client.close();
    smsc.stop();
  }

  @Test
  void controlPortIsKnownAfterStart() {
    assertThat(smsc.controlPort()).isPositive().isNotEqualTo(smsc.port());
  }

  @Test
  void postMoDeliversAReplyToTheGateway() throws Exception {
    HttpResponse<String> response =
        post("/sim/mo", "{\"from\":\"13800000000\",\"to\":\"1069000012301\",\"text\":\"非常满意\"}");

    assertThat(response.statusCode()).isEqualTo(202);
    await().atMost(WAIT).until(() -> !inbox.isEmpty());
    assertThat(new String(inbox.peek().getShortMessage(), StandardCharsets.UTF_16BE)).isEqualTo("非常满意");
    assertThat(inbox.peek().getDestAddress()).isEqualTo("1069000012301");
  }

  @Test
  void moWithoutTextIsABadRequest() throws Exception {
    HttpResponse<String> response = post("/sim/mo", "{\"from\":\"13800000000\",\"to\":\"10690000123\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("error").asText()).contains("text");
  }

  @Test
  void messagesAndStatsShowWhatWasSubmitted() throws Exception {
    client.submitShortMessage(
        "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, "10690000123",
        TypeOfNumber.UNKNOWN, NumberingPlanIndicator.ISDN, "13800000000", new ESMClass(0),
        (byte) 0, (byte) 0, null, null, new RegisteredDelivery(0), (byte) 0,
        new RawDataCoding((byte) 8), (byte) 0, "请评价".getBytes(StandardCharsets.UTF_16BE));

    JsonNode messages = JSON.readTree(get("/sim/messages?destination=13800000000").body());
    assertThat(messages.get("messages")).hasSize(1);
    assertThat(messages.get("messages").get(0).get("text").asText()).isEqualTo("请评价");
    assertThat(messages.get("parts").get(0).get("shortMessageHex").asText()).isEqualTo("8bf78bc44ef7");
    assertThat(messages.get("parts").get(0).get("receivedAt").asText()).isNotBlank();
    assertThat(JSON.readTree(get("/sim/messages?destination=139").body()).get("messages")).isEmpty();

    JsonNode stats = JSON.readTree(get("/sim/stats").body());
    assertThat(stats.get("submitsAccepted").asLong()).isEqualTo(1);
    assertThat(stats.get("boundSessions").asInt()).isEqualTo(1);
    assertThat(stats.get("maxSubmitsPerSecond").asInt()).isEqualTo(1);

    assertThat(post("/sim/reset", "").statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(get("/sim/messages").body()).get("messages")).isEmpty();
  }

  @Test
  void dropBindsClosesTheGatewaySession() throws Exception {
    JsonNode dropped = JSON.readTree(post("/sim/drop-binds", "").body());
    assertThat(dropped.get("dropped").asInt()).isEqualTo(1);
    await().atMost(WAIT).until(() -> client.getSessionState() == SessionState.CLOSED);
  }

  @Test
  void faultsAreSetAndShown() throws Exception {
    HttpResponse<String> response =
        post("/sim/faults", "{\"maxTps\":5,\"refuseBinds\":true,\"receiptOutcomes\":{\"13900000009\":\"UNDELIV\"}}");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode faults = JSON.readTree(get("/sim/faults").body());
    assertThat(faults.get("maxTps").asInt()).isEqualTo(5);
    assertThat(faults.get("refuseBinds").asBoolean()).isTrue();
    assertThat(faults.get("receiptOutcomes").get("13900000009").asText()).isEqualTo("UNDELIV");
  }

  @Test
  void unknownEndpointIsNotFound() throws Exception {
    assertThat(get("/sim/nothing").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + smsc.controlPort() + path);
  }
}
