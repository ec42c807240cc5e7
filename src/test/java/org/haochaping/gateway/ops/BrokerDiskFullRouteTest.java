package org.haochaping.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Properties;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * An embedded broker that wants more free disk than there is blocks its senders; the operator must
 * see that on readiness, with the reason and the setting that governs it, instead of requests that
 * hang without a word.
 */
class BrokerDiskFullRouteTest extends GatewayTestSupport {

  @Override
  protected Properties useOverridePropertiesWithPropertiesComponent() {
    Properties p = super.useOverridePropertiesWithPropertiesComponent();
    // More than any disk of this machine has free: 2,000 TiB.
    p.setProperty("hcp.broker.minDiskFreeMb", String.valueOf(2_000 * 1024 * 1024));
    return p;
  }

  @Test
  void readinessTurnsFalseAndSaysWhy() {
    // The gateway reads the free disk of the broker it embeds; an external broker's disk is that
    // broker's to report (its own logs and metrics), so there is nothing for this gateway to say.
    Assumptions.assumeFalse(externalBroker(), "external-broker mode: the gateway reports the disk of an embedded broker "
        + "only (hcp.broker.minDiskFreeMb, BrokerHealthCheck); an external broker's disk is watched on that broker");
    // Artemis scans the disk on its own period (5 s by default).
    await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/observe/health/ready").status() == 503);
    JsonNode broker = null;
    for (JsonNode c : api.get("/observe/health").json().get("checks")) {
      if (c.get("id").asText().equals("broker")) {
        broker = c;
      }
    }
    assertThat(broker).isNotNull();
    assertThat(broker.get("state").asText()).isEqualTo("DOWN");
    assertThat(broker.toString()).contains("broker disk full").contains("HCP_BROKER_MIN_DISK_FREE_MB");
  }
}
