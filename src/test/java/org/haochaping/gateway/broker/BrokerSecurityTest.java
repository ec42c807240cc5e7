package org.haochaping.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Who may log in to the broker over core: the embedded default, and broker-only mode. */
class BrokerSecurityTest {

  @Test
  void embeddedBrokerTrustsTheGatewaysAnonymousCoreConnections() {
    BrokerSecurity security = new BrokerSecurity();
    assertThat(security.authenticate(null, null, null, null)).isNotNull();
  }

  @Test
  void brokerOnlyModeRefusesAnonymousCoreConnections() {
    BrokerSecurity security = new BrokerSecurity();
    security.requireCoreLogin("hcp-node", "s3cret-s3cret-s3cret");
    assertThat(security.authenticate(null, null, null, null)).isNull();
    assertThat(security.authenticate("", "", null, null)).isNull();
  }

  @Test
  void brokerOnlyModeAcceptsOnlyTheBrokerUserWithItsPassword() {
    BrokerSecurity security = new BrokerSecurity();
    security.requireCoreLogin("hcp-node", "s3cret-s3cret-s3cret");
    assertThat(security.authenticate("hcp-node", "wrong", null, null)).isNull();
    assertThat(security.authenticate("someone", "s3cret-s3cret-s3cret", null, null)).isNull();
    var subject = security.authenticate("hcp-node", "s3cret-s3cret-s3cret", null, null);
    assertThat(subject).isNotNull();
    assertThat(security.authorize(subject, java.util.Set.of(),
        org.apache.activemq.artemis.core.security.CheckType.SEND, "ratings")).isTrue();
  }

  @Test
  void brokerOnlyModeLeavesOtherNamedLoginsToTheInstalledAccessRules() {
    BrokerSecurity security = new BrokerSecurity();
    security.requireCoreLogin("hcp-node", "s3cret-s3cret-s3cret");
    assertThat(security.authenticate("hcp-gateway", "mqtt-pw", null, null)).as("no rules installed yet").isNull();
    security.install((user, password) -> "hcp-gateway".equals(user) && "mqtt-pw".equals(password)
        ? java.util.Optional.of(new BrokerSecurity.Grant() {
          @Override
          public String name() {
            return user;
          }

          @Override
          public boolean permits(org.apache.activemq.artemis.core.security.CheckType check, String address) {
            return address.startsWith("hcp.evaluators.");
          }
        })
        : java.util.Optional.empty());
    var subject = security.authenticate("hcp-gateway", "mqtt-pw", null, null);
    assertThat(subject).isNotNull();
    assertThat(security.authorize(subject, java.util.Set.of(),
        org.apache.activemq.artemis.core.security.CheckType.SEND, "hcp.evaluators.EV-1.ack")).isTrue();
    assertThat(security.authorize(subject, java.util.Set.of(),
        org.apache.activemq.artemis.core.security.CheckType.SEND, "ratings")).isFalse();
  }

  @Test
  void aBrokerLoginNeedsAUserAndAPassword() {
    assertThatThrownBy(() -> new BrokerSecurity().requireCoreLogin("hcp-node", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BrokerSecurity().requireCoreLogin(" ", "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
