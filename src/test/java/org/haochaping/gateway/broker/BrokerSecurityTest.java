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
  void aBrokerLoginNeedsAUserAndAPassword() {
    assertThatThrownBy(() -> new BrokerSecurity().requireCoreLogin("hcp-node", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BrokerSecurity().requireCoreLogin(" ", "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
