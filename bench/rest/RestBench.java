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
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.haochaping.gateway.channel.auth.RequestSignature;

/**
 * The Java side of bench/rest/run.sh, against a running gateway (HTTP on 127.0.0.1:PORT, demo mode):
 *
 * <pre>
 *   cases  DATA PORT PREFIX N [SPREAD]              push N completed window cases PREFIX0..PREFIX(N-1) (not measured)
 *   batch  DATA PORT PREFIX CASES SECONDS SENDERS SIZE [WARMUP_SECONDS] [SPREAD]
 *                                                   POST /api/v1/ratings/batch, SIZE ratings each, SENDERS in a loop
 *   rate   PORT FILE APPKEY RATE SECONDS            open loop: the pre-signed requests of FILE (SignedRequests.java)
 *                                                   sent at RATE/s, latency from each request's scheduled time
 *   soak   DATA PORT PREFIX CASES RATE SECONDS SPREAD PROGRESS [MAX_IN_FLIGHT]
 *                                                   as rate, each request signed when due (no file, any duration);
 *                                                   running counts in the file PROGRESS (bench/rest/soak.sh)
 *   metric PORT NAME                                one value of /observe/metrics
 * </pre>
 *
 * Every line starting with {@code RESULT} is read by run.sh. SPREAD (default 1): the cases are spread
 * over that many halls and staff members (hall BENCH + i % SPREAD, staff S + i % SPREAD); with 1, every
 * case is hall BENCH, staff S0012.
 */
