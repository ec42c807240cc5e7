import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency of every statistics endpoint on a data directory loaded by {@code LoadRatings.java}.
 *
 * <pre>
 * java -Xmx2g -cp target/haochaping-gateway.jar bench/stats/LoadRatings.java DATA_DIR 1000000
 * java -cp target/haochaping-gateway.jar bench/stats/QueryStats.java DATA_DIR [--reps 20] [--warmup 3]
 *     [--jar target/haochaping-gateway.jar] [--heap 1g] [--month 2026-06-15] [--year 2026-01-01] [--only REGEX]
 * </pre>
 *
 * Starts the packaged gateway (its own JVM, embedded broker, the H2 database of DATA_DIR, or PostgreSQL when
 * HCP_DB_URL/HCP_DB_USER/HCP_DB_PASSWORD are set in this process's environment) on a free port, waits until it
 * is ready, reads the admin token from DATA_DIR/credentials.properties, and then, one request at a time (no
 * concurrency: the latency of a single figure, not throughput), for a month and for the year: every dimension's
 * list (ranking of all units), one unit of each dimension, a region subtree, the rankings of the regions below a
 * city and a county, the CSV and XLSX exports; and a range cut into days and months. Each endpoint gets {@code --warmup} unmeasured requests and then
 * {@code --reps} measured ones; p50/p99/max are of the measured ones, client side, the whole body read. The
 * baseline in the same run is {@code GET /observe/health/live}, the cheapest request on the same server.
 * The gateway is stopped at the end.
 */
public class QueryStats {

  record Endpoint(String name, String path) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: QueryStats DATA_DIR [--reps N] [--warmup N] [--jar PATH] [--heap SIZE] [--month DATE] [--year DATE] [--only REGEX]");
      System.exit(2);
    }
    Path data = Path.of(args[0]).toAbsolutePath();
    int reps = 20;
    int warmup = 3;
    String jar = "target/haochaping-gateway.jar";
    String heap = "1g";
    String month = "2026-06-15";
    String year = "2026-01-01";
    String only = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--jar" -> jar = args[++i];
        case "--heap" -> heap = args[++i];
        case "--month" -> month = args[++i];
        case "--year" -> year = args[++i];
        case "--only" -> only = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf("machine: %d cores, %s, Java %s; load average before: %s%n", Runtime.getRuntime().availableProcessors(), cpu(),
        System.getProperty("java.version"), loadavg());
    System.out.printf("data: %s, database: %s, gateway heap %s, %d warm-up + %d measured requests per endpoint, one at a time%n",
        data, System.getenv().getOrDefault("HCP_DB_URL", "H2 (embedded, the data directory's)"), heap, warmup, reps);

    int port = freePort();
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap, "-jar", jar);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("HCP_DATA_DIR", data.toString());
    env.put("HCP_HTTP_HOST", "127.0.0.1");
    env.put("HCP_HTTP_PORT", Integer.toString(port));
    env.put("HCP_BROKER_CORE_ACCEPTOR", "none");
    env.put("HCP_PROVINCE_SIM_PORT", "0");
    env.put("HCP_MQTT_HOST", "127.0.0.1");
    env.put("HCP_MQTT_PORT", Integer.toString(freePort()));
    env.put("HCP_SMSC_SIM_PORT", "0");
    env.put("HCP_SMSC_SIM_CONTROL_PORT", "-1");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("gateway-querystats.log").toFile()));
    long t0 = System.nanoTime();
    Process gateway = pb.start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String base = "http://127.0.0.1:" + port;
      awaitReady(http, base, gateway);
      System.out.printf("gateway ready in %.1f s (pid %d, log %s)%n", (System.nanoTime() - t0) / 1e9, gateway.pid(),
          data.resolve("gateway-querystats.log"));
      Properties credentials = new Properties();
      try (var in = Files.newInputStream(data.resolve("credentials.properties"))) {
        credentials.load(in);
      }
      String token = credentials.getProperty("admin.token");
      Client client = new Client(http, base, token);

      List<Endpoint> endpoints = new ArrayList<>();
      endpoints.add(new Endpoint("baseline GET /observe/health/live", "/observe/health/live"));
      for (String[] p : List.of(new String[] {"month", month}, new String[] {"year", year})) {
        String q = "?period=" + p[0] + "&date=" + p[1];
        // Codes to ask for: the first unit of each list (asked once, not measured).
        Map<String, String> first = new LinkedHashMap<>();
        for (String dim : List.of("item", "staff", "businessLine", "hall")) {
          first.put(dim, client.firstCode("/api/v1/stats/" + dim + q + "&limit=1&orderBy=count"));
        }
        first.put("agency", "D44088101");
        first.put("region", "440881000000");
        first.put("channel", "EVALUATOR");
        for (String dim : List.of("item", "agency", "staff", "businessLine", "hall", "region", "channel")) {
          endpoints.add(new Endpoint(p[0] + " list " + dim, "/api/v1/stats/" + dim + q));
        }
        for (String dim : List.of("item", "agency", "staff", "businessLine", "hall", "region", "channel")) {
          endpoints.add(new Endpoint(p[0] + " one " + dim + "/" + first.get(dim), "/api/v1/stats/" + dim + "/" + first.get(dim) + q));
        }
        endpoints.add(new Endpoint(p[0] + " one region/440800000000 (the city)", "/api/v1/stats/region/440800000000" + q));
        endpoints.add(new Endpoint(p[0] + " agencies of county 440881", "/api/v1/stats/agency" + q + "&areaCode=440881000000"));
        endpoints.add(new Endpoint(p[0] + " staff of county 440881", "/api/v1/stats/staff" + q + "&areaCode=440881000000"));
        endpoints.add(new Endpoint(p[0] + " ranking counties of 440800", "/api/v1/stats/region" + q + "&areaCode=440800000000"));
        endpoints.add(new Endpoint(p[0] + " ranking towns of 440881", "/api/v1/stats/region" + q + "&areaCode=440881000000"));
        endpoints.add(new Endpoint(p[0] + " export agency CSV", "/api/v1/stats/export/agency" + q + "&areaCode=440800000000&format=csv"));
        endpoints.add(new Endpoint(p[0] + " export agency XLSX", "/api/v1/stats/export/agency" + q + "&areaCode=440800000000&format=xlsx"));
        endpoints.add(new Endpoint(p[0] + " export staff CSV", "/api/v1/stats/export/staff" + q + "&format=csv"));
      }
      // A range that does not start on a month: day rows at both ends (Period.segments: days, months, days).
      String range = "?from=2026-03-15&to=2026-06-20";
      endpoints.add(new Endpoint("range 03-15..06-20 list agency", "/api/v1/stats/agency" + range));
      endpoints.add(new Endpoint("range 03-15..06-20 one region/440800000000", "/api/v1/stats/region/440800000000" + range));
      endpoints.add(new Endpoint("baseline GET /observe/health/live (again, at the end)", "/observe/health/live"));

      System.out.printf("%n| endpoint | status | units | body bytes | p50 ms | p99 ms | max ms |%n|---|---|---|---|---|---|---|%n");
      double worst = 0;
      String worstName = null;
      for (Endpoint e : endpoints) {
        if (only != null && !e.name().matches(only) && !e.name().startsWith("baseline")) {
          continue;
        }
        for (int i = 0; i < warmup; i++) {
          client.get(e.path());
        }
        double[] ms = new double[reps];
        Client.Answer last = null;
        for (int i = 0; i < reps; i++) {
          long t = System.nanoTime();
          last = client.get(e.path());
          ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        double max = ms[ms.length - 1];
        if (!e.name().startsWith("baseline") && max > worst) {
          worst = max;
          worstName = e.name();
        }
        System.out.printf("| %s | %d | %s | %,d | %.1f | %.1f | %.1f |%n", e.name(), last.status(), last.total() == null ? "" : last.total(),
            last.bytes(), pct(ms, 50), pct(ms, 99), max);
      }
      System.out.printf("%nslowest statistics request: %s, %.0f ms; load average after: %s%n", worstName, worst, loadavg());
    } finally {
      gateway.destroy();
      gateway.waitFor();
    }
  }

  /** Nearest-rank percentile of sorted values. */
  static double pct(double[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static final class Client {
    private static final Pattern TOTAL = Pattern.compile("\"total\":(\\d+),\"limit\"");
    private static final Pattern CODE = Pattern.compile("\"items\":\\[\\{\"rank\":[^,]*,\"dimension\":\"[^\"]*\",\"code\":\"([^\"]+)\"");

    record Answer(int status, int bytes, String total) {}

    final HttpClient http;
    final String base;
    final String token;

    Client(HttpClient http, String base, String token) {
      this.http = http;
      this.base = base;
      this.token = token;
    }

    Answer get(String path) throws IOException, InterruptedException {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + " -> " + r.statusCode() + " " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
      }
      String total = null;
      if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
        Matcher m = TOTAL.matcher(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        total = m.find() ? m.group(1) : null;
      }
      return new Answer(r.statusCode(), r.body().length, total);
    }

    String firstCode(String path) throws IOException, InterruptedException {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      Matcher m = CODE.matcher(r.body());
      if (r.statusCode() != 200 || !m.find()) {
        throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
      }
      return m.group(1);
    }
  }

  static void awaitReady(HttpClient http, String base, Process gateway) throws InterruptedException {
    for (int i = 0; i < 1500; i++) {
      if (!gateway.isAlive()) {
        throw new IllegalStateException("the gateway exited; see gateway-querystats.log in the data directory");
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(base + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the gateway did not become ready in 5 minutes");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String loadavg() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).strip();
  }

  static String cpu() throws IOException {
    return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
        .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
  }
}
