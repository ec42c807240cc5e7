import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.haochaping.gateway.sim.ProvinceLedger;
import org.haochaping.gateway.sim.ProvinceSimulator;

/**
 * Forwarding throughput to the province simulator: how fast the gateway drains a backlog of
 * ratings to the province, with and without batching. See bench/forward/README.md.
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * java -cp target/haochaping-gateway.jar bench/forward/ForwardBench.java --ratings 50000 --batch 100,1
 * </pre>
 *
 * For each batch size: a fresh gateway (the packaged jar, its own JVM, embedded broker and H2)
 * forwards to a simulator in this JVM. The cases are pushed and forwarded first; then the province
 * goes down, the ratings are posted (all durable, waiting in province.forward), the province comes
 * back, and the clock runs from the first rating the province receives to the last.
 */
public class ForwardBench {

  /** Extra options for the gateway's JVM, e.g. --jvm-arg -XX:StartFlightRecording=filename=gw.jfr */
  static final List<String> JVM_ARGS = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    int ratings = 50_000;
    List<Integer> batches = List.of(100, 1);
    String jar = "target/haochaping-gateway.jar";
    int inFlight = 8;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jvm-arg" -> JVM_ARGS.add(args[++i]);
        case "--ratings" -> ratings = Integer.parseInt(args[++i]);
        case "--batch" -> batches = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
        case "--jar" -> jar = args[++i];
        case "--in-flight" -> inFlight = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf("machine: %d cores, %s, Java %s; load average now %s%n", Runtime.getRuntime().availableProcessors(),
        cpu(), System.getProperty("java.version"), Files.readString(Path.of("/proc/loadavg")).strip());
    for (int batch : batches) {
      run(jar, ratings, batch, inFlight);
    }
  }

  static void run(String jar, int ratings, int batch, int inFlight) throws Exception {
    String secret = "bench-" + System.nanoTime();
    try (ProvinceSimulator province = ProvinceSimulator.start(ProvinceSimulator.Settings.hmacJson("guangdong", "hcp-gateway", secret))) {
      Path data = Files.createTempDirectory("hcp-bench-forward-");
      int port = freePort();
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
      cmd.addAll(JVM_ARGS);
      cmd.addAll(List.of("-jar", jar));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      Map<String, String> env = pb.environment();
      env.put("HCP_DATA_DIR", data.toString());
      env.put("HCP_HTTP_HOST", "127.0.0.1");
      env.put("HCP_HTTP_PORT", Integer.toString(port));
      env.put("HCP_BROKER_CORE_ACCEPTOR", "none");
      // No fixed ports besides HTTP: other gateways on the machine may hold 1883, 2775 or 8775.
      env.put("HCP_MQTT_PORT", "-1");
      env.put("HCP_SMSC_SIM_PORT", "0");
      env.put("HCP_SMSC_SIM_CONTROL_PORT", "-1");
      env.put("HCP_PROVINCE_URL", province.baseUrl());
      env.put("HCP_PROVINCE_SECRET", secret);
      env.put("HCP_PROVINCE_BATCH_SIZE", Integer.toString(batch));
      env.put("HCP_PROVINCE_IN_FLIGHT", Integer.toString(inFlight));
      env.put("HCP_PROVINCE_TPS", "0"); // no rate limit: measure what the gateway can do
      pb.redirectErrorStream(true).redirectOutput(data.resolve("gateway.log").toFile());
      Process gateway = pb.start();
      try {
        Client client = new Client(port, data);
        client.awaitReady(gateway);

        // 1. The cases, forwarded while the province is up.
        long t = System.nanoTime();
        parallel(16, ratings, i -> client.post("/api/v1/cases", caseJson(i), 201));
        awaitCount(() -> province.ledger().stats().casesAccepted(), ratings, Duration.ofMinutes(10));
        System.out.printf("%n[batch %d] %d cases posted and forwarded in %.1f s%n", batch, ratings, secs(t));

        // 2. The province goes down; the ratings are posted and wait, durable, in province.forward.
        province.stop();
        t = System.nanoTime();
        int per = 500;
        parallel(4, (ratings + per - 1) / per, b -> client.post("/api/v1/ratings/batch", batchJson(b * per, Math.min(ratings, (b + 1) * per)), 200));
        System.out.printf("[batch %d] %d ratings posted (province down) in %.1f s%n", batch, ratings, secs(t));

        // The other consumers of the ratings (ledger, integrity, statistics, lifecycle, ...) finish first,
        // so that the CPU counted below is the forwarding's, not theirs catching up.
        t = System.nanoTime();
        client.awaitQueuesEmptyExceptProvince(Duration.ofMinutes(10));
        System.out.printf("[batch %d] the other consumers were done %.1f s later%n", batch, secs(t));

        // 3. The province comes back: time the drain, and count the CPU both JVMs spend on it.
        long gatewayCpu = cpuMillis(gateway.pid());
        long benchCpu = cpuMillis(ProcessHandle.current().pid());
        province.restart();
        t = System.nanoTime();
        awaitCount(() -> province.ledger().stats().evaluationsAccepted(), ratings, Duration.ofMinutes(20));
        double wall = secs(t);
        gatewayCpu = cpuMillis(gateway.pid()) - gatewayCpu;
        benchCpu = cpuMillis(ProcessHandle.current().pid()) - benchCpu;
        List<ProvinceLedger.Receipt> received = province.ledger().evaluations();
        Instant first = received.get(0).receivedAt();
        Instant last = received.get(received.size() - 1).receivedAt();
        double drain = Duration.between(first, last).toNanos() / 1e9;
        ProvinceLedger.Stats stats = province.ledger().stats();
        System.out.printf("[batch %d] %d ratings forwarded: %.0f ratings/s (first to last at the province: %.1f s; %.1f s after"
            + " the restart, including the circuit breaker's probe); %d evaluation requests, %d duplicates, %d refused%n",
            batch, received.size(), received.size() / drain, drain, wall, stats.evaluationRequests(), stats.duplicatesAttempted(),
            stats.rejectedByCode().values().stream().mapToLong(Long::longValue).sum());
        System.out.printf("[batch %d] CPU per 1,000 ratings: gateway %.0f ms, simulator (this JVM) %.0f ms; on an otherwise idle"
            + " machine with %d cores that is at most %.0f ratings/s%n", batch, gatewayCpu * 1000.0 / ratings,
            benchCpu * 1000.0 / ratings, Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().availableProcessors() * 1000.0 * ratings / (gatewayCpu + benchCpu));
      } finally {
        gateway.destroy();
        gateway.waitFor();
      }
    }
  }

  interface Task {
    void run(int i) throws Exception;
  }

  static void parallel(int threads, int count, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      all.add(pool.submit(() -> {
        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
          task.run(i);
        }
        return null;
      }));
    }
    try {
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static void awaitCount(java.util.function.LongSupplier count, long target, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (count.getAsLong() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + count.getAsLong() + " of " + target + " after " + max);
      }
      Thread.sleep(50);
    }
  }

  // ISO_OFFSET_DATE_TIME always writes the seconds (toString() leaves out ":00", which the schema refuses)
  static final String ACCEPTED = java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
      OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(2).truncatedTo(ChronoUnit.SECONDS));
  static final String COMPLETED = java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
      OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(1).truncatedTo(ChronoUnit.SECONDS));

  static String caseNo(int i) {
    return String.format("BENCH%09d", i);
  }

  static String caseJson(int i) {
    return "{\"caseNo\":\"" + caseNo(i) + "\",\"taskCode\":\"11440881MB2C93418X4440111001\",\"itemName\":\"个体工商户设立登记\","
        + "\"deptCode\":\"LJSCJGJ\",\"deptName\":\"廉江市市场监督管理局\",\"areaCode\":\"440881000000\",\"hallCode\":\"LJ-ZWFW-01\","
        + "\"windowNo\":\"12\",\"staffId\":\"S0012\",\"staffName\":\"李四\",\"mode\":\"WINDOW\",\"status\":\"COMPLETED\","
        + "\"acceptedAt\":\"" + ACCEPTED + "\",\"completedAt\":\"" + COMPLETED + "\","
        + "\"applicant\":{\"name\":\"张三\",\"idType\":\"111\",\"idNo\":\"440881199001011233\",\"mobile\":\"13812340000\",\"userProp\":\"1\"}}";
  }

  static String batchJson(int from, int to) {
    StringBuilder b = new StringBuilder("[");
    for (int i = from; i < to; i++) {
      if (i > from) {
        b.append(',');
      }
      b.append("{\"caseNo\":\"").append(caseNo(i)).append("\",\"channel\":\"").append(i % 2 == 0 ? "EVALUATOR" : "APP")
          .append("\",\"level\":\"").append(i % 5 == 0 ? "SATISFIED" : "VERY_SATISFIED")
          .append("\",\"evaluator\":{\"name\":\"张三\",\"idType\":\"111\",\"idNo\":\"440881199001011233\",\"mobile\":\"13812340000\",\"userProp\":\"1\"}}");
    }
    return b.append(']').toString();
  }

  static final class Client {
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    final Path data;
    String appKey;
    String secret;

    /** Requests are signed as the demo client the gateway generates into its data directory on first start. */
    Client(int port, Path data) {
      base = "http://127.0.0.1:" + port;
      this.data = data;
    }

    HttpRequest.Builder signed(String method, String path, byte[] body) throws IOException {
      if (secret == null) {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newInputStream(data.resolve("credentials.properties"))) {
          p.load(in);
        }
        appKey = p.getProperty("client.demo.appKey");
        secret = p.getProperty("client.demo.secret");
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
      org.haochaping.gateway.channel.auth.RequestSignature.headers(appKey, secret, method, path, body).forEach(b::header);
      return b;
    }

    void awaitReady(Process gateway) throws InterruptedException {
      for (int i = 0; i < 600; i++) {
        if (!gateway.isAlive()) {
          throw new IllegalStateException("the gateway exited; see its gateway.log");
        }
        try {
          if (http.send(HttpRequest.newBuilder(URI.create(base + "/observe/health/ready")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // starting
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException("the gateway did not become ready");
    }

    /** Waits until every durable queue but the province's is empty, from the depths /observe/health lists. */
    void awaitQueuesEmptyExceptProvince(Duration limit) throws Exception {
      java.util.regex.Pattern depth = java.util.regex.Pattern.compile("\"queue\\.([^\"]+)\\.depth\":\"?(\\d+)");
      long until = System.nanoTime() + limit.toNanos();
      while (true) {
        String health = http.send(HttpRequest.newBuilder(URI.create(base + "/observe/health")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = depth.matcher(health);
        List<String> busy = new ArrayList<>();
        while (m.find()) {
          if (!m.group(1).contains("province") && Long.parseLong(m.group(2)) > 0) {
            busy.add(m.group(1) + "=" + m.group(2));
          }
        }
        if (busy.isEmpty()) {
          return;
        }
        if (System.nanoTime() > until) {
          throw new IllegalStateException("queues still busy after " + limit + ": " + busy);
        }
        Thread.sleep(200);
      }
    }

    /** Posts, retrying what a client should retry (503, a broken connection); anything else unexpected stops the run. */
    void post(String path, String json, int expected) throws Exception {
      for (int attempt = 1; ; attempt++) {
        HttpResponse<String> r;
        try {
          byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          r = http.send(signed("POST", path, body).timeout(Duration.ofMinutes(2))
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
              HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          if (attempt < 5) {
            Thread.sleep(500L * attempt);
            continue;
          }
          throw e;
        }
        boolean unavailableItems = path.endsWith("/batch") && r.body().contains("\"status\":503");
        if ((r.statusCode() == 503 || unavailableItems) && attempt < 5) {
          Thread.sleep(500L * attempt);
          continue;
        }
        // a retried batch answers its items as replays (200, same ratingIds): fine
        if (r.statusCode() != expected && !(expected == 201 && r.statusCode() == 200 && attempt > 1)
            || path.endsWith("/batch") && !r.body().contains("\"rejected\":0")) {
          String msg = path + " answered " + r.statusCode() + ": " + r.body().substring(0, Math.min(500, r.body().length()));
          System.err.println(msg);
          throw new IllegalStateException(msg);
        }
        return;
      }
    }
  }

  /** User + system CPU time of a process so far, from /proc (Linux), in ms. */
  static long cpuMillis(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime, stime in ticks of 10 ms
  }

  static double secs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String cpu() throws IOException {
    return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
        .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
  }
}
