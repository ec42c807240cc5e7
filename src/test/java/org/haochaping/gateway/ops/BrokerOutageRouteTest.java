package org.haochaping.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.haochaping.gateway.broker.EmbeddedBroker;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The broker stopped under a running gateway (the embedded Artemis stopped in place, journal kept;
 * in external-broker mode the test's own broker-only node, reached over TCP):
 * the broker check turns DOWN with the reason and readiness 503 within seconds — the load balancer
 * takes the node out, since no rating can be acknowledged durably — and a rating sent meanwhile is
 * refused (5xx with a reason, never a 202 for something not stored). When the broker is back,
 * readiness returns and ratings flow through to the province again.
 */
class BrokerOutageRouteTest extends GatewayTestSupport {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void brokerStoppedMakesTheGatewayUnreadyWithTheReasonAndBackWhenItReturns() throws Exception {
    EmbeddedBroker broker = broker();
    assertThat(api.post("/api/v1/cases", Fixtures.completedCase("OUTAGE-1")).status()).isEqualTo(201);
    assertThat(healthCheck("broker").path("state").asText()).isEqualTo("UP");

    broker.stopServer();
    try {
      await("readiness 503").atMost(WAIT).until(() -> api.unsigned().get("/observe/health/ready").status() == 503);
      JsonNode down = healthCheck("broker");
      assertThat(down.path("state").asText()).isEqualTo("DOWN");
      assertThat(down.path("message").asText()).startsWith("broker unreachable");
      // Asked again at once, it answers again at once: the check does not wait for the broker.
      assertThat(api.unsigned().get("/observe/health/ready").status()).isEqualTo(503);

      Api.Response refused = api.post("/api/v1/ratings", Fixtures.rating("OUTAGE-1", "SATISFIED"));
      assertThat(refused.status()).as("not stored, so never a 202: " + refused.text()).isBetween(500, 599);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.headers().firstValue("Retry-After").orElse(null)).as("the client is told when to try again").isEqualTo("5");
    } finally {
      broker.startServer();
    }

    await("ready again").atMost(WAIT).until(() -> api.unsigned().get("/observe/health/ready").status() == 200);
    assertThat(healthCheck("broker").path("state").asText()).isEqualTo("UP");
    // The client resends what was refused; it goes all the way now.
    Api.Response accepted = await("accepted again").atMost(WAIT)
        .until(() -> api.post("/api/v1/ratings", Fixtures.rating("OUTAGE-1", "SATISFIED")), r -> r.status() == 202);
    String ratingId = accepted.json().path("ratingId").asText();
    await("forwarded").atMost(WAIT).until(() -> api.get("/api/v1/ratings/" + ratingId).json().path("status").asText(),
        "FORWARDED"::equals);
  }
}
