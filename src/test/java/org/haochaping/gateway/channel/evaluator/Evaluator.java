package org.haochaping.gateway.channel.evaluator;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.haochaping.gateway.Json;

/**
 * A window evaluator as a vendor would build it, for tests: a real Eclipse Paho MQTT 5 client that
 * logs in with its id and password, announces itself (retained {@code online}, last will
 * {@code offline}), listens to its prompt and ack topics and publishes ratings at QoS 1.
 */
final class Evaluator implements AutoCloseable {

  final String deviceId;
  final DeviceClient client;
  final BlockingQueue<JsonNode> prompts = new LinkedBlockingQueue<>();
  final List<JsonNode> acks = new CopyOnWriteArrayList<>();
  final Map<String, JsonNode> acksByMsgId = new ConcurrentHashMap<>();

  /** Paho's blocking client, which does not raise MQTT 5 reason codes of a PUBACK: this one hands them out. */
  static final class DeviceClient extends MqttClient {
    DeviceClient(String uri, String clientId) throws MqttException {
      super(uri, clientId, new MemoryPersistence());
    }

    /** Publishes at QoS 1 and returns the broker's PUBACK reason code (0 = success, 0x87 = not authorized). */
    int publishForReasonCode(String topic, byte[] payload) throws MqttException {
      IMqttToken t = aClient.publish(topic, new MqttMessage(payload, 1, false, null));
      t.waitForCompletion(10_000);
      int[] codes = t.getReasonCodes();
      return codes == null || codes.length == 0 ? 0 : codes[0];
    }
  }

  private Evaluator(String deviceId, DeviceClient client) {
    this.deviceId = deviceId;
    this.client = client;
  }

  static MqttConnectionOptions options(String user, String password) {
    MqttConnectionOptions o = new MqttConnectionOptions();
    if (user != null) {
      o.setUserName(user);
    }
    if (password != null) {
      o.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    o.setConnectionTimeout(10);
    o.setAutomaticReconnect(true);
    o.setAutomaticReconnectDelay(1, 2);
    o.setMaxReconnectDelay(2000);
    o.setCleanStart(false);
    o.setSessionExpiryInterval(3600L);
    return o;
  }

  /** Connects as {@code deviceId} and subscribes to its prompt and ack topics. */
  static Evaluator connect(int port, String deviceId, String password) throws MqttException {
    DeviceClient c = new DeviceClient("tcp://127.0.0.1:" + port, deviceId);
    Evaluator e = new Evaluator(deviceId, c);
    MqttConnectionOptions o = options(deviceId, password);
    o.setWill(EvaluatorTopics.status(deviceId), new MqttMessage("offline".getBytes(StandardCharsets.UTF_8), 1, true, null));
    // With a session that outlives the connection, Artemis publishes the will only after a will delay
    // (docs/evaluator-protocol.md): 1 second.
    MqttProperties will = new MqttProperties();
    will.setWillDelayInterval(1L);
    o.setWillMessageProperties(will);
    c.setCallback(e.new Inbox());
    c.connect(o);
    e.subscribe();
    c.publish(EvaluatorTopics.status(deviceId), new MqttMessage("online".getBytes(StandardCharsets.UTF_8), 1, true, null));
    return e;
  }

  private void subscribe() throws MqttException {
    IMqttToken t = client.subscribe(new String[] {EvaluatorTopics.prompt(deviceId), EvaluatorTopics.ack(deviceId)}, new int[] {1, 1});
    for (int code : t.getReasonCodes()) {
      if (code >= 0x80) {
        throw new MqttException(code);
      }
    }
  }

  /** Publishes a rating at QoS 1 (returns when the broker has it). */
  void rate(String msgId, String caseNo, int satisfaction, List<String> tags, String comment) throws MqttException {
    Map<String, Object> r = new java.util.LinkedHashMap<>();
    r.put("msgId", msgId);
    r.put("caseNo", caseNo);
    r.put("satisfaction", satisfaction);
    if (tags != null) {
      r.put("tags", tags);
    }
    if (comment != null) {
      r.put("comment", comment);
    }
    publish(EvaluatorTopics.rating(deviceId), Json.bytes(r));
  }

  void publish(String topic, byte[] payload) throws MqttException {
    client.publish(topic, new MqttMessage(payload, 1, false, null));
  }

  JsonNode awaitAck(String msgId) {
    await().atMost(Duration.ofSeconds(30)).until(() -> acksByMsgId.containsKey(msgId));
    return acksByMsgId.get(msgId);
  }

  JsonNode awaitPrompt() throws InterruptedException {
    JsonNode p = prompts.poll(30, java.util.concurrent.TimeUnit.SECONDS);
    if (p == null) {
      throw new AssertionError("evaluator " + deviceId + " got no prompt");
    }
    return p;
  }

  /** Drops the network connection without DISCONNECT: the broker publishes the last will. */
  void vanish() throws MqttException {
    client.disconnectForcibly(0, 1000, false);
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect();
    }
    client.close();
  }

  private final class Inbox implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
      JsonNode node = Json.MAPPER.readTree(message.getPayload());
      if (topic.endsWith("/prompt")) {
        prompts.add(node);
      } else if (topic.endsWith("/ack")) {
        acks.add(node);
        acksByMsgId.put(node.path("msgId").asText(), node);
      }
    }

    @Override
    public void disconnected(MqttDisconnectResponse r) {}

    @Override
    public void mqttErrorOccurred(MqttException e) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
