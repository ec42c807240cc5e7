package org.haochaping.gateway.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.sim.FaultPlan;
import org.haochaping.gateway.sim.ProvinceLedger;
import org.haochaping.gateway.sim.ProvinceSimulator;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayProcess;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Exactly once at the province across a crash: the packaged gateway forwards 1,500 ratings to a
 * simulator in this JVM (which also loses 5 % of its answers after keeping the records), is killed
 * with SIGKILL while calls are in flight, and restarted on the same data. Afterwards the province
 * holds every rating exactly once and the gateway reports each FORWARDED.
 */
@Tag("db")
class ForwardingCrashIT {

  private static final int RATINGS = 1_500;

  @Test
  void everyRatingReachesTheProvinceExactlyOnceAcrossASigkill() throws Exception {
    String secret = "crash-it-" + System.nanoTime();
    try (ProvinceSimulator province = ProvinceSimulator.start(ProvinceSimulator.Settings.hmacJson("guangdong", "hcp-gateway", secret));
        TestDatabase db = TestDatabase.create()) {
      Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "ForwardingCrashIT-");
      int port = GatewayTestSupport.freePort();
      Map<String, String> env = new HashMap<>();
      env.put("HCP_PROVINCE_URL", province.baseUrl());
      env.put("HCP_PROVINCE_SECRET", secret);
      env.put("HCP_PROVINCE_BATCH_SIZE", "25");
      env.put("HCP_PROVINCE_IN_FLIGHT", "4");
      if (!db.url().isBlank()) {
        env.put("HCP_DB_URL", db.url());
        env.put("HCP_DB_USER", db.user());
        env.put("HCP_DB_PASSWORD", db.password());
      }
      // The province is down while the ratings are posted, so that forwarding is in full swing when we kill.
      province.stop();
      GatewayProcess gateway = new GatewayProcess(dataDir, port, env).start();
      Api api = new Api(port, dataDir);
      Set<String> acknowledged = new HashSet<>();
      for (int from = 0; from < RATINGS; from += 500) {
        acknowledged.addAll(postBatch(api, from, 500));
      }
      assertThat(acknowledged).hasSize(RATINGS);

      province.faults().set(FaultPlan.none().withLatency(Duration.ofMillis(20), Duration.ofMillis(200)).withLostAnswerRate(0.05));
      province.restart();
      await().atMost(Duration.ofMinutes(2)).until(() -> province.ledger().evaluations().size() >= RATINGS / 3);
      gateway.kill(); // SIGKILL: calls in flight, claims SENDING, acknowledgements not sent
      int atKill = province.ledger().evaluations().size();
      assertThat(atKill).as("killed mid-way").isLessThan(RATINGS);

      gateway = new GatewayProcess(dataDir, port, env).start();
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
          .until(() -> province.ledger().evaluations().size() >= RATINGS && forwardedByApi(api, acknowledged) == RATINGS);
      gateway.stop();

      List<ProvinceLedger.Receipt> evaluations = province.ledger().evaluations();
      assertThat(evaluations).as("one record per rating at the province").hasSize(RATINGS);
      Set<String> projects = new HashSet<>();
      evaluations.forEach(e -> projects.add(e.record().path("projectNo").asText()));
      assertThat(projects).hasSize(RATINGS);
      ProvinceLedger.Stats stats = province.ledger().stats();
      // Every duplicate the province saw was one of our resends of the identical record (lost answer, crash).
      assertThat(stats.duplicatesAttempted()).isEqualTo(stats.identicalResends());
      assertThat(stats.faultsInjected()).containsKey("lostAnswer");

      Map<String, Integer> states = new HashMap<>();
      try (Connection c = connect(dataDir, db); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select state, count(*) from province_deliveries group by state")) {
        while (rs.next()) {
          states.put(rs.getString(1), rs.getInt(2));
        }
      }
      assertThat(states).isEqualTo(Map.of("SENT", RATINGS));
      System.out.printf("ForwardingCrashIT: %d ratings, %d at the province when killed, all %d there once after restart;"
          + " resends answered 3002: %d; stats %s%n", RATINGS, atKill, evaluations.size(), stats.identicalResends(), Json.text(stats));
    }
  }

  private static List<String> postBatch(Api api, int first, int count) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      String caseNo = String.format("CRASH-%05d", i);
      Map<String, Object> rating = Fixtures.rating(caseNo, "SATISFIED");
      rating.put("case", Fixtures.completedCase(caseNo));
      items.add(rating);
    }
    Api.Response r = api.post("/api/v1/ratings/batch", items);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (JsonNode n : r.json().path("results")) {
      assertThat(n.path("status").asInt()).as(n.toString()).isEqualTo(202);
      ids.add(n.path("ratingId").asText());
    }
    return ids;
  }

  private static int forwardedByApi(Api api, Set<String> ids) {
    int n = 0;
    for (String id : ids) {
      if (!"FORWARDED".equals(api.get("/api/v1/ratings/" + id).json().path("status").asText())) {
        return n;
      }
      n++;
    }
    return n;
  }

  private static Connection connect(Path dataDir, TestDatabase db) throws Exception {
    if (!db.url().isBlank()) {
      return DriverManager.getConnection(db.url(), db.user(), db.password());
    }
    return DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("db").resolve("gateway").toAbsolutePath()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
  }
}
