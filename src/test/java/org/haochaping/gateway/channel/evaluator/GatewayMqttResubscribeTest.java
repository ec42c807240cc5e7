package org.haochaping.gateway.channel.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Consumer;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.broker.BrokerSecurity;
import org.haochaping.gateway.broker.EmbeddedBroker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The camel-paho-mqtt5 4.14 resubscription problem (CAMEL-24511), shown and worked around: after a
 * reconnect the broker refuses the subscription for a while (here: its access rules say no, as a
 * broker does whose ACL is not loaded yet). Camel's own consumer does not notice the refusal and
 * stays Started without a subscription; the gateway's {@link GatewayMqttClient} notices, shows it
 * in health, retries, and ratings flow again once the broker grants it. In external-broker mode the
 * refusing broker is the test's own broker-only node (its access rules are swapped the same way).
 */
@Tag("db")
class GatewayMqttResubscribeTest extends EvaluatorTestSupport {

  @Test
  void aRefusedResubscriptionIsRetriedUntilGrantedWhileCamelsOwnConsumerStaysDeaf() throws Exception {
    EmbeddedBroker broker = broker();
    GatewayMqttClient ratings = bean("evaluatorMqttRatings", GatewayMqttClient.class);
    await().atMost(Duration.ofSeconds(20)).until(ratings::ready);
    String password = gatewayMqttPassword();

    // Camel's consumer as camel-paho-mqtt5 builds it (its own client, automatic reconnect).
    context.addRoutes(new RouteBuilder() {
      @Override
      public void configure() {
        from("paho-mqtt5:hcp/evaluators/+/probe?brokerUrl=tcp://127.0.0.1:" + mqttPort()
            + "&clientId=stock-consumer&userName=hcp-gateway&password=RAW(" + password + ")&qos=1&maxReconnectDelay=1000")
            .routeId("stock-probe").to("log:probe");
      }
    });
    PahoMqtt5Consumer stock = (PahoMqtt5Consumer) context.getRoute("stock-probe").getConsumer();
    assertThat(subscriptionQueue(broker, "stock-consumer.hcp.evaluators.*.probe")).isTrue();

    // The broker comes back refusing the gateway's subscriptions for a while.
    AtomicBoolean refuse = new AtomicBoolean(true);
    DeviceAccess rules = new DeviceAccess(bean("evaluatorDevices", DeviceRegistry.class), "hcp-gateway", password, Clock.systemUTC());
    broker.security().install((user, pw) -> rules.login(user, pw)
        .map(g -> user.equals("hcp-gateway") ? new RefusingSubscriptions(g, refuse) : g));
    try {
      broker.stopServer();
      broker.startServer();
      await().atMost(Duration.ofSeconds(30)).until(() -> stock.getClient().isConnected() && !ratings.ready());
      await().atMost(Duration.ofSeconds(30)).until(() -> healthDetail("mqtt.ratings").startsWith("REFUSED")
          || healthDetail("mqtt.ratings").startsWith("CONNECTING"));

      refuse.set(false);
      await().atMost(Duration.ofSeconds(60)).until(ratings::ready);
      assertThat(healthDetail("mqtt.ratings")).isEqualTo("SUBSCRIBED");

      // Ratings flow again through the gateway's subscription...
      String pw = register("EV-RESUB", "RS1");
      completeCaseAt("C-RESUB-1", "RS1");
      try (Evaluator device = Evaluator.connect(mqttPort(), "EV-RESUB", pw)) {
        device.rate("after", "C-RESUB-1", 5, null, null);
        assertThat(device.awaitAck("after").has("ratingId")).isTrue();
      }
      // ...while Camel's own consumer reports Started and connected, with no subscription on the broker:
      // it will not receive anything again until someone restarts the route.
      assertThat(context.getRouteController().getRouteStatus("stock-probe")).isEqualTo(ServiceStatus.Started);
      assertThat(stock.getClient().isConnected()).isTrue();
      assertThat(subscriptionQueue(broker, "stock-consumer.hcp.evaluators.*.probe")).isFalse();
    } finally {
      broker.security().install(rules);
      context.getRouteController().stopRoute("stock-probe");
    }
  }

  private String healthDetail(String key) {
    for (var c : api.get("/observe/health").json().get("checks")) {
      if (c.get("id").asText().equals("evaluators")) {
        return c.path("details").path(key).asText("");
      }
    }
    return "";
  }

  /** Whether the broker holds the subscription queue {@code name} (MQTT: clientId.address). */
  private boolean subscriptionQueue(EmbeddedBroker broker, String name) throws Exception {
    // As the gateway logs in (an external broker refuses anonymous sessions).
    var topology = bean("gatewayCore", GatewayCore.class).topology();
    try (var factory = topology.locator().createSessionFactory(); var session = topology.session(factory)) {
      return session.queueQuery(SimpleString.of(name)).isExists();
    }
  }

  /** The gateway's grant, except that it may not subscribe while {@code refuse} holds. */
  private record RefusingSubscriptions(BrokerSecurity.Grant grant, AtomicBoolean refuse) implements BrokerSecurity.Grant {
    @Override
    public String name() {
      return grant.name();
    }

    @Override
    public boolean permits(CheckType check, String address) {
      boolean subscribing = check == CheckType.CONSUME || check == CheckType.CREATE_DURABLE_QUEUE || check == CheckType.CREATE_NON_DURABLE_QUEUE;
      return !(subscribing && refuse.get()) && grant.permits(check, address);
    }
  }
}
