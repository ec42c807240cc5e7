package org.haochaping.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayProcess;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scale-out (docs/deployment.md): one broker JVM ({@code java -jar ... broker}) and two gateway JVMs
 * on it and on one PostgreSQL database. 1,000 signed ratings go to both nodes at once; node 1 is
 * killed with SIGKILL mid-stream, and what it did not answer is sent again to node 2, as a load
 * balancer or a client retry would. Every 202-acknowledged rating is stored exactly once, and no
 * case is rated twice, though a rating node 1 made durable without answering comes back as a replay.
 *
 * <p>PostgreSQL only ({@code -Dhcp.test.db.url=...}): two JVMs cannot share an embedded H2 file
 * database (H2 locks the file for one process), so without PostgreSQL the test is skipped.
 */
@Tag("db")
class TwoNodesIT {

  private static final int RATINGS = 1_000;
  private static final String BROKER_USER = "hcp-node";

  @Test
  void twoNodesOnOneBrokerLoseAndDuplicateNothingWhenOneIsKilled() throws Exception {
    Assumptions.assumeTrue(TestDatabase.postgres(),
        "two gateway JVMs need a shared PostgreSQL (-Dhcp.test.db.url); an H2 file belongs to one process");
    Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "TwoNodesIT-");
    Path brokerDir = Files.createDirectories(root.resolve("broker"));
    Path node1Dir = Files.createDirectories(root.resolve("node1"));
    Path node2Dir = Files.createDirectories(root.resolve("node2"));
    String brokerPassword = java.util.UUID.randomUUID().toString();
    String mqttPassword = java.util.UUID.randomUUID().toString();
    int corePort = GatewayTestSupport.freePort();
    int mqttPort = GatewayTestSupport.freePort();

