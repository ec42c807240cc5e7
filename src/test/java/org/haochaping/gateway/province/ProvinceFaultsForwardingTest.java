package org.haochaping.gateway.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.sim.FaultPlan;
import org.haochaping.gateway.sim.ProvinceLedger;
import org.haochaping.gateway.sim.ProvinceSimulator;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

/**
 * 10,000 ratings while the province fails 30 % of calls with 500/502/503, answers after 0-500 ms,
 * and is completely down (connections closed) for 15 s in the middle: afterwards the province
 * holds every rating exactly once, after its case, and the gateway reports every one FORWARDED.
 *
 * (Not tagged "db": it runs once, on the default database, to keep the suite within its time; the
 * same store code runs on PostgreSQL in ForwardToProvinceTest, ProvinceDeadLetterTest and ForwardingCrashIT.)
 */
class ProvinceFaultsForwardingTest extends GatewayTestSupport {

  private static final int RATINGS = 10_000;
  private static final int PER_REQUEST = 500;

  @Test
  void tenThousandRatingsThroughErrorsLatencyAndAnOutageArriveExactlyOnce() throws Exception {
    ProvinceSimulator province = bean("provinceSimulator", ProvinceSimulator.class);
    province.faults().set(FaultPlan.none().withErrorRate(0.3).withLatency(Duration.ZERO, Duration.ofMillis(500)));
    long started = System.nanoTime();

    // Departmental systems post ratings with their cases inline, 500 per request, 4 at a time.
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<List<String>>> posted = new ArrayList<>();
    for (int from = 0; from < RATINGS; from += PER_REQUEST) {
      int first = from;
      posted.add(clients.submit(() -> postBatch(first)));
    }

    // In the middle of it the province goes down completely for 15 s.
    await().atMost(Duration.ofMinutes(5)).until(() -> province.ledger().evaluations().size() >= RATINGS / 2);
    int atOutage = province.ledger().evaluations().size();
    province.faults().outageFor(Duration.ofSeconds(15), FaultPlan.OutageMode.CLOSE_CONNECTION);

    Set<String> ratingIds = new HashSet<>();
    for (Future<List<String>> f : posted) {
      ratingIds.addAll(f.get());
    }
    clients.shutdown();
    assertThat(ratingIds).hasSize(RATINGS);
    double postedAfter = (System.nanoTime() - started) / 1e9;

    await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(1))
        .until(() -> province.ledger().evaluations().size() >= RATINGS && forwarded() >= RATINGS);
    double seconds = (System.nanoTime() - started) / 1e9;

    // Exactly once at the province: one evaluation per case (each case has one rating), none twice.
    List<ProvinceLedger.Receipt> evaluations = province.ledger().evaluations();
    assertThat(evaluations).hasSize(RATINGS);
    Set<String> projects = new HashSet<>();
    evaluations.forEach(e -> projects.add(e.record().path("projectNo").asText()));
    assertThat(projects).hasSize(RATINGS);
    // ... and each after its case.
    Map<String, Long> caseSeq = new java.util.HashMap<>();
    province.ledger().cases().forEach(c -> caseSeq.putIfAbsent(c.record().path("projectNo").asText(), c.seq()));
    evaluations.forEach(e -> assertThat(caseSeq.get(e.record().path("projectNo").asText())).isLessThan(e.seq()));

    // The gateway says FORWARDED for every one: in the table, and through the API for a sample.
    assertThat(forwarded()).isEqualTo(RATINGS);
    ratingIds.stream().limit(200).forEach(id ->
        assertThat(api.get("/api/v1/ratings/" + id).json().path("status").asText()).as(id).isEqualTo("FORWARDED"));

    ProvinceLedger.Stats stats = province.ledger().stats();
    // While down, the breaker kept the gateway from hammering: a handful of probes, not a stream.
    assertThat(stats.faultsInjected().getOrDefault("outage", 0L)).as("calls during the 15 s outage").isLessThan(40);
    assertThat(stats.faultsInjected().keySet()).contains("error500", "error502", "error503", "outage");
    System.out.printf("ProvinceFaultsForwardingTest: %d ratings posted in %.1f s, all at the province after %.1f s (outage at %d);"
        + " stats %s%n", RATINGS, postedAfter, seconds, atOutage, Json.text(stats));
    province.faults().clear();
  }

  private List<String> postBatch(int first) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = first; i < first + PER_REQUEST; i++) {
      String caseNo = String.format("FAULT-%05d", i);
      Map<String, Object> rating = Fixtures.rating(caseNo, i % 7 == 0 ? "BASIC" : "VERY_SATISFIED");
      rating.put("channel", i % 2 == 0 ? "EVALUATOR" : "APP");
      rating.put("case", Fixtures.completedCase(caseNo));
      items.add(rating);
    }
    Api.Response r = api.post("/api/v1/ratings/batch", items);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode reply = r.json();
    assertThat(reply.path("accepted").asInt()).as(r.text()).isEqualTo(PER_REQUEST);
    List<String> ids = new ArrayList<>();
    reply.path("results").forEach(n -> ids.add(n.path("ratingId").asText()));
    return ids;
  }

  private long forwarded() {
    return count("select count(*) from ratings where status = 'FORWARDED' and case_no like 'FAULT-%'");
  }
}
