package org.haochaping.gateway.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged gateway ({@code target/haochaping-gateway.jar}) as a separate JVM, the way an
 * operator runs it, for tests that kill it or restart it.
 */
public final class GatewayProcess implements AutoCloseable {

  private final Path dataDir;
  private final int port;
  private final Map<String, String> env;
  private Process process;

  public GatewayProcess(Path dataDir, int port, Map<String, String> extraEnv) {
    this.dataDir = dataDir;
    this.port = port;
    this.env = new LinkedHashMap<>(extraEnv);
  }

  public int port() {
    return port;
  }

  /**
   * What a gateway node of a cluster is given (docs/deployment.md): the shared database, the broker's core
   * acceptor with the node login, and the broker's MQTT acceptor for evaluators. A mutable map: callers add
   * the peers they point the node at.
   */
  public static Map<String, String> clusterNode(TestDatabase db, int corePort, String brokerUser, String brokerPassword, int mqttPort,
      String mqttPassword) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("HCP_DB_URL", db.url());
    env.put("HCP_DB_USER", db.user());
    env.put("HCP_DB_PASSWORD", db.password());
    env.put("HCP_BROKER_URL", "tcp://127.0.0.1:" + corePort);
    env.put("HCP_BROKER_USER", brokerUser);
    env.put("HCP_BROKER_PASSWORD", brokerPassword);
    env.put("HCP_MQTT_URL", "tcp://127.0.0.1:" + mqttPort);
    env.put("HCP_MQTT_PASSWORD", mqttPassword);
    return env;
  }

  /** Starts the JVM and waits until {@code /observe/health/ready} answers 200. */
  public GatewayProcess start() throws IOException {
    String jar = System.getProperty("hcp.jar", "target/haochaping-gateway.jar");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    // As README runs it: with the class-data archive `package` wrote beside the jar, when there is one.
    Path archive = Path.of(jar.replaceAll("\\.jar$", ".jsa"));
    if (java.nio.file.Files.isRegularFile(archive)) {
      cmd.add("-XX:SharedArchiveFile=" + archive);
    }
    cmd.addAll(List.of("-jar", jar));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HCP_DATA_DIR", dataDir.toString());
    pb.environment().put("HCP_HTTP_PORT", Integer.toString(port));
    pb.environment().put("HCP_HTTP_HOST", "127.0.0.1");
    pb.environment().put("HCP_BROKER_CORE_ACCEPTOR", "none");
    // The built-in province simulator (when no HCP_PROVINCE_URL is given) on a free port, not 9080.
    pb.environment().put("HCP_PROVINCE_SIM_PORT", "0");
    // Not 1883: another gateway on this machine may hold it, and a taken MQTT port stops the gateway.
    pb.environment().put("HCP_MQTT_PORT", Integer.toString(GatewayTestSupport.freePort()));
    pb.environment().put("HCP_SMSC_SIM_PORT", "0");
    pb.environment().put("HCP_SMSC_SIM_CONTROL_PORT", "-1");
    String db = System.getProperty("hcp.test.db.url", "");
    if (!db.isBlank() && !env.containsKey("HCP_DB_URL")) {
      throw new IllegalStateException("pass HCP_DB_URL for a PostgreSQL run (TestDatabase.create())");
    }
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("gateway.log").toFile()));
    process = pb.start();
    Api api = new Api(port, dataDir);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("gateway exited with " + process.exitValue() + ", see " + dataDir.resolve("gateway.log"));
          }
          return api.unsigned().get("/observe/health/ready").status() == 200;
        });
    return this;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM and wait for a clean stop. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