public class RestBench {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static String appKey;
  static String secret;

  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "cases" -> cases(Path.of(a[1]), Integer.parseInt(a[2]), a[3], Integer.parseInt(a[4]), a.length > 5 ? Integer.parseInt(a[5]) : 1);
      case "batch" -> batch(Path.of(a[1]), Integer.parseInt(a[2]), a[3], Integer.parseInt(a[4]), Integer.parseInt(a[5]),
          Integer.parseInt(a[6]), Integer.parseInt(a[7]), a.length > 8 ? Integer.parseInt(a[8]) : 5, a.length > 9 ? Integer.parseInt(a[9]) : 1);
      case "rate" -> rate(Integer.parseInt(a[1]), Path.of(a[2]), a[3], Integer.parseInt(a[4]), Integer.parseInt(a[5]));
      case "soak" -> soak(Path.of(a[1]), Integer.parseInt(a[2]), a[3], Integer.parseInt(a[4]), Integer.parseInt(a[5]),
          Integer.parseInt(a[6]), Integer.parseInt(a[7]), Path.of(a[8]), a.length > 9 ? Integer.parseInt(a[9]) : Integer.MAX_VALUE);
      case "metric" -> System.out.printf("%.0f%n", metric("http://127.0.0.1:" + a[1], a[2]));
      default -> throw new IllegalArgumentException("unknown command " + a[0]);
    }
    System.exit(0);
  }

  static void credentials(Path data) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(data.resolve("credentials.properties"))) {
      p.load(in);
    }
    appKey = p.getProperty("client.demo.appKey");
    secret = p.getProperty("client.demo.secret");
  }

  static HttpRequest signed(String base, String path, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
    RequestSignature.headers(appKey, secret, "POST", path, body).forEach(b::header);
    return b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  static String staff(long caseIndex, int spread) {
    return spread <= 1 ? "S0012" : "S" + (caseIndex % spread);
  }

  static String hall(long caseIndex, int spread) {
    return spread <= 1 ? "BENCH" : "BENCH" + (caseIndex % spread);
  }

  static void cases(Path data, int port, String prefix, int n, int spread) throws Exception {
    credentials(data);
    String base = "http://127.0.0.1:" + port;
    String acceptedAt = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(2).truncatedTo(ChronoUnit.SECONDS).toString();
    String completedAt = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(1).truncatedTo(ChronoUnit.SECONDS).toString();
    Semaphore window = new Semaphore(16);
    AtomicInteger failed = new AtomicInteger();
    long t0 = System.nanoTime();
    List<CompletableFuture<?>> pushes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String body = "{\"caseNo\":\"" + prefix + i + "\",\"taskCode\":\"11440881MB2C93418X4440111001\",\"itemName\":\"个体工商户设立登记\","
          + "\"deptCode\":\"LJSCJGJ\",\"deptName\":\"廉江市市场监督管理局\",\"areaCode\":\"440881000000\",\"hallCode\":\"" + hall(i, spread) + "\","
          + "\"windowNo\":\"W" + (i % 50) + "\",\"staffId\":\"" + staff(i, spread) + "\",\"staffName\":\"李四\",\"mode\":\"WINDOW\",\"status\":\"COMPLETED\","
          + "\"acceptedAt\":\"" + acceptedAt + "\",\"completedAt\":\"" + completedAt + "\","
          // fictional applicant (as bench/forward): the province simulator refuses a case without one
          + "\"applicant\":{\"name\":\"张三\",\"idType\":\"111\",\"idNo\":\"440881199001011233\",\"mobile\":\"13812340000\",\"userProp\":\"1\"}}";
      window.acquire();
      pushes.add(HTTP.sendAsync(signed(base, "/api/v1/cases", body.getBytes(StandardCharsets.UTF_8)), HttpResponse.BodyHandlers.ofString())
          .whenComplete((r, e) -> {
            window.release();
            if (e != null || r.statusCode() >= 300) {
              if (failed.incrementAndGet() < 5) {
                System.out.println("case push failed: " + (e != null ? e : r.statusCode() + " " + r.body()));
              }
            }
          }));
    }
    CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)).join();
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " cases not pushed");
    }
    System.out.printf("setup: %d cases pushed in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * SENDERS threads each POST a batch of SIZE new ratings and wait for the answer, in a loop. Warm-up
   * first (each sender at least one request), then all senders start measured requests together;
   * requests started in the next SECONDS are measured, and the rate is their accepted ratings over
   * the time until the last of them was answered (a batch can take seconds on a busy gateway).
   */
  static void batch(Path data, int port, String prefix, int cases, int seconds, int senders, int size, int warmup, int spread)
      throws Exception {
    credentials(data);
    String base = "http://127.0.0.1:" + port;
    String run = UUID.randomUUID().toString().substring(0, 8);
    AtomicLong sequence = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    AtomicLong requestsDone = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong acceptedAll = new AtomicLong();
    AtomicLong lastEnd = new AtomicLong();
    long[] start = new long[1];
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(senders, () -> start[0] = System.nanoTime());
    long warmupEnd = System.nanoTime() + warmup * 1_000_000_000L;
    Pattern acceptedField = Pattern.compile("\"accepted\":(\\d+)");
    long[][] latencies = new long[senders][1024];
    int[] counts = new int[senders];
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      int me = s;
      Thread t = new Thread(() -> {
        StringBuilder sb = new StringBuilder(size * 200);
        boolean measuring = false;
        while (true) {
          long now = System.nanoTime();
          if (!measuring && now >= warmupEnd) {
            try {
              together.await();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            measuring = true;
          } else if (measuring && now - start[0] >= seconds * 1_000_000_000L) {
            return;
          }
          sb.setLength(0);
          sb.append('[');
          for (int i = 0; i < size; i++) {
            long n = sequence.getAndIncrement();
            if (i > 0) {
              sb.append(',');
            }
            sb.append("{\"caseNo\":\"").append(prefix).append(n % cases)
                .append("\",\"channel\":\"DEPT_SYSTEM\",\"level\":\"VERY_SATISFIED\",\"target\":{\"type\":\"STAFF\",\"staffId\":\"")
                .append(staff(n % cases, spread)).append("\"},\"visitId\":\"b").append(run).append('-').append(n).append("\"}");
          }
          sb.append(']');
          byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
          long t0 = System.nanoTime();
          int ok = 0;
          String problem = null;
          try {
            HttpResponse<String> r = HTTP.send(signed(base, "/api/v1/ratings/batch", body), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
              Matcher m = acceptedField.matcher(r.body());
              ok = m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
            if (ok < size) {
              problem = r.statusCode() + " accepted " + ok + " of " + size + ": " + r.body().substring(0, Math.min(400, r.body().length()));
            }
          } catch (Exception e) {
            problem = e.toString();
          }
          long end = System.nanoTime();
          acceptedAll.addAndGet(ok);
          if (measuring) {
            accepted.addAndGet(ok);
            errors.addAndGet(size - ok);
            requestsDone.incrementAndGet();
            lastEnd.accumulateAndGet(end, Math::max);
            if (counts[me] == latencies[me].length) {
              latencies[me] = Arrays.copyOf(latencies[me], counts[me] * 2);
            }
            latencies[me][counts[me]++] = end - t0;
          }
          if (problem != null && errors.get() < 5L * size) {
            System.out.println("batch: " + problem);
          }
        }
      }, "batch-" + s);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = lastEnd.get() - start[0];
    long[] all = new long[Arrays.stream(counts).sum()];
    int k = 0;
    for (int s = 0; s < senders; s++) {
      System.arraycopy(latencies[s], 0, all, k, counts[s]);
      k += counts[s];
    }
    Arrays.sort(all);
    double rate = accepted.get() / (elapsed / 1e9);
    System.out.printf("batch: %d senders x %d ratings per request: %d requests started in %d s, %d ratings accepted, last answer after %.2f s"
            + " = %.0f ratings/s; refused or failed %d; request latency p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
        senders, size, requestsDone.get(), seconds, accepted.get(), elapsed / 1e9, rate, errors.get(), pct(all, 50), pct(all, 99),
        pct(all, 99.9), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    System.out.printf("RESULT batch rate=%.0f p50=%.1f p99=%.1f p999=%.1f errors=%d requests=%d accepted_total=%d seconds=%.2f%n", rate,
        pct(all, 50), pct(all, 99), pct(all, 99.9), errors.get(), requestsDone.get(), acceptedAll.get(), elapsed / 1e9);
  }

  /** Open loop: request i is due at start + i/rate whatever happened before; its latency counts from then. */
  static void rate(int port, Path file, String key, int rate, int seconds) throws Exception {
    String base = "http://127.0.0.1:" + port;
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int total = Math.min(lines.size(), rate * seconds);
    if (total < rate * seconds) {
      System.out.println("rate: only " + lines.size() + " signed requests for " + rate * seconds);
    }
    HttpRequest[] requests = new HttpRequest[total];
    for (int i = 0; i < total; i++) {
      String[] f = lines.get(i).split("\t", 4);
      requests[i] = HttpRequest.newBuilder(URI.create(base + "/api/v1/ratings")).header("Content-Type", "application/json")
          .header("X-HCP-AppKey", key).header("X-HCP-Timestamp", f[1]).header("X-HCP-Nonce", f[0]).header("X-HCP-Signature", f[2])
          .POST(HttpRequest.BodyPublishers.ofString(f[3])).build();
    }
    openLoop(total, rate, i -> requests[i], null, Integer.MAX_VALUE);
  }

  /**
   * The soak (bench/rest/soak.sh): as {@code rate}, for as long as wanted, each request signed when it
   * is due (a pre-signed file would outlive the gateway's 300-second timestamp window), and the running
   * counts written to PROGRESS every second ({@code sent ok errors in_flight}, one line, replaced whole).
   * The bodies are SignedRequests.java's: case PREFIX + i % CASES, each rating its own visit. At most
   * MAX_IN_FLIGHT requests are unanswered (so at most that many connections): a request due while the
   * cap is reached is sent when one is answered, its latency still counted from when it was due.
   */
  static void soak(Path data, int port, String prefix, int cases, int rate, int seconds, int spread, Path progress, int maxInFlight)
      throws Exception {
    credentials(data);
    String base = "http://127.0.0.1:" + port;
    String run = UUID.randomUUID().toString().substring(0, 8);
    openLoop(Math.multiplyExact(rate, seconds), rate, i -> {
      byte[] body = ("{\"caseNo\":\"" + prefix + (i % cases) + "\",\"channel\":\"DEPT_SYSTEM\",\"level\":\"VERY_SATISFIED\","
          + "\"target\":{\"type\":\"STAFF\",\"staffId\":\"" + staff(i % cases, spread) + "\"},\"visitId\":\"s" + run + "-" + i + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      return signed(base, "/api/v1/ratings", body);
    }, progress, maxInFlight);
  }

  /** Sends request(i) at start + i/rate for i < total, open loop; prints the report and its RESULT line. */
  static void openLoop(int total, int rate, java.util.function.IntFunction<HttpRequest> request, Path progress, int maxInFlight)
      throws Exception {
    Semaphore inFlight = new Semaphore(maxInFlight);
    long[] latency = new long[total];
    AtomicInteger sentCount = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(total);
    java.util.concurrent.ScheduledExecutorService reporter = null;
    // sent ok errors in_flight, one line, replaced whole (the soak script reads it at any moment)
    Runnable report = () -> {
      Path tmp = progress.resolveSibling(progress.getFileName() + ".tmp");
      int done = ok.get() + other.get();
      try {
        Files.writeString(tmp, sentCount.get() + " " + ok.get() + " " + other.get() + " " + (sentCount.get() - done) + "\n");
        Files.move(tmp, progress, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        System.out.println("progress: " + e);
      }
    };
    if (progress != null) {
      reporter = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress");
        t.setDaemon(true);
        return t;
      });
      reporter.scheduleAtFixedRate(report, 0, 1, TimeUnit.SECONDS);
    }
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * interval;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      int me = i;
      inFlight.acquire();
      sentCount.incrementAndGet();
      HTTP.sendAsync(request.apply(i), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
        latency[me] = System.nanoTime() - due;
        inFlight.release();
        if (e == null && r.statusCode() == 202) {
          ok.incrementAndGet();
        } else if (other.incrementAndGet() <= 5 && progress != null) {
          System.out.println("rate: request " + me + ": " + (e != null ? e : "HTTP " + r.statusCode()));
        }
        answered.countDown();
      });
    }
    long sent = System.nanoTime() - start;
    answered.await(120, TimeUnit.SECONDS);
    if (reporter != null) {
      reporter.shutdown();
      reporter.awaitTermination(5, TimeUnit.SECONDS);
      report.run();
    }
    long[] sorted = latency.clone();
    Arrays.sort(sorted);
    System.out.printf("rate: %d requests scheduled at %d/s, all sent after %.2f s (%.0f/s actually offered); %d answered 202, %d other;"
            + " latency from the scheduled time p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
        total, rate, sent / 1e9, total / (sent / 1e9), ok.get(), other.get(), pct(sorted, 50), pct(sorted, 99), pct(sorted, 99.9),
        sorted[sorted.length - 1] / 1e6);
    System.out.printf("RESULT rate offered=%.0f ok=%d errors=%d p50=%.2f p99=%.2f p999=%.2f%n", total / (sent / 1e9), ok.get(), other.get(),
        pct(sorted, 50), pct(sorted, 99), pct(sorted, 99.9));
  }

  static double metric(String base, String name) throws IOException, InterruptedException {
    String text = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
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
}
