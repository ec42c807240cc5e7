package org.haochaping.gateway.channel.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.haochaping.gateway.broker.BrokerSecurity;
import org.junit.jupiter.api.Test;

/** Each device only on its own topics; the gateway on every evaluator topic; nobody anonymous over MQTT. */
class DeviceAccessTest {

  private final BrokerSecurity.Grant device = new DeviceAccess.DeviceGrant("EV-1");
  private final BrokerSecurity.Grant gateway = new DeviceAccess.GatewayGrant("hcp-gateway");

  @Test
  void aDevicePublishesOnlyItsOwnRatingAndStatus() {
    assertThat(device.permits(CheckType.SEND, "hcp.evaluators.EV-1.rating")).isTrue();
    assertThat(device.permits(CheckType.SEND, "hcp.evaluators.EV-1.status")).isTrue();
    assertThat(device.permits(CheckType.SEND, "hcp.evaluators.EV-1.prompt")).isFalse();
    assertThat(device.permits(CheckType.SEND, "hcp.evaluators.EV-1.ack")).isFalse();
    assertThat(device.permits(CheckType.SEND, "hcp.evaluators.EV-2.rating")).isFalse();
    assertThat(device.permits(CheckType.SEND, "hcp.evaluators.EV-10.rating")).isFalse();
    assertThat(device.permits(CheckType.SEND, "ratings")).isFalse();
  }

  @Test
  void aDeviceSubscribesOnlyUnderItsOwnTopics() {
    for (CheckType t : new CheckType[] {CheckType.CONSUME, CheckType.CREATE_DURABLE_QUEUE, CheckType.CREATE_NON_DURABLE_QUEUE}) {
      assertThat(device.permits(t, "hcp.evaluators.EV-1.prompt")).isTrue();
      assertThat(device.permits(t, "hcp.evaluators.EV-1.ack")).isTrue();
      assertThat(device.permits(t, "hcp.evaluators.EV-2.prompt")).isFalse();
      assertThat(device.permits(t, "hcp.evaluators.*.prompt")).isFalse();
      assertThat(device.permits(t, "hcp.evaluators.#")).isFalse();
      assertThat(device.permits(t, "#")).isFalse();
      assertThat(device.permits(t, "case-events")).isFalse();
    }
    assertThat(device.permits(CheckType.MANAGE, "hcp.evaluators.EV-1.prompt")).isFalse();
    assertThat(device.permits(CheckType.BROWSE, "hcp.evaluators.EV-1.prompt")).isFalse();
  }

  @Test
  void theGatewayUsesEveryEvaluatorTopicAndNothingElse() {
    assertThat(gateway.permits(CheckType.CONSUME, "hcp.evaluators.*.rating")).isTrue();
    assertThat(gateway.permits(CheckType.SEND, "hcp.evaluators.EV-7.prompt")).isTrue();
    assertThat(gateway.permits(CheckType.SEND, "ratings")).isFalse();
    assertThat(gateway.permits(CheckType.CONSUME, "case-events")).isFalse();
    assertThat(gateway.permits(CheckType.MANAGE, "hcp.evaluators.EV-7.prompt")).isFalse();
  }

  @Test
  void theGatewayLogsInWithItsOwnPasswordOnly() {
    DeviceAccess access = new DeviceAccess(null, "hcp-gateway", "s3cret", Clock.systemUTC());
    assertThat(access.login("hcp-gateway", "s3cret")).isPresent();
    assertThat(access.login("hcp-gateway", "s3cre")).isEmpty();
    // Not a device id (a wildcard, a dot, a slash): refused without asking the registry.
    assertThat(access.login("EV.1", "x")).isEmpty();
    assertThat(access.login("EV/1", "x")).isEmpty();
    assertThat(access.login("#", "x")).isEmpty();
  }

  @Test
  void anonymousMqttIsRefusedWhileTheGatewaysOwnCoreConnectionsAreTrusted() {
    BrokerSecurity security = new BrokerSecurity();
    security.install((user, password) -> "EV-1".equals(user) && "pw".equals(password) ? Optional.of(device) : Optional.empty());
    assertThat(security.authenticate(null, null, connection("MQTT"), null)).isNull();
    assertThat(security.authenticate("", "", connection("MQTT"), null)).isNull();
    assertThat(security.authenticate("EV-1", "wrong", connection("MQTT"), null)).isNull();

    Subject internal = security.authenticate(null, null, connection("CORE"), null);
    assertThat(internal).isNotNull();
    assertThat(security.authorize(internal, Set.of(), CheckType.SEND, "ratings")).isTrue();

    Subject ev1 = security.authenticate("EV-1", "pw", connection("MQTT"), null);
    assertThat(security.authorize(ev1, Set.of(), CheckType.SEND, "hcp.evaluators.EV-1.rating")).isTrue();
    assertThat(security.authorize(ev1, Set.of(), CheckType.CONSUME, "hcp.evaluators.EV-1.ack::EV-1.hcp.evaluators.EV-1.ack")).isTrue();
    assertThat(security.authorize(ev1, Set.of(), CheckType.SEND, "ratings")).isFalse();
    // A named user over core gets that user's grant, not the trust of the gateway's anonymous connections.
    Subject coreAsDevice = security.authenticate("EV-1", "pw", connection("CORE"), null);
    assertThat(security.authorize(coreAsDevice, Set.of(), CheckType.SEND, "ratings")).isFalse();
  }

  @Test
  void beforeAModuleInstallsItsRulesEveryMqttLoginIsRefused() {
    assertThat(new BrokerSecurity().authenticate("EV-1", "pw", connection("MQTT"), null)).isNull();
  }

  private static RemotingConnection connection(String protocol) {
    return (RemotingConnection) Proxy.newProxyInstance(RemotingConnection.class.getClassLoader(),
        new Class<?>[] {RemotingConnection.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getProtocolName" -> protocol;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          case "toString" -> protocol + " connection";
          default -> null;
        });
  }
}
