package org.haochaping.gateway.channel.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.haochaping.gateway.broker.EmbeddedBroker;
import org.haochaping.gateway.store.Database;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker stops and starts again (same JVM, same journal, same ports) while evaluators
 * keep publishing ratings at QoS 1. The gateway's MQTT clients reconnect and subscribe again by
 * themselves, its core connections to the broker too, and afterwards every rating is acked with a
 * ratingId and stored exactly once — in particular every rating first published after the restart.
 *
 * <p>Why in-JVM: the embedded broker is the default deployment, and restarting it in place also
 * breaks and restores the gateway's in-VM core connections (publisher, ledger, case events), the
 * harder case. The devices follow docs/evaluator-protocol.md: they resend a rating whose ack does
 * not come, with the same msgId. In external-broker mode ({@code -Dhcp.test.broker=external}) the
 * broker restarted is the test's own broker-only node, and the gateway's core connections are TCP.
 *
 * (Not tagged "db": a broker restart is the same on either database; it runs once to keep the suite
 * within its time. The evaluator store runs on PostgreSQL in EvaluatorMqttRouteTest.)
 */
class EvaluatorBrokerRestartTest extends EvaluatorTestSupport {

  private static final int DEVICES = 5;
  private static final int RATINGS_PER_DEVICE = 60;

  @Test
  void afterABrokerRestartEveryRatingIsAckedAndStoredOnce() throws Exception {
    Map<String, String> passwords = new ConcurrentHashMap<>();
    List<String> caseNos = new ArrayList<>();
    for (int d = 0; d < DEVICES; d++) {
      String id = "EV-RST-" + d;
      passwords.put(id, register(id, "R" + d));
      for (int i = 0; i < RATINGS_PER_DEVICE; i++) {
        String caseNo = "C-RST-" + d + "-" + i;
        completeCaseAt(caseNo, "R" + d);
        caseNos.add(caseNo);
      }
    }
    EmbeddedBroker broker = broker();
    GatewayMqttClient gatewayRatings = bean("evaluatorMqttRatings", GatewayMqttClient.class);
    await().atMost(Duration.ofSeconds(20)).until(gatewayRatings::ready);
    long connectsBefore = gatewayRatings.connects();

    AtomicInteger acked = new AtomicInteger();
    AtomicBoolean restarted = new AtomicBoolean();
    Set<String> publishedAfterRestart = ConcurrentHashMap.newKeySet();
    Map<String, JsonNode> finalAcks = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
    List<Future<?>> runs = new ArrayList<>();
    List<Device> devices = new ArrayList<>();
    for (int d = 0; d < DEVICES; d++) {
      Device device = new Device("EV-RST-" + d, passwords.get("EV-RST-" + d));
      devices.add(device);
      int n = d;
      runs.add(pool.submit(() -> {
        for (int i = 0; i < RATINGS_PER_DEVICE; i++) {
          String caseNo = "C-RST-" + n + "-" + i;
          if (restarted.get()) {
            publishedAfterRestart.add(caseNo);
          }
          finalAcks.put(caseNo, device.rateUntilAcked(caseNo, caseNo, 1 + (i % 5)));
          acked.incrementAndGet();
        }
        return null;
      }));
    }

    // A third of the way through, the broker goes away, then comes back.
    await().atMost(Duration.ofSeconds(60)).until(() -> acked.get() >= DEVICES * RATINGS_PER_DEVICE / 3);
    broker.stopServer();
    await().atMost(Duration.ofSeconds(20)).until(() -> devices.stream().noneMatch(x -> x.client.isConnected()));
    restarted.set(true);
    broker.startServer();

    for (Future<?> run : runs) {
      run.get(180, TimeUnit.SECONDS);
    }
    pool.shutdown();

    // Every rating got a ratingId, and the gateway reconnected by itself.
    assertThat(finalAcks).hasSize(DEVICES * RATINGS_PER_DEVICE);
    assertThat(finalAcks.values()).allSatisfy(a -> assertThat(a.has("ratingId")).as(a.toString()).isTrue());
    assertThat(publishedAfterRestart).hasSizeGreaterThan(DEVICES);
    assertThat(gatewayRatings.connects()).isGreaterThan(connectsBefore);
    await().atMost(Duration.ofSeconds(20)).until(gatewayRatings::ready);

    // Every rating is stored once, those published after the restart included.
    await().atMost(Duration.ofSeconds(60)).until(() -> storedCases().size() == caseNos.size());
    Set<String> stored = storedCases();
    assertThat(stored).containsAll(publishedAfterRestart).containsExactlyInAnyOrderElementsOf(caseNos);
    assertThat(count("select count(*) from ratings where case_no like 'C-RST-%'")).isEqualTo(caseNos.size());
    Set<String> ids = new HashSet<>();
    finalAcks.values().forEach(a -> ids.add(a.get("ratingId").asText()));
    assertThat(ids).hasSize(caseNos.size());
    assertThat(count("select count(*) from ratings where case_no like 'C-RST-%' and rating_id in ("
        + String.join(",", ids.stream().map(x -> "'" + x + "'").toList()) + ")")).isEqualTo(caseNos.size());

    for (Device d : devices) {
      d.close();
    }
  }

