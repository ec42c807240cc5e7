package org.haochaping.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.haochaping.gateway.sim.NationalRecords.caseRecord;
import static org.haochaping.gateway.sim.NationalRecords.evaluation;
import static org.haochaping.gateway.sim.NationalRecords.payload;
import static org.haochaping.gateway.sim.SimulatorClient.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.haochaping.gateway.province.envelope.HmacJsonEnvelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The misbehaviour tests of the gateway will need: errors, slowness, outages, garbage, lost answers. */
class ProvinceSimulatorFaultsTest {

  private static final Clock CLOCK = Clock.systemUTC();
  private static final AtomicInteger CASE_NUMBERS = new AtomicInteger();

  private ProvinceSimulator simulator;
  private SimulatorClient gateway;

  @BeforeEach
  void start() {
    simulator =
        ProvinceSimulator.start(ProvinceSimulator.Settings.hmacJson("guangdong", "hcp-gateway", "test-secret").withRandomSeed(20260302L));
    gateway = new SimulatorClient(simulator.baseUrl(), new HmacJsonEnvelope("hcp-gateway", "test-secret"));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private static byte[] newCase() {
    return payload(caseRecord("44088120260303" + String.format("%06d", CASE_NUMBERS.incrementAndGet()), CLOCK));
  }

  @Test
  void errorRateIsRoughlyHonoured() throws Exception {
    simulator.faults().set(FaultPlan.none().withErrorRate(0.3));
    int requests = 400;
    int errors = 0;
    for (int i = 0; i < requests; i++) {
      int status = gateway.send("/api/cases", newCase()).statusCode();
      assertThat(status).isIn(200, 500, 502, 503);
      if (status != 200) {
        errors++;
      }
    }
    assertThat(errors / (double) requests).isBetween(0.22, 0.38);
    // an error answer means the records were not taken
    assertThat(simulator.ledger().cases()).hasSize(requests - errors);
    JsonNode stats = json(gateway.get("/sim/stats"));
    long counted = 0;
    for (String kind : List.of("error500", "error502", "error503")) {
      counted += stats.path("faultsInjected").path(kind).asLong();
    }
    assertThat(counted).isEqualTo(errors);
  }

  @Test
  void outageAnswers503AndThenRecovers() throws Exception {
    simulator.faults().outageFor(Duration.ofSeconds(1));
    HttpResponse<String> during = gateway.send("/api/cases", newCase());
    assertThat(during.statusCode()).isEqualTo(503);
    assertThat(json(during).get("code").asText()).isEqualTo("9503");

    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> gateway.send("/api/cases", newCase()).statusCode() == 200);
    assertThat(simulator.faults().inOutage()).isFalse();
    assertThat(simulator.ledger().cases()).hasSize(1);
  }

  @Test
  void outageOverHttpCanCloseConnections() throws Exception {
    HttpResponse<String> set = gateway.control("POST", "/sim/faults", "{\"outageSeconds\":30,\"outageMode\":\"close\"}");
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(json(set).get("outageRemainingMs").asLong()).isBetween(29_000L, 30_000L);

    assertThatThrownBy(() -> gateway.send("/api/cases", newCase())).isInstanceOf(IOException.class);

    assertThat(gateway.control("DELETE", "/sim/faults", null).statusCode()).isEqualTo(200);
    assertThat(gateway.send("/api/cases", newCase()).statusCode()).isEqualTo(200);
  }

  @Test
  void latencyDelaysAnswersWithoutHoldingThreads() throws Exception {
    gateway.control("POST", "/sim/faults", "{\"latencyMinMs\":300,\"latencyMaxMs\":400}");
    long started = System.nanoTime();
    assertThat(gateway.send("/api/cases", newCase()).statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

    // 64 slow requests at once: the wait is on a timer, so they finish together, not one after another
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      started = System.nanoTime();
      List<CompletableFuture<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        byte[] body = newCase();
        answers.add(CompletableFuture.supplyAsync(() -> {
          try {
            return gateway.send("/api/cases", body).statusCode();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, pool));
      }
      for (CompletableFuture<Integer> answer : answers) {
        assertThat(answer.get()).isEqualTo(200);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void malformedAnswerIsHtmlWith200AndTakesNothing() throws Exception {
    simulator.faults().set(FaultPlan.none().withMalformedRate(1.0));
    HttpResponse<String> answer = gateway.send("/api/cases", newCase());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).startsWith("<html>");
    assertThatThrownBy(() -> json(answer)).isInstanceOf(IOException.class);
    assertThat(simulator.ledger().cases()).isEmpty();
  }

  @Test
  void lostAnswerTakesTheRecordsSoAResendIsADuplicate() throws Exception {
    String projectNo = "44088120260303999999";
    gateway.send("/api/cases", payload(caseRecord(projectNo, CLOCK)));
    simulator.faults().set(FaultPlan.none().withLostAnswerRate(1.0));
    byte[] rating = payload(evaluation("guangdong", projectNo, "5", CLOCK));
    assertThat(gateway.send("/api/evaluations", rating).statusCode()).isEqualTo(504);

    simulator.faults().clear();
    JsonNode resent = json(gateway.send("/api/evaluations", rating));
    assertThat(resent.at("/results/0/code").asText()).isEqualTo("3002");
    assertThat(simulator.ledger().evaluations()).hasSize(1);
    assertThat(simulator.ledger().stats().identicalResends()).isEqualTo(1);
  }

  @Test
  void badFaultPlanIs400() throws Exception {
    assertThat(gateway.control("POST", "/sim/faults", "{not json").statusCode()).isEqualTo(400);
    HttpResponse<String> answer = gateway.control("POST", "/sim/faults", "{\"errorRate\":1.5}");
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(json(answer).get("message").asText()).contains("errorRate");
  }

  @Test
  void controlEndpointsAreNeverFaulted() throws Exception {
    simulator.faults().set(FaultPlan.none().withErrorRate(1.0));
    assertThat(gateway.get("/sim/stats").statusCode()).isEqualTo(200);
    assertThat(gateway.control("POST", "/sim/reset", null).statusCode()).isEqualTo(200);
    assertThat(simulator.faults().current()).isEqualTo(FaultPlan.none()); // reset clears faults too
  }

  @Test
  void stoppedSimulatorRefusesConnectionsAndRestartsWithItsRecords() throws Exception {
    assertThat(gateway.send("/api/cases", newCase()).statusCode()).isEqualTo(200);
    int port = simulator.port();

    simulator.stop();
    assertThat(simulator.isRunning()).isFalse();
    assertThatThrownBy(() -> gateway.send("/api/cases", newCase())).isInstanceOf(IOException.class);

    simulator.restart();
    assertThat(simulator.port()).isEqualTo(port);
    assertThat(gateway.send("/api/cases", newCase()).statusCode()).isEqualTo(200);
    assertThat(simulator.ledger().cases()).hasSize(2);
  }
}
