package org.haochaping.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.haochaping.gateway.sim.ProvinceSimulator;
import org.haochaping.gateway.sim.SmscSimulator;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.GatewayProcess;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

/** HCP_DEPLOYMENT=production never runs on a default or generated secret. */
class ProductionModeIT {

  /** Starts the jar with {@code env}, expects it to stop by itself, and answers what it printed. */
  private static String refusedStart(Path dir, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        System.getProperty("hcp.jar", "target/haochaping-gateway.jar")));
    pb.environment().putAll(env);
    pb.environment().put("HCP_DEPLOYMENT", "production");
    pb.environment().put("HCP_DATA_DIR", dir.toString());
    pb.environment().put("HCP_HTTP_PORT", Integer.toString(GatewayTestSupport.freePort()));
    pb.environment().put("HCP_MQTT_PORT", Integer.toString(GatewayTestSupport.freePort()));
    pb.environment().put("HCP_BROKER_CORE_ACCEPTOR", "none");
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("out.log").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isNotZero();
    return Files.readString(dir.resolve("out.log"));
  }

  @Test
  void refusesToStartWithoutItsSecrets() throws Exception {
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "ProductionModeIT-");
    String out = refusedStart(dir, Map.of());
    assertThat(out).contains("HCP_DATA_KEY").contains("HCP_ADMIN_TOKEN").contains("cannot start");
    assertThat(dir.resolve("credentials.properties")).doesNotExist();
  }

  @Test
  void refusesToStartWithoutTheProvinceInsteadOfSimulatingIt() throws Exception {
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "ProductionModeIT-");
    String out = refusedStart(dir, Map.of("HCP_DATA_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'C'),
        "HCP_ADMIN_TOKEN", "prod-admin-token-0123456789abcdef"));
    assertThat(out).contains("cannot start").contains("HCP_PROVINCE_URL");
    assertThat(dir.resolve("credentials.properties")).doesNotExist();
  }

  @Test
  void runsOnItsOwnSecretsWithoutADemoClient() throws Exception {
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "ProductionModeIT-");
    Map<String, String> env = new HashMap<>();
    env.put("HCP_DEPLOYMENT", "production");
    env.put("HCP_DATA_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'B'));
    String adminToken = "prod-admin-token-0123456789abcdef";
    env.put("HCP_ADMIN_TOKEN", adminToken);
    // Production runs no simulator: the province and the SMSC are peers it is given.
    String provinceSecret = "prod-it-" + System.nanoTime();
    try (ProvinceSimulator province = ProvinceSimulator.start(ProvinceSimulator.Settings.hmacJson("guangdong", "hcp-gateway", provinceSecret))) {
      SmscSimulator smsc = SmscSimulator.start(SmscSimulator.Settings.defaults().withHost("127.0.0.1").withPort(0).withControlPort(-1)
          .withCredentials("hcpprod", "pw123456"));
      try {
        env.put("HCP_PROVINCE_URL", province.baseUrl());
        env.put("HCP_PROVINCE_SECRET", provinceSecret);
        env.put("HCP_SMSC_HOST", "127.0.0.1");
        env.put("HCP_SMSC_PORT", Integer.toString(smsc.port()));
        env.put("HCP_SMSC_SYSTEM_ID", "hcpprod");
        env.put("HCP_SMSC_PASSWORD", "pw123456");
        runsAsProduction(dir, env, adminToken);
      } finally {
        smsc.stop();
      }
    }
  }

  private static void runsAsProduction(Path dir, Map<String, String> env, String adminToken) throws Exception {
    int port = GatewayTestSupport.freePort();
    try (GatewayProcess gateway = new GatewayProcess(dir, port, env).start()) {
      Api api = new Api(port, dir);
      assertThat(dir.resolve("credentials.properties")).doesNotExist();
      assertThat(api.bearer(adminToken).get("/api/v1/admin/clients").status()).isEqualTo(200);
      assertThat(api.bearer(adminToken).get("/api/v1/admin/clients").text()).doesNotContain("\"demo\"");
      assertThat(api.as("demo", "anything").get("/api/v1/cases/X").status()).isEqualTo(401);
    }
  }
}