    try (TestDatabase db = TestDatabase.create();
        BrokerJvm broker = new BrokerJvm(brokerDir, Map.of(
            "HCP_BROKER_CORE_ACCEPTOR", "tcp://127.0.0.1:" + corePort,
            "HCP_BROKER_USER", BROKER_USER,
            "HCP_BROKER_PASSWORD", brokerPassword,
            "HCP_MQTT_HOST", "127.0.0.1",
            "HCP_MQTT_PORT", Integer.toString(mqttPort),
            "HCP_MQTT_PASSWORD", mqttPassword,
            "HCP_DB_URL", db.url(),
            "HCP_DB_USER", db.user(),
            "HCP_DB_PASSWORD", db.password()))) {
      broker.start(corePort);

      // Evaluators on the broker's MQTT acceptor, shared by both nodes.
      Map<String, String> env = GatewayProcess.clusterNode(db, corePort, BROKER_USER, brokerPassword, mqttPort, mqttPassword);

      GatewayProcess node1 = new GatewayProcess(node1Dir, GatewayTestSupport.freePort(), env).start();
      // One set of secrets for the cluster: the same demo client, admin token and data key on both nodes.
      Files.copy(node1Dir.resolve("credentials.properties"), node2Dir.resolve("credentials.properties"));
      try (GatewayProcess node2 = new GatewayProcess(node2Dir, GatewayTestSupport.freePort(), env).start()) {
        Api api1 = new Api(node1.port(), node1Dir);
        Api api2 = new Api(node2.port(), node2Dir);
        // Evaluators: both nodes share the rating subscription on the broker's MQTT acceptor.
        await().atMost(Duration.ofSeconds(30)).until(() ->
            check(api2, "evaluators").path("details").path("mqtt.ratings").asText().equals("SUBSCRIBED"));

        long t0 = System.nanoTime();
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // caseNo -> ratingId
        AtomicInteger ackedByNode1 = new AtomicInteger();
        AtomicInteger retriedOnNode2 = new AtomicInteger();
        AtomicInteger replays = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (int i = 0; i < RATINGS; i++) {
          String caseNo = "TWO-" + i;
          boolean toNode1 = i % 2 == 0;
          pool.submit(() -> {
            Map<String, Object> rating = Fixtures.rating(caseNo, "VERY_SATISFIED");
            rating.put("case", Fixtures.completedCase(caseNo));
            Api.Response r = null;
            if (toNode1) {
              try {
                r = api1.post("/api/v1/ratings", rating);
              } catch (AssertionError nodeGone) {
                // no answer from node 1: no promise; the same rating goes to node 2
              }
              if (r != null && r.status() == 202) {
                ackedByNode1.incrementAndGet();
              } else {
                retriedOnNode2.incrementAndGet();
                r = null;
              }
            }
            if (r == null) {
              r = api2.post("/api/v1/ratings", rating);
            }
            if (r.status() == 202) {
              acknowledged.put(caseNo, r.json().get("ratingId").asText());
              if (r.json().path("replay").asBoolean()) {
                replays.incrementAndGet();
              }
            }
            return null;
          });
        }
        // Kill node 1 mid-stream: once it has answered a good part and requests are still in flight.
        await().atMost(Duration.ofSeconds(90)).until(() -> ackedByNode1.get() >= RATINGS / 6);
        node1.kill();
        long killedAt = System.nanoTime();
        int ackedAtKill = acknowledged.size();
        pool.shutdown();
        assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        long postedAt = System.nanoTime();
        assertThat(ackedAtKill).as("acknowledged when node 1 was killed").isLessThan(RATINGS);
        // Node 2 answers what node 1 did not: every rating is acknowledged once in the end.
        assertThat(acknowledged).as("acknowledged ratings").hasSize(RATINGS);

        // Node 2 drains the shared ledger queue, including what node 1 had taken and not acknowledged.
        await().atMost(Duration.ofSeconds(120)).until(() -> check(api2, "broker").path("details").path("queue.ledger.depth").asLong() == 0);
        long drainedAt = System.nanoTime();
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
          JsonNode status = api2.get("/api/v1/ratings/" + e.getValue()).json();
          assertThat(status.path("caseNo").asText()).as("rating " + e.getValue()).isEqualTo(e.getKey());
        }

        // The rows themselves: each acknowledged rating once, no case rated twice.
        Map<String, Integer> rowsPerRating = new HashMap<>();
        Map<String, Integer> rowsPerCase = new HashMap<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password()); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("select rating_id, case_no from ratings where case_no like 'TWO-%'")) {
          while (rs.next()) {
            rowsPerRating.merge(rs.getString(1), 1, Integer::sum);
            rowsPerCase.merge(rs.getString(2), 1, Integer::sum);
          }
        }
        assertThat(rowsPerCase.values()).as("rows per case").allMatch(n -> n == 1);
        for (String ratingId : acknowledged.values()) {
          assertThat(rowsPerRating.get(ratingId)).as("rows of acknowledged rating " + ratingId).isEqualTo(1);
        }
        assertThat(rowsPerRating).as("stored ratings").hasSize(RATINGS);
        System.out.printf("TwoNodesIT: sent %d, acknowledged %d (%d at the kill; node 1 %d, sent again to node 2 %d, "
            + "of which replays %d), stored %d, duplicates 0; kill after %d ms, all answered %d ms after the kill, "
            + "ledger drained %d ms after that, checked %d ms after that%n", RATINGS, acknowledged.size(), ackedAtKill,
            ackedByNode1.get(), retriedOnNode2.get(), replays.get(), rowsPerRating.size(), (killedAt - t0) / 1_000_000,
            (postedAt - killedAt) / 1_000_000, (drainedAt - postedAt) / 1_000_000, (System.nanoTime() - drainedAt) / 1_000_000);
      } finally {
        node1.stop();
      }
    }
  }

  private static JsonNode check(Api api, String id) {
    for (JsonNode check : api.get("/observe/health").json().get("checks")) {
      if (check.get("id").asText().equals(id)) {
        return check;
      }
    }
    throw new AssertionError("no health check " + id);
  }

  /** {@code java -jar haochaping-gateway.jar broker} as its own JVM. */
  static final class BrokerJvm implements AutoCloseable {
    private final Path dataDir;
    private final Map<String, String> env;
    private Process process;

    BrokerJvm(Path dataDir, Map<String, String> env) {
      this.dataDir = dataDir;
      this.env = env;
    }

    /** Starts the JVM and waits until the core acceptor takes connections. */
    void start(int corePort) throws IOException {
      String jar = System.getProperty("hcp.jar", "target/haochaping-gateway.jar");
      ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-jar", jar, "broker"));
      pb.environment().put("HCP_DATA_DIR", dataDir.toString());
      pb.environment().putAll(env);
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("broker.log").toFile()));
      process = pb.start();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("broker exited with " + process.exitValue() + ", see " + dataDir.resolve("broker.log"));
        }
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", corePort), 500);
          return true;
        }
      });
    }

    @Override
    public void close() throws InterruptedException {
      if (process != null && process.isAlive()) {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor();
        }
      }
    }
  }
}
