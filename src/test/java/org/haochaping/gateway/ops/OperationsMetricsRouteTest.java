package org.haochaping.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gauges an on-call person graphs move with real traffic: work orders open (a bad rating opens
 * one), dead-letter depth per queue (a rating the province refuses adds an entry, a discard removes
 * it), broker queue depth (a stopped consumer lets its queue grow, a restarted one drains it), next to
 * the counters of ratings received and province outcomes.
 */
@Tag("db")
class OperationsMetricsRouteTest extends GatewayTestSupport {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void workOrdersOpenGrowWithABadRating() {
    double before = metric("hcp_workorders_open");
    assertThat(before).isZero();
    double received = metric("hcp_ratings_received_total{channel=\"PORTAL\"}");
    String forwarded = "hcp_province_ratings_total{channel=\"PORTAL\",outcome=\"FORWARDED\"}";
    double forwardedBefore = metric(forwarded);
    assertThat(api.post("/api/v1/cases", Fixtures.completedCase("MET-WO-1")).status()).isEqualTo(201);
    Map<String, Object> bad = Fixtures.rating("MET-WO-1", "DISSATISFIED");
    bad.put("comment", "材料退回三次，没有一次性告知");
    assertThat(api.post("/api/v1/ratings", bad).status()).isEqualTo(202);

    await("a work order opens").atMost(WAIT).until(() -> metric("hcp_workorders_open"), v -> v == before + 1);
    assertThat(metric("hcp_ratings_received_total{channel=\"PORTAL\"}")).isEqualTo(received + 1);
    assertThat(metric("hcp_workorders_overdue_open")).isZero();
    await("forwarded, counted per channel").atMost(WAIT).until(() -> metric(forwarded), v -> v == forwardedBefore + 1);
  }

  @Test
  void deadLetterDepthFollowsTheProvinceForwardQueue() {
    String gauge = "hcp_dlq_depth{queue=\"province.forward\"}";
    assertThat(api.unsigned().get("/observe/metrics").text()).contains(gauge + " 0.0");
    double rejected = metric("hcp_province_records_total{kind=\"evaluation\",outcome=\"REJECTED_BY_PROVINCE\"}");
    double byCode = metric("hcp_province_rejections_total{channel=\"PORTAL\",code=\"2001\"}");
    Map<String, Object> broken = Fixtures.completedCase("MET-DLQ-1");
    broken.remove("deptName"); // the province refuses it: 2001
    assertThat(api.post("/api/v1/cases", broken).status()).isEqualTo(201);
    Api.Response posted = api.post("/api/v1/ratings", Fixtures.rating("MET-DLQ-1", "SATISFIED"));
    String ratingId = posted.json().path("ratingId").asText();

    await("dead-lettered").atMost(WAIT).until(() -> metric(gauge), v -> v == 1);
    assertThat(metric("hcp_province_records_total{kind=\"evaluation\",outcome=\"REJECTED_BY_PROVINCE\"}")).isEqualTo(rejected + 1);
    assertThat(metric("hcp_province_rejections_total{channel=\"PORTAL\",code=\"2001\"}")).isEqualTo(byCode + 1);

    Api.Response discard = api.admin().post("/api/v1/admin/dlq/province.forward/discard",
        Json.text(Map.of("ratingIds", List.of(ratingId), "reason", "测试数据 / test data")));
    assertThat(discard.status()).as(discard.toString()).isEqualTo(200);
    assertThat(metric(gauge)).isZero();
  }

  @Test
  void brokerQueueDepthGrowsWhileItsConsumerIsStoppedAndDrainsAfter() throws Exception {
    String gauge = "hcp_broker_queue_depth{queue=\"ledger\"}";
    assertThat(api.unsigned().get("/observe/metrics").text()).contains(gauge + " 0.0").contains("hcp_broker_queue_depth{queue=\"province.forward\"}");
    assertThat(api.post("/api/v1/cases", Fixtures.completedCase("MET-Q-1")).status()).isEqualTo(201);
    double recorded = metric("hcp_ledger_recorded_total");
    context.getRouteController().stopRoute("ledger");
    try {
      Api.Response accepted = api.post("/api/v1/ratings", Fixtures.rating("MET-Q-1", "SATISFIED"));
      assertThat(accepted.status()).isEqualTo(202);
      await("the ledger queue holds it").atMost(WAIT).until(() -> metric(gauge), v -> v == 1);
      // meanwhile province forwarding stores the rating's row itself, before the ledger consumer
      await("forwarded").atMost(WAIT).until(() -> api.get("/api/v1/ratings/" + accepted.json().path("ratingId").asText())
          .json().path("status").asText(), "FORWARDED"::equals);
    } finally {
      context.getRouteController().startRoute("ledger");
    }
    await("drained").atMost(WAIT).until(() -> metric(gauge), v -> v == 0);
    // ... and the ledger still counts it: the metric follows the ratings committed, not its own inserts
    await("counted by the ledger").atMost(WAIT).until(() -> metric("hcp_ledger_recorded_total"), v -> v == recorded + 1);
  }

  /** The value of one series in /observe/metrics ({@code name} or {@code name{labels}} as Prometheus prints it). */
  private double metric(String series) {
    String text = api.unsigned().get("/observe/metrics").text();
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).strip());
      }
    }
    if (!series.contains("{")) {
      throw new AssertionError("no metric " + series + " in /observe/metrics");
    }
    // a labelled counter not yet incremented is not printed
    return 0;
  }
}
