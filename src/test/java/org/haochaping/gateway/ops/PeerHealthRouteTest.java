package org.haochaping.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import org.haochaping.gateway.sim.ProvinceSimulator;
import org.haochaping.gateway.sim.SmscSimulator;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.MutableClock;
import org.haochaping.gateway.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each far peer's health check turns red when the peer is stopped — the real simulator, not a mock:
 * {@code province} and {@code smsc} become DEGRADED with a reason in their details while the gateway
 * stays ready (ratings are still accepted and wait in their queues) — and back to UP when the peer
 * returns. The database, which ratings cannot do without, turns readiness false: shown on PostgreSQL
 * only (connections to the test database are refused and cut), as H2 runs inside this JVM.
 */
@Tag("db")
class PeerHealthRouteTest extends GatewayTestSupport {

  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Stands still unless a test moves it: the age of the oldest unforwarded rating is read by it. */
  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private SmscSimulator restartedSmsc;

  @Override
  protected Clock gatewayClock() {
    return clock;
  }

  @Override
  protected Properties useOverridePropertiesWithPropertiesComponent() {
    Properties p = super.useOverridePropertiesWithPropertiesComponent();
    // The SMSC comes back within seconds here: the gateway must not wait its full production backoff.
    p.setProperty("hcp.smsc.reconnect.maxMillis", "1000");
    return p;
  }

  @AfterAll
  void stopRestartedSmsc() {
    if (restartedSmsc != null) {
      restartedSmsc.stop();
    }
  }

  @Test
  void provinceStoppedIsDegradedWithTheReasonAndTheGatewayStaysReadyUntilItReturns() {
    ProvinceSimulator province = bean("provinceSimulator", ProvinceSimulator.class);
    assertThat(healthCheck("province").path("state").asText()).isEqualTo("UP");

    province.stop();
    String ratingId;
    try {
      // Forwarding only finds out by trying: a rating arrives.
      api.post("/api/v1/cases", Fixtures.completedCase("PEER-PROV-1"));
      Api.Response posted = api.post("/api/v1/ratings", Fixtures.rating("PEER-PROV-1", "SATISFIED"));
      assertThat(posted.status()).as("ratings are accepted while the province is down").isEqualTo(202);
      ratingId = posted.json().path("ratingId").asText();

      JsonNode down = await("province DEGRADED").atMost(WAIT).until(() -> healthCheck("province"),
          c -> c.path("state").asText().equals("DEGRADED"));
      assertThat(down.path("details").path("reason").asText()).startsWith("breaker ").contains("Connect");
      assertThat(down.path("details").path("breaker").asText()).isIn("OPEN", "HALF_OPEN");
      assertThat(down.path("details").path("lastFailure").asText()).isNotBlank();
      assertThat(down.path("message").asText()).contains("省平台不可达");
      assertReady("province");
    } finally {
      province.restart();
    }

    JsonNode up = await("province UP again").atMost(WAIT).until(() -> healthCheck("province"),
        c -> c.path("state").asText().equals("UP"));
    assertThat(up.path("details").path("breaker").asText()).isEqualTo("CLOSED");
    assertThat(up.path("details").has("lastSuccessAt")).isTrue();
    await().atMost(WAIT).until(() -> api.get("/api/v1/ratings/" + ratingId).json().path("status").asText(), "FORWARDED"::equals);
    assertThat(api.unsigned().get("/observe/health").json().path("degraded").toString()).doesNotContain("province");
  }