  private Set<String> storedCases() {
    Set<String> out = new HashSet<>();
    try (Connection c = bean("database", Database.class).connection();
        PreparedStatement ps = c.prepareStatement("select case_no from ratings where case_no like 'C-RST-%'");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
    return out;
  }


  /**
   * An evaluator that follows the protocol: automatic reconnect, subscribes again after every
   * connect, and resends a rating with the same msgId until it gets an answer.
   */
  private final class Device implements AutoCloseable, MqttCallback {
    final MqttClient client;
    final String deviceId;
    final BlockingQueue<JsonNode> acks = new LinkedBlockingQueue<>();
    final ExecutorService subscriber = Executors.newSingleThreadExecutor();

    Device(String deviceId, String password) throws MqttException {
      this.deviceId = deviceId;
      client = new MqttClient("tcp://127.0.0.1:" + mqttPort(), deviceId, new MemoryPersistence());
      client.setCallback(this);
      MqttConnectionOptions o = Evaluator.options(deviceId, password);
      o.setCleanStart(true);
      client.connect(o);
      subscribe();
    }

    private void subscribe() {
      try {
        client.subscribe(new String[] {EvaluatorTopics.ack(deviceId)}, new int[] {1});
      } catch (MqttException e) {
        // reconnecting; connectComplete subscribes again
      }
    }

    /** Publishes until an ack with a ratingId comes (or a final refusal); returns it. */
    JsonNode rateUntilAcked(String msgId, String caseNo, int satisfaction) throws InterruptedException {
      byte[] payload = Json.bytes(Map.of("msgId", msgId, "caseNo", caseNo, "satisfaction", satisfaction,
          "comment", "第" + msgId + "号"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
      while (System.nanoTime() < deadline) {
        try {
          client.publish(EvaluatorTopics.rating(deviceId), new MqttMessage(payload, 1, false, null));
        } catch (MqttException e) {
          // not connected: wait for the reconnect (an ack cannot come meanwhile)
          acks.poll(500, TimeUnit.MILLISECONDS);
          continue;
        }
        JsonNode ack;
        while ((ack = acks.poll(3, TimeUnit.SECONDS)) != null) {
          if (!ack.path("msgId").asText().equals(msgId)) {
            continue; // a late ack of an earlier message
          }
          if (ack.has("ratingId") || !ack.path("error").path("retry").asBoolean()) {
            return ack;
          }
          break; // the gateway could not store it just now: send again
        }
      }
      throw new AssertionError(deviceId + " got no ack for " + msgId);
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
      if (reconnect) {
        subscriber.execute(this::subscribe);
      }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
      acks.add(Json.MAPPER.readTree(message.getPayload()));
    }

    @Override
    public void disconnected(MqttDisconnectResponse r) {}

    @Override
    public void mqttErrorOccurred(MqttException e) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}

    @Override
    public void close() throws MqttException {
      subscriber.shutdownNow();
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close();
    }
  }

  @SuppressWarnings("unused")
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
