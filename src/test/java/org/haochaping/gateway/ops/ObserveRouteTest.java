package org.haochaping.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("db")
class ObserveRouteTest extends GatewayTestSupport {

  @Test
  void healthShowsBrokerAndDatabaseWithDetails() {
    Api.Response r = api.get("/observe/health");
    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("ready").asBoolean()).isTrue();
    List<String> ids = new ArrayList<>();
    body.get("checks").forEach(c -> ids.add(c.get("id").asText()));
    assertThat(ids).contains("broker", "database", "route:ledger");
    JsonNode broker = find(body, "broker");
    assertThat(broker.get("state").asText()).isEqualTo("UP");
    assertThat(broker.get("details").has("queue.ledger.depth")).isTrue();
    assertThat(api.get("/observe/health/live").status()).isEqualTo(200);
    assertThat(api.get("/observe/health/ready").status()).isEqualTo(200);
  }

  @Test
  void metricsCountTrafficByChannel() {
    api.post("/api/v1/cases", Fixtures.completedCase("M-1"));
    api.post("/api/v1/ratings", Fixtures.rating("M-1", "SATISFIED"));
    api.post("/api/v1/ratings", Fixtures.rating("M-NONE", "SATISFIED"));
    Api.Response r = api.get("/observe/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    assertThat(r.text())
        .contains("hcp_ratings_received_total{channel=\"PORTAL\"}")
        .contains("hcp_ratings_accepted_total{channel=\"PORTAL\",replay=\"false\"} 1.0")
        .contains("hcp_ratings_rejected_total{channel=\"PORTAL\",reason=\"CASE_UNKNOWN\"} 1.0")
        .contains("hcp_ratings_intake_latency_seconds_bucket")
        .contains("jvm_memory_used_bytes");
  }

  private static JsonNode find(JsonNode health, String id) {
    for (JsonNode c : health.get("checks")) {
      if (c.get("id").asText().equals(id)) {
        return c;
      }
    }
    throw new AssertionError("no check " + id);
  }
}
