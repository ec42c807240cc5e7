import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * QoS 1 ratings per second from simulated window evaluators to durable storage, with acks.
 *
 * <p>Against a running gateway (bench/mqtt/run.sh starts one on a fresh data directory): pushes
 * one completed window case per rating over REST (not measured), registers the devices over the
 * admin API, connects them over MQTT 5 and lets each keep {@code --inflight} ratings in flight
 * (publish QoS 1, wait for the gateway's ack on its ack topic). Measured: from the first publish to
 * the last ack (an ack means the rating is in the broker's journal), and until the ledger has
 * stored every rating in the database (hcp_ledger_recorded_total).
 *
 * <pre>
 * java -cp target/haochaping-gateway.jar bench/mqtt/MqttEvaluatorBench.java \
 *   --http 18080 --mqtt 11883 --data /tmp/hcp-bench --devices 50 --per-device 2000 --inflight 32
 * </pre>
 */
public final class MqttEvaluatorBench {

  public static void main(String[] args) {
    int code = 0;
    try {
      run(args);
    } catch (Throwable e) {
      e.printStackTrace();
      code = 1;
    }
    // Paho's threads are not daemons.
    System.exit(code);
  }

  static String demoAppKey;
  static String demoSecret;

  /** A POST signed as the demo client the gateway generated (docs/onboarding.md: signing). */
  static HttpRequest.Builder signed(String base, String path, String json) {
    byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
    org.haochaping.gateway.channel.auth.RequestSignature.headers(demoAppKey, demoSecret, "POST", path, body).forEach(b::header);
    return b.POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  static void run(String[] args) throws Exception {
    Map<String, String> o = options(args);
    int httpPort = Integer.parseInt(o.getOrDefault("http", "18080"));
    int mqttPort = Integer.parseInt(o.getOrDefault("mqtt", "11883"));
    Path data = Path.of(o.getOrDefault("data", "data"));
    int devices = Integer.parseInt(o.getOrDefault("devices", "50"));
    int perDevice = Integer.parseInt(o.getOrDefault("per-device", "2000"));
    int inflight = Integer.parseInt(o.getOrDefault("inflight", "32"));
    // Ratings each device sends before the measurement, so that the JIT has compiled the rating path.
    int warmup = Integer.parseInt(o.getOrDefault("warmup", Integer.toString(Math.max(20, perDevice / 5))));
    String run = o.getOrDefault("run", Long.toString(System.currentTimeMillis() % 100000));
    String base = "http://127.0.0.1:" + httpPort;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Properties credentials = new Properties();
    try (InputStream in = Files.newInputStream(data.resolve("credentials.properties"))) {
      credentials.load(in);
    }
    String token = credentials.getProperty("admin.token");
    demoAppKey = credentials.getProperty("client.demo.appKey");
    demoSecret = credentials.getProperty("client.demo.secret");
    int total = devices * perDevice;
    System.out.printf("MQTT evaluator bench: %d devices x %d ratings = %d (after %d each to warm up), %d in flight per device, run %s%n",
        devices, perDevice, total, warmup, inflight, run);

    // 1. Cases: one completed window case per rating, pushed before any device exists (no prompts).
    long t0 = System.nanoTime();
    Semaphore window = new Semaphore(32);
    AtomicInteger failed = new AtomicInteger();
    String acceptedAt = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(2).truncatedTo(ChronoUnit.SECONDS).toString();
    String completedAt = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(1).truncatedTo(ChronoUnit.SECONDS).toString();
    List<CompletableFuture<?>> pushes = new ArrayList<>();
    for (int d = 0; d < devices; d++) {
      for (int i = 0; i < warmup + perDevice; i++) {
        String body = caseJson(caseNo(run, d, i), window(run, d), acceptedAt, completedAt);
        window.acquire();
        pushes.add(http.sendAsync(signed(base, "/api/v1/cases", body).build(),
            HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
              window.release();
              if (e != null || r.statusCode() >= 300) {
                if (failed.incrementAndGet() < 5) {
                  System.out.println("case push failed: " + (e != null ? e : r.statusCode() + " " + r.body()));
                }
              }
            }));
      }
    }
    // The same number of cases for the baseline: the same ratings over REST.
    for (int i = 0; i < total; i++) {
      String body = caseJson("R" + run + "-" + i, "R" + run, acceptedAt, completedAt);
      window.acquire();
      pushes.add(http.sendAsync(signed(base, "/api/v1/cases", body).build(),
          HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            window.release();
            if (e != null || r.statusCode() >= 300) {
              failed.incrementAndGet();
            }
          }));
    }
    CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)).join();
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " cases not pushed");
    }
    System.out.printf("setup: %d cases pushed in %.1f s%n", devices * (warmup + perDevice) + total, (System.nanoTime() - t0) / 1e9);
    // Their completion events pass the prompt route (no evaluator yet, no prompt); let it finish first.
    while (!http.send(HttpRequest.newBuilder(URI.create(base + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString())
        .body().contains("\"queue.evaluator.prompts.depth\":\"0\"")) {
      Thread.sleep(200);
    }

    // 2. Devices, registered over the admin API, connected over MQTT 5.
    List<Device> all = new ArrayList<>();
    for (int d = 0; d < devices; d++) {
      String id = "BENCH-" + run + "-" + d;
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/devices"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
          .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + id + "\",\"hallCode\":\"BENCH\",\"windowNo\":\"" + window(run, d) + "\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new IllegalStateException("registering " + id + ": " + r.statusCode() + " " + r.body());
      }
      Matcher m = Pattern.compile("\"password\":\"([0-9a-f]+)\"").matcher(r.body());
      if (!m.find()) {
        throw new IllegalStateException("no password for " + id);
      }
      all.add(new Device(id, m.group(1), mqttPort, run, d, inflight));
    }
    for (Device d : all) {
      d.connect();
    }
    // Warm-up, not measured.
    for (Device d : all) {
      d.start(0, warmup);
    }
    for (Device d : all) {
      d.done.get(30, TimeUnit.MINUTES);
      d.reset(perDevice);
    }
    while (metric(http, base, "hcp_ledger_recorded_total") < devices * warmup) {
      Thread.sleep(50);
    }
    System.out.printf("warm-up: %d ratings acked and stored%n", devices * warmup);
    double recordedBefore = metric(http, base, "hcp_ledger_recorded_total");
    long gatewayPid = Long.parseLong(o.getOrDefault("gateway-pid", "0"));
    long gatewayCpu0 = cpuMillis(gatewayPid);
    long benchCpu0 = ownCpuMillis();

    // 3. The measurement.
    long start = System.nanoTime();
    for (Device d : all) {
      d.start(warmup, perDevice);
    }
    CountDownLatch done = new CountDownLatch(all.size());
    for (Device d : all) {
      d.done.thenRun(done::countDown);
    }
    if (!done.await(30, TimeUnit.MINUTES)) {
      throw new IllegalStateException("not all acks came within 30 minutes");
    }
    long acked = System.nanoTime() - start;
    double recorded;
    while ((recorded = metric(http, base, "hcp_ledger_recorded_total") - recordedBefore) < total) {
      Thread.sleep(50);
    }
    long stored = System.nanoTime() - start;
    long gatewayCpu = cpuMillis(gatewayPid) - gatewayCpu0;
    long benchCpu = ownCpuMillis() - benchCpu0;

    long[] latencies = all.stream().flatMapToLong(d -> Arrays.stream(d.latencies, 0, d.count.get())).sorted().toArray();
    long accepted = all.stream().mapToLong(d -> d.accepted.get()).sum();
    long refused = all.stream().mapToLong(d -> d.refused.get()).sum();
    System.out.printf("acked:  %d accepted, %d refused in %.2f s = %.0f ratings/s (ack means durable in the broker journal)%n",
        accepted, refused, acked / 1e9, accepted / (acked / 1e9));
    System.out.printf("stored: %.0f rows in the ledger after %.2f s = %.0f ratings/s end to end%n", recorded, stored / 1e9,
        recorded / (stored / 1e9));
    System.out.printf("ack latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", pct(latencies, 50), pct(latencies, 90),
        pct(latencies, 99), latencies[latencies.length - 1] / 1e6);
    if (gatewayPid > 0) {
      System.out.printf("cpu: gateway %.2f ms per rating (%.2f cores busy), load generator %.2f ms per rating (%.2f cores);"
              + " on 2 idle cores the gateway alone would do at most %.0f ratings/s%n",
          gatewayCpu / (double) total, gatewayCpu / (stored / 1e6), benchCpu / (double) total, benchCpu / (stored / 1e6),
          total * 2000.0 / gatewayCpu);
    }
    for (Device d : all) {
      try {
        d.close();
      } catch (MqttException e) {
        System.out.println(d.id + ": " + e.getMessage());
      }
    }

    // Baseline, same run: the same number of ratings over REST (POST /api/v1/ratings), as many in flight.
    Semaphore inFlight = new Semaphore(devices * inflight);
    AtomicInteger accepted202 = new AtomicInteger();
    gatewayCpu0 = cpuMillis(gatewayPid);
    recordedBefore = metric(http, base, "hcp_ledger_recorded_total");
    long restStart = System.nanoTime();
    List<CompletableFuture<?>> posts = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      String body = "{\"caseNo\":\"R" + run + "-" + i + "\",\"channel\":\"SELF_SERVICE_TERMINAL\",\"level\":\"SATISFIED\",\"sourceRef\":\"rest-" + i + "\"}";
      inFlight.acquire();
      posts.add(http.sendAsync(signed(base, "/api/v1/ratings", body).build(),
          HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            inFlight.release();
            if (e == null && r.statusCode() == 202) {
              accepted202.incrementAndGet();
            }
          }));
    }
    CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).join();
    long restAcked = System.nanoTime() - restStart;
    while (metric(http, base, "hcp_ledger_recorded_total") - recordedBefore < accepted202.get()) {
      Thread.sleep(50);
    }
    long restStored = System.nanoTime() - restStart;
    long restCpu = cpuMillis(gatewayPid) - gatewayCpu0;
    System.out.printf("baseline REST: %d ratings 202 in %.2f s = %.0f ratings/s, stored after %.2f s = %.0f ratings/s%s%n",
        accepted202.get(), restAcked / 1e9, accepted202.get() / (restAcked / 1e9), restStored / 1e9,
        accepted202.get() / (restStored / 1e9),
        gatewayPid > 0 ? String.format(", gateway %.2f ms CPU per rating", restCpu / (double) accepted202.get()) : "");
  }

  /** CPU time (user + system) of a process from /proc, in ms; 0 when unknown. */
  static long cpuMillis(long pid) throws IOException {
    if (pid <= 0) {
      return 0;
    }
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 10; // USER_HZ = 100 on Linux
  }

  static long ownCpuMillis() throws IOException {
    return cpuMillis(ProcessHandle.current().pid());
  }

  /** One simulated evaluator: MQTT 5, its own credentials, up to {@code inflight} ratings waiting for their ack. */
  static final class Device implements MqttCallback {
    final String id;
    final String password;
    final MqttAsyncClient client;
    final String run;
    final int n;
    final Semaphore inflight;
    volatile int expected;
    volatile long[] latencies;
    volatile long[] sentAt;
    final AtomicInteger count = new AtomicInteger();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final Map<String, Integer> pending = new ConcurrentHashMap<>();
    volatile CompletableFuture<Void> done = new CompletableFuture<>();

    Device(String id, String password, int port, String run, int n, int inflight) throws MqttException {
      this.id = id;
      this.password = password;
      this.run = run;
      this.n = n;
      this.inflight = new Semaphore(inflight);
      this.client = new MqttAsyncClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
      client.setCallback(this);
    }

    void connect() throws MqttException {
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setUserName(id);
      o.setPassword(password.getBytes(StandardCharsets.UTF_8));
      o.setCleanStart(true);
      o.setReceiveMaximum(65535);
      client.connect(o).waitForCompletion(10_000);
      IMqttToken t = client.subscribe("hcp/evaluators/" + id + "/ack", 1);
      t.waitForCompletion(10_000);
      if (t.getReasonCodes()[0] >= 0x80) {
        throw new IllegalStateException(id + ": subscription refused");
      }
    }

    /** Clears the counts for the next round. */
    void reset(int next) {
      count.set(0);
      accepted.set(0);
      refused.set(0);
      done = new CompletableFuture<>();
    }

    /** Sends ratings {@code from} .. {@code from + n - 1}, each for its own case. */
    void start(int from, int n) {
      expected = n;
      latencies = new long[n];
      sentAt = new long[n];
      Thread t = new Thread(() -> {
        try {
          for (int k = 0; k < n; k++) {
            int i = from + k;
            inflight.acquire();
            String msgId = "m" + i;
            pending.put(msgId, k);
            sentAt[k] = System.nanoTime();
            String body = "{\"msgId\":\"" + msgId + "\",\"caseNo\":\"" + caseNo(run, this.n, i) + "\",\"satisfaction\":" + (3 + i % 3) + "}";
            client.publish("hcp/evaluators/" + id + "/rating", new MqttMessage(body.getBytes(StandardCharsets.UTF_8), 1, false, null));
          }
        } catch (Exception e) {
          done.completeExceptionally(e);
        }
      }, "device-" + id);
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      long now = System.nanoTime();
      String ack = new String(message.getPayload(), StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("\"msgId\":\"([^\"]+)\"").matcher(ack);
      if (!m.find()) {
        return;
      }
      Integer i = pending.remove(m.group(1));
      if (i == null) {
        return;
      }
      if (ack.contains("\"ratingId\"") && !ack.contains("\"error\"")) {
        accepted.incrementAndGet();
      } else {
        if (refused.incrementAndGet() < 3) {
          System.out.println(id + " refused: " + ack);
        }
      }
      latencies[count.getAndIncrement()] = now - sentAt[i];
      inflight.release();
      if (count.get() == expected) {
        done.complete(null);
      }
    }

    void close() throws MqttException {
      client.disconnect().waitForCompletion(5_000);
      client.close();
    }

    @Override
    public void disconnected(MqttDisconnectResponse r) {
      System.out.println(id + " disconnected: " + r);
    }

    @Override
    public void mqttErrorOccurred(MqttException e) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }

  static String caseNo(String run, int device, int i) {
    return "B" + run + "-" + device + "-" + i;
  }

  static String window(String run, int device) {
    return "B" + run + "-" + device;
  }

  static String caseJson(String caseNo, String windowNo, String acceptedAt, String completedAt) {
    return "{\"caseNo\":\"" + caseNo + "\",\"taskCode\":\"11440881MB2C93418X4440111001\",\"itemName\":\"个体工商户设立登记\","
        + "\"deptCode\":\"LJSCJGJ\",\"deptName\":\"廉江市市场监督管理局\",\"areaCode\":\"440881000000\",\"hallCode\":\"BENCH\","
        + "\"windowNo\":\"" + windowNo + "\",\"staffId\":\"S0012\",\"staffName\":\"李四\",\"mode\":\"WINDOW\",\"status\":\"COMPLETED\","
        + "\"acceptedAt\":\"" + acceptedAt + "\",\"completedAt\":\"" + completedAt + "\"}";
  }

  static double metric(HttpClient http, String base, String name) throws IOException, InterruptedException {
    String text = null;
    for (int attempt = 0; text == null; attempt++) {
      try {
        text = http.send(HttpRequest.newBuilder(URI.create(base + "/observe/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
      } catch (IOException e) {
        if (attempt >= 20) {
          throw e;
        }
        Thread.sleep(500); // a busy machine: ask again
      }
    }
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> o = new ConcurrentHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return o;
  }
}
