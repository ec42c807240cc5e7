package org.haochaping.gateway.store;

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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.ConcurrentRatings;
import org.haochaping.gateway.support.GatewayProcess;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A 202 means the rating is durable: 2,000 ratings posted concurrently, the gateway JVM killed with
 * SIGKILL mid-stream, restarted on the same data directory, and every acknowledged rating is found
 * stored exactly once.
 */
@Tag("db")
class DurabilityIT {

  private static final int RATINGS = 2_000;

  @Test
  void everyAcknowledgedRatingSurvivesSigkillExactlyOnce() throws Exception {
    Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "DurabilityIT-");
    int port = GatewayTestSupport.freePort();
    try (TestDatabase db = TestDatabase.create()) {
      Map<String, String> env = new HashMap<>();
      if (!db.url().isBlank()) {
        env.put("HCP_DB_URL", db.url());
        env.put("HCP_DB_USER", db.user());
        env.put("HCP_DB_PASSWORD", db.password());
      }
      GatewayProcess gateway = new GatewayProcess(dataDir, port, env).start();

      ConcurrentRatings load = ConcurrentRatings.post(new Api(port, dataDir), "DUR-", RATINGS, 32, i -> "VERY_SATISFIED");
      Map<String, String> acknowledged = load.acknowledged(); // caseNo -> ratingId
      // Kill mid-stream: once a good part is acknowledged and requests are still in flight.
      await().atMost(Duration.ofSeconds(120)).until(() -> acknowledged.size() >= RATINGS / 3);
      gateway.kill();
      int ackedAtKill = acknowledged.size();
      load.awaitDone();
      assertThat(acknowledged.size()).as("acknowledged").isBetween(RATINGS / 3, RATINGS - 1);

      // Restart on the same data directory; the ledger drains what the broker journal kept.
      gateway = new GatewayProcess(dataDir, port, env).start();
      Api api = new Api(port, dataDir);
      await().atMost(Duration.ofSeconds(120)).until(() -> ledgerDepth(api) == 0);
      for (Map.Entry<String, String> e : acknowledged.entrySet()) {
        JsonNode status = api.get("/api/v1/ratings/" + e.getValue()).json();
        assertThat(status.path("caseNo").asText()).as("rating " + e.getValue() + " of " + e.getKey()).isEqualTo(e.getKey());
      }
      gateway.stop();

      // Count the rows themselves: each acknowledged rating once, and no case rated twice.
      Map<String, Integer> rows = new HashMap<>();
      Set<String> casesSeen = new HashSet<>();
      try (Connection c = connect(dataDir, db); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select rating_id, case_no from ratings")) {
        while (rs.next()) {
          rows.merge(rs.getString(1), 1, Integer::sum);
          assertThat(casesSeen.add(rs.getString(2))).as("case " + rs.getString(2) + " stored once").isTrue();
        }
      }
      for (String ratingId : acknowledged.values()) {
        assertThat(rows.get(ratingId)).as("rows of acknowledged rating " + ratingId).isEqualTo(1);
      }
      System.out.printf("DurabilityIT: sent %d, acknowledged %d (at kill %d), stored %d%n", load.sent(), acknowledged.size(),
          ackedAtKill, rows.size());
    }
  }

  private static long ledgerDepth(Api api) {
    for (JsonNode check : api.get("/observe/health").json().get("checks")) {
      if (check.get("id").asText().equals("broker")) {
        return check.get("details").get("queue.ledger.depth").asLong();
      }
    }
    return -1;
  }

  private static Connection connect(Path dataDir, TestDatabase db) throws Exception {
    if (!db.url().isBlank()) {
      return DriverManager.getConnection(db.url(), db.user(), db.password());
    }
    return DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("db").resolve("gateway").toAbsolutePath()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
  }
}
