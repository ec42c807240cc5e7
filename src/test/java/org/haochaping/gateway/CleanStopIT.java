package org.haochaping.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.ConcurrentRatings;
import org.haochaping.gateway.support.GatewayProcess;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under load, on the embedded database: the gateway lets the messages in flight finish and
 * logs no ERROR. (H2 closed the database from its own shutdown hook while Camel was still finishing
 * them, and every stop under load logged a hundred ERRORs "Database is already closed"; docs/operations.md,
 * "Stopping and restarting a node".) After the restart every acknowledged rating is there.
 */
class CleanStopIT {

  private static final int RATINGS = 900;

  @Test
  void aStopUnderLoadFinishesWhatIsInFlightAndLogsNoError() throws Exception {
    Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "CleanStopIT-");
    int port = GatewayTestSupport.freePort();
    GatewayProcess gateway = new GatewayProcess(dataDir, port, Map.of()).start();
    ConcurrentRatings load =
        ConcurrentRatings.post(new Api(port, dataDir), "STOP-", RATINGS, 16, i -> i % 5 == 0 ? "SATISFIED" : "VERY_SATISFIED");
    Map<String, String> acknowledged = load.acknowledged(); // caseNo -> ratingId
    // Stop while ratings are coming in and the consumers (ledger, forwarding, statistics, integrity) are busy.
    await().atMost(Duration.ofSeconds(120)).until(() -> acknowledged.size() >= RATINGS / 3);
    gateway.stop();
    load.awaitDone();

    List<String> log = Files.readAllLines(dataDir.resolve("gateway.log"));
    assertThat(log).as("the gateway's log").anyMatch(line -> line.contains("shutdown in"));
    assertThat(log.stream().filter(line -> line.contains(" ERROR ") || line.contains("Database is already closed")).limit(10))
        .as("ERROR lines, and the database closed under the messages in flight").isEmpty();

    try (GatewayProcess again = new GatewayProcess(dataDir, port, Map.of()).start()) {
      Api api = new Api(port, dataDir);
      // what the broker kept reaches the ledger after the restart
      for (Map.Entry<String, String> e : acknowledged.entrySet()) {
        await().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(api.get("/api/v1/ratings/" + e.getValue()).json()
            .path("caseNo").asText()).as("rating %s of %s", e.getValue(), e.getKey()).isEqualTo(e.getKey()));
      }
    }
  }
}
