// SMS throughput of the gateway against the SMSC simulator (docs/benchmarks.md "SMS").
//
//   mvn -B -q package -DskipTests
//   java -cp target/haochaping-gateway.jar bench/sms/SmsBench.java [count] [tps ...]
//
// For each TPS (0 = unthrottled) it starts a fresh gateway in this JVM (embedded Artemis, H2 under
// a temporary directory) bound to an SMSC simulator over a real SMPP socket, stops the sending
// route, queues `count` SMS through the same outbox every prompt uses (logged, sealed, persistent
// in sms.outbox), starts the route and measures at the simulator: submit_sm per second from the
// first to the last receive time, the most submit_sm in any 1 s window, and how long until every
// SMS is logged DELIVERED (receipts included). Unthrottled, a warm-up round of `-Dwarmup` SMS (half
// the count unless set) goes first, unmeasured: a cold JVM spends a third of its CPU compiling.
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.haochaping.gateway.GatewayConfiguration;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.sim.PeakRate;
import org.haochaping.gateway.sim.SmscSimulator;
import org.haochaping.gateway.sim.SubmittedPart;
import org.haochaping.gateway.sms.SmsKind;
import org.haochaping.gateway.sms.SmsOutbox;
import org.haochaping.gateway.sms.SmscLink;

public class SmsBench {

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int[] tpsList = args.length > 1 ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray() : new int[] {100, 0};
    int window = Integer.parseInt(System.getProperty("window", "16"));
    int senders = Integer.parseInt(System.getProperty("senders", "32"));
    boolean receipts = Boolean.parseBoolean(System.getProperty("receipts", "true"));
    int warmup = Integer.parseInt(System.getProperty("warmup", Integer.toString(count / 2)));
    System.out.printf("| TPS setting | window / senders | SMS (warm-up + measured) | submit_sm | submit_sm/s (first..last receive) | max in any 1 s "
        + "| all DELIVERED (or SUBMITTED) after | CPU per SMS (gateway + simulator) | load avg |%n");
    System.out.printf("|---|---|---|---|---|---|---|---|---|%n");
    for (int tps : tpsList) {
      run(count, warmup, tps, window, senders, receipts);
    }
    System.exit(0);
  }

  static void run(int count, int warmup, int tps, int window, int senders, boolean receipts) throws Exception {
    Path data = Files.createTempDirectory("sms-bench-");
    try (SmscSimulator smsc = SmscSimulator.start(SmscSimulator.Settings.defaults().withCredentials("bench", "bench123"))) {
      Main main = new Main();
      main.configure().addConfiguration(GatewayConfiguration.class);
      main.addOverrideProperty("hcp.data.dir", data.toString());
      main.addOverrideProperty("hcp.http.host", "127.0.0.1");
      main.addOverrideProperty("hcp.http.port", Integer.toString(freePort()));
      main.addOverrideProperty("hcp.broker.coreAcceptor", "none");
      main.addOverrideProperty("hcp.mqtt.port", "-1");
      main.addOverrideProperty("hcp.province.sim.port", "0");
      main.addOverrideProperty("hcp.smsc.host", "127.0.0.1");
      main.addOverrideProperty("hcp.smsc.port", Integer.toString(smsc.port()));
      main.addOverrideProperty("hcp.smsc.systemId", "bench");
      main.addOverrideProperty("hcp.smsc.password", "bench123");
      main.addOverrideProperty("hcp.smsc.tps", Integer.toString(tps));
      main.addOverrideProperty("hcp.smsc.windowSize", Integer.toString(window));
      main.addOverrideProperty("hcp.smsc.senders", Integer.toString(senders));
      main.addOverrideProperty("hcp.smsc.registeredDelivery", receipts ? "1" : "0");
      for (String key : new String[] {"hcp.db.url", "hcp.db.user", "hcp.db.password"}) {
        if (System.getProperty(key) != null) {
          main.addOverrideProperty(key, System.getProperty(key));
        }
      }
      main.start();
      CamelContext camel = main.getCamelContext();
      SmscLink link = camel.getRegistry().lookupByNameAndType("smscLink", SmscLink.class);
      while (!link.isBound()) {
        Thread.sleep(50);
      }
      SmsOutbox outbox = camel.getRegistry().lookupByNameAndType("smsOutbox", SmsOutbox.class);
      GatewayCore core = camel.getRegistry().lookupByNameAndType("gatewayCore", GatewayCore.class);
      String settledAs = receipts ? "hcp.sms.delivered" : "hcp.sms.submitted";
      camel.getRouteController().stopRoute("sms-send");
      String run = Long.toHexString(System.nanoTime()); // fresh SMS ids on a database kept between runs
      if (tps == 0 && warmup > 0) {
        // not measured: the JIT compiles the sending path (it took a third of the CPU in the first
        // 10 s of a cold run), the consumers grow, the broker's and H2's caches fill
        queue(outbox, "warmup:" + run, warmup);
        camel.getRouteController().startRoute("sms-send");
        awaitSettled(core, settledAs, warmup);
        camel.getRouteController().stopRoute("sms-send");
      }
      queue(outbox, "bench:" + run, count);
      smsc.clear();
      double settledBefore = core.meters().counter(settledAs, "kind", "HELP").count();
      var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpuStart = os.getProcessCpuTime();
      long start = System.nanoTime();
      camel.getRouteController().startRoute("sms-send");
      while (smsc.messages().size() < count) {
        Thread.sleep(20);
      }
      List<SubmittedPart> parts = smsc.parts();
      long[] nanos = parts.stream().mapToLong(SubmittedPart::receivedNanos).sorted().toArray();
      double seconds = (nanos[nanos.length - 1] - nanos[0]) / 1e9;
      int peak = PeakRate.maxInAnyWindow(nanos, Duration.ofSeconds(1));
      // every SMS logged DELIVERED (its receipt came back and settled it), or without receipts SUBMITTED
      awaitSettled(core, settledAs, settledBefore + count);
      double settled = (System.nanoTime() - start) / 1e9;
      double cpuMs = (os.getProcessCpuTime() - cpuStart) / 1e6 / count;
      System.out.printf("| %s%s | %d / %d | %d + %d | %d | %.0f | %d | %.1f s | %.2f ms | %.1f |%n", tps == 0 ? "unthrottled" : Integer.toString(tps),
          receipts ? "" : ", no receipts", window, senders, tps == 0 ? warmup : 0, count, parts.size(), (parts.size() - 1) / seconds, peak, settled, cpuMs,
          os.getSystemLoadAverage());
      main.stop();
    }
  }

  /** Queues {@code count} one-part SMS through the outbox, 16 at a time. */
  static void queue(SmsOutbox outbox, String prefix, int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<?>> queued = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      queued.add(pool.submit(() -> outbox.enqueue(new SmsOutbox.Outgoing(prefix + ":" + n, SmsKind.HELP,
          null, String.format("139%08d", n), "10690000123", "【政务服务好差评】您办理的业务已办结，请回复1-5评价。编号" + n))));
    }
    for (Future<?> f : queued) {
      f.get();
    }
    pool.shutdown();
  }

  static void awaitSettled(GatewayCore core, String counter, double atLeast) throws InterruptedException {
    while (core.meters().counter(counter, "kind", "HELP").count() < atLeast) {
      Thread.sleep(20);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