  @Test
  void aRatingWaitingLongerThanTheWarningMakesTheProvinceDegradedUntilItIsForwarded() {
    assertThat(healthCheck("province").path("details").path("oldestUnforwardedSeconds").asLong()).isZero();
    // An operator suspends forwarding and forgets it: the province answers, the breaker stays closed.
    assertThat(api.admin().post("/api/v1/admin/routes/forward-province/suspend", "{}").status()).isEqualTo(200);
    String ratingId;
    try {
      api.post("/api/v1/cases", Fixtures.completedCase("PEER-BACKLOG-1"));
      ratingId = api.post("/api/v1/ratings", Fixtures.rating("PEER-BACKLOG-1", "SATISFIED")).json().path("ratingId").asText();
      await("stored, waiting").atMost(WAIT).until(() -> api.get("/api/v1/ratings/" + ratingId).json().path("status").asText(),
          "ACCEPTED"::equals);
      assertThat(healthCheck("province").path("state").asText()).as("young backlog: no warning yet").isEqualTo("UP");
      JsonNode route = healthCheck("route:forward-province");
      assertThat(route.path("state").asText()).as("suspended on purpose: shown, but the node stays ready").isEqualTo("DEGRADED");
      assertThat(route.path("details").path("reason").asText()).isEqualTo("suspended by an operator");
      assertThat(route.path("message").asText()).contains("/api/v1/admin/routes/forward-province/resume");

      clock.advance(Duration.ofMinutes(16));
      JsonNode late = healthCheck("province");
      assertThat(late.path("state").asText()).isEqualTo("DEGRADED");
      assertThat(late.path("details").path("breaker").asText()).isEqualTo("CLOSED");
      assertThat(late.path("details").path("oldestUnforwardedSeconds").asLong()).isEqualTo(16 * 60);
      assertThat(late.path("details").path("reason").asText()).isEqualTo("oldest unforwarded rating waited 16 min");
      assertThat(late.path("message").asText()).contains("最早一条未转发的评价已等待 16 分钟");
      assertThat(api.unsigned().get("/observe/metrics").text()).contains("hcp_province_oldest_unforwarded_seconds 960.0");
      assertReady("province");
    } finally {
      // Back to the real time: the province refuses ratings dated more than 5 minutes ahead of its clock.
      clock.advance(Duration.ofMinutes(-16));
      api.admin().post("/api/v1/admin/routes/forward-province/resume", "{}");
    }
    await("forwarded once resumed").atMost(WAIT).until(() -> api.get("/api/v1/ratings/" + ratingId).json().path("status").asText(),
        "FORWARDED"::equals);
    JsonNode drained = healthCheck("province");
    assertThat(drained.path("state").asText()).isEqualTo("UP");
    assertThat(drained.path("details").path("oldestUnforwardedSeconds").asLong()).isZero();
  }

  @Test
  void smscStoppedIsDegradedWithTheReasonAndTheGatewayStaysReadyUntilItReturns() throws Exception {
    SmscSimulator smsc = bean("smscSimulator", SmscSimulator.class);
    await("bound at start").atMost(WAIT).until(() -> healthCheck("smsc").path("state").asText(), "UP"::equals);
    int port = smsc.port();

    smsc.stop();
    JsonNode down = await("smsc DEGRADED").atMost(WAIT).until(() -> healthCheck("smsc"),
        c -> c.path("state").asText().equals("DEGRADED"));
    assertThat(down.path("details").path("bind").asText()).isNotEqualTo("BOUND");
    assertThat(down.path("details").path("reason").asText()).startsWith("SMPP ");
    assertThat(down.path("message").asText()).contains("not bound").contains("sms.outbox");
    assertReady("smsc");

    // The SMSC comes back on the same port with the same account.
    restartedSmsc = SmscSimulator.start(smsc.settings().withPort(port).withControlPort(-1));
    JsonNode up = await("smsc UP again").atMost(WAIT).until(() -> healthCheck("smsc"),
        c -> c.path("state").asText().equals("UP"));
    assertThat(up.path("details").path("bind").asText()).isEqualTo("BOUND");
    assertThat(up.path("details").has("reason")).isFalse();
    assertThat(Integer.parseInt(up.path("details").path("binds").asText())).isGreaterThanOrEqualTo(2);
  }

  @Test
  void databaseRefusingConnectionsMakesTheGatewayUnreadyUntilItAcceptsThemAgain() throws Exception {
    Assumptions.assumeTrue(TestDatabase.postgres(),
        "H2 runs inside this JVM and cannot be stopped under the gateway; this check runs on PostgreSQL (-Dhcp.test.db.url)");
    TestDatabase db = environment().database();
    try {
      db.refuseConnections();
      JsonNode down = await("database DOWN").atMost(WAIT).until(() -> healthCheck("database"),
          c -> c.path("state").asText().equals("DOWN"));
      assertThat(down.path("message").asText()).startsWith("database unreachable");
      assertThat(api.unsigned().get("/observe/health/ready").status()).as("no durable store: not ready").isEqualTo(503);
    } finally {
      db.acceptConnections();
    }
    await("database UP again").atMost(WAIT).until(() -> healthCheck("database").path("state").asText(), "UP"::equals);
    await().atMost(WAIT).until(() -> api.unsigned().get("/observe/health/ready").status() == 200);
  }

  private void assertReady(String peer) {
    Api.Response ready = api.unsigned().get("/observe/health/ready");
    assertThat(ready.status()).as("a far peer (" + peer + ") does not make the gateway unready: " + ready).isEqualTo(200);
    JsonNode health = api.unsigned().get("/observe/health").json();
    assertThat(health.path("ready").asBoolean()).isTrue();
    assertThat(health.path("degraded").toString()).contains(peer);
  }
}
