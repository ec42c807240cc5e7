package org.haochaping.gateway.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayProcess;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chaos suite (issue 12, docs/chaos.md): one broker JVM, two gateway JVMs, ONE provincial
 * simulator JVM both nodes forward to, one SMSC simulator JVM both nodes bind to, PostgreSQL. Each
 * scenario runs a steady signed rating load ({@link RatingLoad}) through one fault, then waits
 * until forwarding has drained and checks at the province that every 202-acknowledged rating is
 * there exactly once. Not part of {@code mvn verify}: {@code mvn -B verify -Pchaos -Dit.test=ClusterChaos}.
 *
 * <p>The scenarios share one set-up (five JVMs and a database take most of a minute to start on a
 * small machine) and run in order; each has its own case numbers, and the simulated province is
 * reset before each, so every figure belongs to one fault.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterChaos {

  private static final int PER_SECOND = Integer.getInteger("hcp.chaos.rate", 50);
  /** Ratings acknowledged before the fault, and after it is lifted, at {@link #PER_SECOND}. */
  private static final int BEFORE = PER_SECOND * 8;
  private static final int AFTER = PER_SECOND * 8;
  private static final String BROKER_USER = "hcp-node";
  private static final String SMSC_SYSTEM_ID = "hcpchaos";
  private static final String SMSC_PASSWORD = "chaos123";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Path root;
  private static TestDatabase db;
  private static PeerJvm broker;
  private static PeerJvm province;
  private static PeerJvm smsc;
  private static int provincePort;
  private static int smscControlPort;
  private static final Path[] nodeDirs = new Path[2];
  private static final int[] nodePorts = new int[2];
  private static final GatewayProcess[] nodes = new GatewayProcess[2];
  private static Map<String, String> nodeEnv;
  private static final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private static final List<String> report = new ArrayList<>();
  private static final List<Outcome> outcomes = new ArrayList<>();

  /** The figures of one scenario (docs/chaos.md). */
  record Outcome(String scenario, int sent, int acknowledged, int refused, int atProvince, int duplicates, int lost,
      int extraAtProvince, long identicalResends, int failedCalls, long failureWindowMs, long ingestRecoveryMs,
      long provinceCaughtUpMs, long drainMs, long slowestAckMs) {}

  @BeforeAll
  static void startCluster() throws Exception {
    Assumptions.assumeTrue(TestDatabase.postgres(),
        "the chaos suite needs PostgreSQL (-Dhcp.test.db.url): two gateway JVMs cannot share an H2 file");
    root = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "ClusterChaos-");
    db = TestDatabase.create();
    String brokerPassword = UUID.randomUUID().toString();
    String mqttPassword = UUID.randomUUID().toString();
    String provinceSecret = UUID.randomUUID().toString().replace("-", "");
    int corePort = GatewayTestSupport.freePort();
    int mqttPort = GatewayTestSupport.freePort();
    provincePort = GatewayTestSupport.freePort();
    int smscPort = GatewayTestSupport.freePort();
    smscControlPort = GatewayTestSupport.freePort();

    broker = new PeerJvm("broker", Files.createDirectories(root.resolve("broker")), List.of("broker"), Map.of(
        "HCP_BROKER_CORE_ACCEPTOR", "tcp://127.0.0.1:" + corePort,
        "HCP_BROKER_USER", BROKER_USER,
        "HCP_BROKER_PASSWORD", brokerPassword,
        "HCP_MQTT_HOST", "127.0.0.1",
        "HCP_MQTT_PORT", Integer.toString(mqttPort),
        "HCP_MQTT_PASSWORD", mqttPassword,
        "HCP_DB_URL", db.url(),
        "HCP_DB_USER", db.user(),
        "HCP_DB_PASSWORD", db.password()), corePort).start();
    province = new PeerJvm("province", Files.createDirectories(root.resolve("province")),
        List.of("sim", "province", "--port", Integer.toString(provincePort), "--secret", provinceSecret), Map.of(), provincePort).start();
    smsc = new PeerJvm("smsc", Files.createDirectories(root.resolve("smsc")),
        List.of("sim", "smsc", "--port", Integer.toString(smscPort), "--control-port", Integer.toString(smscControlPort),
            "--system-id", SMSC_SYSTEM_ID, "--password", SMSC_PASSWORD, "--max-binds", "8"), Map.of(), smscControlPort).start();

    Map<String, String> env = GatewayProcess.clusterNode(db, corePort, BROKER_USER, brokerPassword, mqttPort, mqttPassword);
    env.put("HCP_PROVINCE_URL", "http://127.0.0.1:" + provincePort);
    env.put("HCP_PROVINCE_SECRET", provinceSecret);
    env.put("HCP_SMSC_HOST", "127.0.0.1");
    env.put("HCP_SMSC_PORT", Integer.toString(smscPort));
    env.put("HCP_SMSC_SYSTEM_ID", SMSC_SYSTEM_ID);
    env.put("HCP_SMSC_PASSWORD", SMSC_PASSWORD);
    // Prompts due a second after completion, at any hour: the SMS scenario needs them now.
    env.put("HCP_SMS_PROMPT_DELAY_SECONDS", "1");
    env.put("HCP_SMS_QUIET_HOURS", "");
    nodeEnv = env;
    for (int n = 0; n < 2; n++) {
      nodeDirs[n] = Files.createDirectories(root.resolve("node" + (n + 1)));
      nodePorts[n] = GatewayTestSupport.freePort();
      if (n == 1) {
        // One set of secrets for the cluster: the same demo client, admin token and data key on both nodes.
        Files.copy(nodeDirs[0].resolve("credentials.properties"), nodeDirs[1].resolve("credentials.properties"));
      }
      nodes[n] = new GatewayProcess(nodeDirs[n], nodePorts[n], env).start();
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    scheduler.shutdownNow();
    try {
      for (GatewayProcess node : nodes) {
        if (node != null) {
          node.stop();
        }
      }
      for (PeerJvm peer : new PeerJvm[] {smsc, province, broker}) {
        if (peer != null) {
          peer.stop();
        }
      }
    } finally {
      if (db != null) {
        db.close();
      }
      if (!outcomes.isEmpty()) {
        StringBuilder t = new StringBuilder();
        t.append("| scenario | sent | acknowledged | refused | at province | duplicates | lost | unacknowledged but at province"
            + " | identical resends (3002) | failed calls | failure window ms | last failure after lift ms | province caught up ms | drain ms"
            + " | slowest 202 ms |\n");
        t.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
          t.append(String.format("| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n", o.scenario(), o.sent(),
              o.acknowledged(), o.refused(), o.atProvince(), o.duplicates(), o.lost(), o.extraAtProvince(), o.identicalResends(),
              o.failedCalls(), o.failureWindowMs(), o.ingestRecoveryMs(), o.provinceCaughtUpMs(), o.drainMs(), o.slowestAckMs()));
        }
        for (String line : report) {
          t.append('\n').append(line);
        }
        Files.writeString(Path.of("target", "chaos-report.md"), t.toString());
        System.out.println("ClusterChaos results (also in target/chaos-report.md):\n" + t);
      }
    }
  }

  @Test
  @Order(1)
  void sigkillOneGatewayNodeAndRestartIt() throws Exception {
    scenario("SIGKILL node 1, restart", "CH1", () -> {
      nodes[0].kill();
      nodes[0] = new GatewayProcess(nodeDirs[0], nodePorts[0], nodeEnv).start();
    });
  }

  @Test
  @Order(2)
  void restartTheBroker() throws Exception {
    scenario("broker JVM stop + start", "CH2", () -> {
      broker.stop();
      broker.start();
    });
  }

  @Test
  @Order(3)
  void databaseOutageOfTenSeconds() throws Exception {
    // The system PostgreSQL cannot be restarted from a test: what a stopped database looks like to
    // the gateway is made the way PeerHealthRouteTest does it, new connections refused, open ones cut.
    scenario("PostgreSQL refused 10 s", "CH3", () -> {
      db.refuseConnections();
      after(Duration.ofSeconds(10), db::acceptConnections);
    });
  }

  @Test
  @Order(4)
  void provinceDownForThirtySeconds() throws Exception {
    scenario("province JVM down 30 s", "CH4", () -> {
      // The simulator keeps its ledger in memory, so what it took must be read before it goes. It is
      // first told to answer every call 5xx without processing it, so that nothing reaches the ledger
      // between the snapshot and the kill; then the JVM is killed, and started again on the port.
      long failedBefore = provinceFaultCount();
      assertThat(provinceCall("POST", "/sim/faults", "{\"errorRate\":1.0}").statusCode()).isEqualTo(200);
      await("the province refusing").atMost(Duration.ofSeconds(30)).until(() -> provinceFaultCount() > failedBefore);
      provinceSnapshot.addAll(provinceEvaluations());
      province.kill();
      after(Duration.ofSeconds(30), () -> {
        province.start();
        return null;
      });
    });
  }

  @Test
  @Order(5)
  void smscBindsDroppedWhilePromptsAreDue() throws Exception {
    int prompts = 200;
    Map<String, String> mobiles = new LinkedHashMap<>(); // mobile -> caseNo
    for (int i = 0; i < prompts; i++) {
      mobiles.put(String.format("1390000%04d", i), String.format("CH5SMS-%04d", i));
    }
    scenario("SMSC binds dropped x3", "CH5", () -> {
      // Online cases with an applicant's mobile, completed and left unrated: each is due one prompt a
      // second after completion. They are pushed by 8 clients at once, so that prompts pile up at the
      // nodes' SMS throttle; the SMSC drops every bind at the first prompt and twice more while they go out.
      java.util.concurrent.ExecutorService clients = Executors.newFixedThreadPool(8);
      List<java.util.concurrent.Future<?>> pushed = new ArrayList<>();
      int i = 0;
      for (Map.Entry<String, String> m : mobiles.entrySet()) {
        Api api = api(i++ % 2);
        pushed.add(clients.submit(() -> {
          Map<String, Object> kase = Fixtures.windowCase(m.getValue());
          kase.put("mode", "ONLINE");
          kase.remove("hallCode");
          kase.remove("windowNo");
          kase.put("applicant", Map.of("name", "张三", "idType", "111", "idNo", Fixtures.ID_NO, "mobile", m.getKey(), "userProp", "1"));
          Api.Response created = api.post("/api/v1/cases", kase);
          assertThat(created.status() / 100).as(created.toString()).isEqualTo(2);
          Api.Response completed = api.post("/api/v1/cases/" + m.getValue() + "/events", Map.of("type", "COMPLETED"));
          assertThat(completed.status() / 100).as(completed.toString()).isEqualTo(2);
          return null;
        }));
      }
      int next = 1;
      for (int d = 0; d < 3; d++) {
        int threshold = next;
        await("prompts at the SMSC").atMost(Duration.ofSeconds(90)).until(() -> smscMessages().size() >= Math.min(threshold, prompts));
        long dropped = smscDropBinds();
        int at = smscMessages().size();
        report.add("SMSC drop " + (d + 1) + ": " + dropped + " bind(s) dropped with " + at + " of " + prompts + " prompts at the SMSC");
        next = at + 25;
      }
      for (java.util.concurrent.Future<?> f : pushed) {
        f.get();
      }
      clients.shutdown();
    });
    await("every prompt at the SMSC").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
        .until(() -> prompted(mobiles.keySet()).size() == prompts && queueDepth("sms.outbox") == 0);
    Map<String, Integer> perMobile = prompted(mobiles.keySet());
    long twice = perMobile.values().stream().filter(n -> n > 1).count();
    JsonNode parts = smscJson("/sim/messages").path("parts");
    // the same part twice: same mobile, same user data (UDH reference and sequence included). Counted
    // from the parts, not the reassembler's DUPLICATE_PART, which sees only a copy that comes while its
    // message is still incomplete (a copy of a last part after the message completed starts a new one).
    Map<String, Integer> copies = new HashMap<>();
    for (JsonNode p : parts) {
      if (p.path("commandStatus").asInt() == 0) {
        copies.merge(p.path("destination").asText() + "|" + p.path("shortMessageHex").asText(), 1, Integer::sum);
      }
    }
    int duplicateParts = copies.values().stream().mapToInt(n -> n - 1).sum();
    long inDoubt = submitsInDoubt(0) + submitsInDoubt(1);
    report.add(String.format("SMS: %d prompts due, %d mobiles prompted, %d prompted more than once, %d duplicate parts, %d parts in all, "
        + "%d submit_sm in doubt at the nodes", prompts, perMobile.size(), twice, duplicateParts, parts.size(), inDoubt));
    assertThat(perMobile).as("one prompt per mobile").hasSize(prompts).allSatisfy((m, n) -> assertThat(n).as(m).isEqualTo(1));
    // A part is sent twice only when a node wrote it and the drop took its submit_sm_resp: SMPP cannot
    // tell that from a part never received (docs/sms.md "Parts in doubt"). The second copy carries the
    // same UDH reference (DUPLICATE_PART, not a second message), so the handset shows one SMS.
    assertThat(duplicateParts).as("parts submitted twice, against the submits the nodes counted in doubt").isLessThanOrEqualTo((int) inDoubt);
  }

  /** A fault: injected, and lifted, by the time {@link #inject} returns (or by a task it scheduled). */
  interface Fault {
    void inject() throws Exception;
  }

  private final Set<JsonNode> provinceSnapshot = new HashSet<>();
  private ScheduledFuture<?> lifting;

  private void scenario(String name, String prefix, Fault fault) throws Exception {
    provinceCall("POST", "/sim/reset", null);
    provinceSnapshot.clear();
    lifting = null;
    long t0 = System.nanoTime();
    try (RatingLoad load = new RatingLoad(prefix, () -> List.of(api(0), api(1))).start(PER_SECOND)) {
      await(name + ": load before the fault").atMost(Duration.ofMinutes(2)).until(() -> load.acknowledged.size() >= BEFORE);
      long faultAt = System.nanoTime();
      fault.inject();
      if (lifting != null) {
        await(name + ": fault lifted").atMost(Duration.ofMinutes(2)).until(lifting::isDone);
        lifting.get();
      }
      long liftedAt = System.nanoTime();
      int ackedAtLift = load.acknowledged.size();
      // Recovery as the province sees it: when it holds as many ratings as were acknowledged at the lift.
      AtomicLong caughtUp = new AtomicLong();
      int snapshotCount = provinceSnapshot.size();
      ScheduledFuture<?> watch = scheduler.scheduleWithFixedDelay(() -> {
        try {
          if (caughtUp.get() == 0 && snapshotCount + provinceAccepted() >= ackedAtLift) {
            caughtUp.set(System.nanoTime());
          }
        } catch (RuntimeException | IOException | InterruptedException e) {
          // the province is starting: try again
        }
      }, 0, 250, TimeUnit.MILLISECONDS);
      await(name + ": load after the fault").atMost(Duration.ofMinutes(3)).until(() -> load.acknowledged.size() >= ackedAtLift + AFTER);
      load.stop();
      long stoppedAt = System.nanoTime();

      // Drained: every acknowledged rating at the province, nothing left to forward.
      Set<String> acked = Set.copyOf(load.acknowledged.keySet());
      await(name + ": forwarding drained").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
          .until(() -> projects(prefix).keySet().containsAll(acked) && queueDepth("province.forward") == 0);
      long drainedAt = System.nanoTime();
      watch.cancel(false);
      Map<String, Integer> atProvince = projects(prefix);
      JsonNode stats = provinceJson("/sim/stats");
      long identical = stats.path("identicalResends").asLong();
      long nonIdentical = stats.path("duplicatesAttempted").asLong() - identical;
      int duplicates = (int) atProvince.values().stream().filter(n -> n > 1).count() + (int) nonIdentical;
      int lost = (int) acked.stream().filter(c -> !atProvince.containsKey(c)).count();
      int extra = (int) atProvince.keySet().stream().filter(c -> !acked.contains(c)).count();
      long lastIngest202 = Math.min(load.last202Nanos[0].get(), load.last202Nanos[1].get());
      Outcome o = new Outcome(name, load.sent(), acked.size(), load.refused.size(), (int) acked.stream().filter(atProvince::containsKey).count(),
          duplicates, lost, extra, identical, load.failedCalls.get(),
          load.firstFailureNanos.get() == 0 ? 0 : (load.lastFailureNanos.get() - load.firstFailureNanos.get()) / 1_000_000,
          ingestRecoveryMs(load, faultAt, liftedAt),
          caughtUp.get() == 0 ? (drainedAt - liftedAt) / 1_000_000 : Math.max(0, caughtUp.get() - liftedAt) / 1_000_000,
          (drainedAt - stoppedAt) / 1_000_000, load.slowestAckNanos.get() / 1_000_000);
      outcomes.add(o);
      report.add(String.format("%s: fault took %d ms to inject and lift; %d unanswered rating calls (%d of them acknowledged on a retry);"
          + " province stats %s; run %d s", name, (liftedAt - faultAt) / 1_000_000, load.unanswered.size(),
          load.unanswered.stream().filter(load.acknowledged::containsKey).count(), Json.text(stats), (drainedAt - t0) / 1_000_000_000L));
      System.out.println("ClusterChaos " + o);
      assertThat(lastIngest202).as("both nodes answered 202").isPositive();
      assertThat(lost).as(name + ": acknowledged ratings not at the province").isZero();
      assertThat(duplicates).as(name + ": ratings at the province more than once").isZero();
    }
  }

  /** How long after the fault was lifted calls of the load still failed (0: none failed after the lift). */
  private static long ingestRecoveryMs(RatingLoad load, long faultAt, long liftedAt) {
    if (load.lastFailureNanos.get() < faultAt) {
      return 0;
    }
    return Math.max(0, load.lastFailureNanos.get() - liftedAt) / 1_000_000;
  }

  private void after(Duration delay, java.util.concurrent.Callable<?> action) {
    lifting = scheduler.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void after(Duration delay, Runnable action) {
    lifting = scheduler.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Api api(int node) {
    return new Api(nodePorts[node], nodeDirs[node]);
  }

  private static long queueDepth(String queue) {
    return healthDetails(1, "broker").path("queue." + queue + ".depth").asLong(-1);
  }

  /** The details of one health check of a node; missing when the node has no such check. */
  private static JsonNode healthDetails(int node, String checkId) {
    for (JsonNode check : api(node).get("/observe/health").json().get("checks")) {
      if (check.get("id").asText().equals(checkId)) {
        return check.path("details");
      }
    }
    return MissingNode.getInstance();
  }

  /** projectNo -> records of it at the province (before its restart, and now), for this scenario's cases. */
  private Map<String, Integer> projects(String prefix) throws IOException, InterruptedException {
    Map<String, Integer> n = new HashMap<>();
    List<JsonNode> all = new ArrayList<>(provinceSnapshot);
    all.addAll(provinceEvaluations());
    for (JsonNode e : all) {
      String project = e.path("record").path("projectNo").asText();
      if (project.startsWith(prefix + "-")) {
        n.merge(project, 1, Integer::sum);
      }
    }
    return n;
  }

  private static List<JsonNode> provinceEvaluations() throws IOException, InterruptedException {
    List<JsonNode> out = new ArrayList<>();
    provinceJson("/sim/evaluations").forEach(out::add);
    return out;
  }

  private static long provinceAccepted() throws IOException, InterruptedException {
    return provinceJson("/sim/stats").path("evaluationsAccepted").asLong();
  }

  private static long provinceFaultCount() throws IOException, InterruptedException {
    long n = 0;
    for (JsonNode v : provinceJson("/sim/stats").path("faultsInjected")) {
      n += v.asLong();
    }
    return n;
  }

  private static JsonNode provinceJson(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = provinceCall("GET", path, null);
    if (r.statusCode() != 200) {
      throw new IOException(path + " answered " + r.statusCode());
    }
    return Json.MAPPER.readTree(r.body());
  }

  private static HttpResponse<String> provinceCall(String method, String path, String json) throws IOException, InterruptedException {
    return call("http://127.0.0.1:" + provincePort + path, method, json);
  }

  private static JsonNode smscJson(String path) throws IOException, InterruptedException {
    return Json.MAPPER.readTree(call("http://127.0.0.1:" + smscControlPort + path, "GET", null).body());
  }

  private static List<JsonNode> smscMessages() throws IOException, InterruptedException {
    List<JsonNode> out = new ArrayList<>();
    smscJson("/sim/messages").path("messages").forEach(out::add);
    return out;
  }

  private static long smscDropBinds() throws IOException, InterruptedException {
    return Json.MAPPER.readTree(call("http://127.0.0.1:" + smscControlPort + "/sim/drop-binds", "POST", "{}").body()).path("dropped").asLong();
  }

  /** submit_sm the node wrote and got no answer for (the SMSC health check's details). */
  private static long submitsInDoubt(int node) {
    JsonNode inDoubt = healthDetails(node, "smsc").path("submitsInDoubt");
    if (inDoubt.isMissingNode()) { // the health JSON carries detail values as text: asLong reads "2" as 2
      throw new AssertionError("node " + (node + 1) + " shows no submitsInDoubt in its smsc health check");
    }
    return inDoubt.asLong();
  }

  /** mobile -> complete messages the SMSC received for it, for the given mobiles. */
  private static Map<String, Integer> prompted(Set<String> mobiles) throws IOException, InterruptedException {
    Map<String, Integer> n = new HashMap<>();
    for (JsonNode m : smscMessages()) {
      String to = m.path("destination").asText();
      if (mobiles.contains(to)) {
        n.merge(to, 1, Integer::sum);
      }
    }
    return n;
  }

  private static HttpResponse<String> call(String url, String method, String json) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
