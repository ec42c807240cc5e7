import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.haochaping.gateway.broker.BrokerClient;
import org.haochaping.gateway.broker.BrokerTopology;
import org.haochaping.gateway.broker.DurablePublisher;
import org.haochaping.gateway.broker.EmbeddedBroker;

/**
 * Ceiling B of bench/rest/run.sh: persistent sends to the gateway's own broker set-up and nothing
 * else. It uses the gateway's classes from its jar, so nothing is re-implemented: the embedded
 * Artemis of {@code EmbeddedBroker} (same journal settings and address settings) on a fresh
 * directory, the connection factory of {@code BrokerClient} (confirmation window, durable sends)
 * and {@code DurablePublisher} (8 lanes, async sends with a completion listener, duplicate-detection
 * id), and the same fan-out: the {@code ratings} address with as many durable queues as the gateway
 * binds to it by default (ledger, stats, province forwarding, lifecycle ×2, integrity), each drained
 * by a consumer that acknowledges, as the gateway's consumers do, so the journal neither pages nor grows.
 *
 * <p>N threads each send one message of the size of an encoded rating and wait for the broker's
 * confirmation before the next — a request thread that answers 202 once the journal holds the rating.
 * Reported: confirmed messages/s after a warm-up, latency percentiles of send → confirmation.
 *
 * <p>java -cp target/haochaping-gateway.jar bench/rest/ArtemisCeiling.java DIR SECONDS THREADS [QUEUES=6] [WARMUP_SECONDS=5]
 */
public class ArtemisCeiling {
  public static void main(String[] a) throws Exception {
    Path dir = Path.of(a[0]);
    int seconds = Integer.parseInt(a[1]);
    int threads = Integer.parseInt(a[2]);
    int queues = a.length > 3 ? Integer.parseInt(a[3]) : 6;
    int warmup = a.length > 4 ? Integer.parseInt(a[4]) : 5;
    Files.createDirectories(dir);
    EmbeddedBroker broker = EmbeddedBroker.start(dir, "");
    ActiveMQConnectionFactory cf = BrokerClient.connectionFactory(EmbeddedBroker.IN_VM_URL, null, null);
    BrokerTopology topology = new BrokerTopology(cf.getServerLocator(), null, null);
    Connection drain = cf.createConnection();
    AtomicLong consumed = new AtomicLong();
    for (int q = 0; q < queues; q++) {
      BrokerTopology.Queue queue = topology.ensure(BrokerTopology.RATINGS, "bench-" + q);
      Session s = drain.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer c = s.createConsumer(s.createQueue(queue.fqqn()));
      c.setMessageListener(m -> consumed.incrementAndGet());
    }
    drain.start();
    DurablePublisher publisher = new DurablePublisher(cf, 8);
    byte[] body = rating();

    AtomicBoolean measuring = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean(false);
    AtomicLong sequence = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long[][] latencies = new long[threads][];
    int[] counts = new int[threads];
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int me = t;
      latencies[t] = new long[1 << 16];
      Thread th = new Thread(() -> {
        while (!stop.get()) {
          long id = sequence.incrementAndGet();
          long t0 = System.nanoTime();
          try {
            publisher.publish(BrokerTopology.RATINGS, body, "bench-" + id, Map.of("caseNo", "C" + id, "channel", "DEPT_SYSTEM"))
                .get(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            errors.incrementAndGet();
            continue;
          }
          if (measuring.get()) {
            if (counts[me] == latencies[me].length) {
              latencies[me] = Arrays.copyOf(latencies[me], counts[me] * 2);
            }
            latencies[me][counts[me]++] = System.nanoTime() - t0;
          }
        }
      }, "sender-" + t);
      senders.add(th);
      th.start();
    }
    Thread.sleep(warmup * 1000L);
    long errors0 = errors.get();
    long cpu0 = cpuMillis();
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    measuring.set(false);
    long elapsed = System.nanoTime() - start;
    long cpu = cpuMillis() - cpu0;
    stop.set(true);
    for (Thread th : senders) {
      th.join();
    }
    long[] all = new long[Arrays.stream(counts).sum()];
    int k = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(latencies[t], 0, all, k, counts[t]);
      k += counts[t];
    }
    Arrays.sort(all);
    double rate = all.length / (elapsed / 1e9);
    System.out.printf("artemis ceiling: %d threads, %d queues on the address, %d-byte messages%n", threads, queues, body.length);
    System.out.printf("confirmed %d in %.2f s = %.0f msg/s; errors %d; latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms;"
            + " process CPU %.2f cores%n",
        all.length, elapsed / 1e9, rate, errors.get() - errors0, pct(all, 50), pct(all, 99), pct(all, 99.9),
        all.length == 0 ? 0 : all[all.length - 1] / 1e6, cpu / (elapsed / 1e6));
    System.out.printf("RESULT artemis rate=%.0f p50=%.2f p99=%.2f p999=%.2f errors=%d cpu=%.2f%n", rate, pct(all, 50), pct(all, 99),
        pct(all, 99.9), errors.get() - errors0, cpu / (elapsed / 1e6));
    publisher.close();
    drain.close();
    cf.close();
    broker.close();
    System.exit(0);
  }

  /** About the size of a rating as RatingCodec writes it to the journal. */
  static byte[] rating() {
    String json = "{\"ratingId\":\"0f0e7a53-1a9c-4c57-9d0e-6f3b0a1d2c3e\",\"caseNo\":\"BENCH-000000000000\",\"channel\":\"DEPT_SYSTEM\","
        + "\"level\":\"VERY_SATISFIED\",\"score\":5,\"target\":{\"type\":\"STAFF\",\"staffId\":\"S0012\",\"staffName\":\"李四\"},"
        + "\"visitId\":\"abcdef01-000000\",\"taskCode\":\"11440881MB2C93418X4440111001\",\"itemName\":\"个体工商户设立登记\","
        + "\"deptCode\":\"LJSCJGJ\",\"deptName\":\"廉江市市场监督管理局\",\"areaCode\":\"440881000000\",\"hallCode\":\"BENCH\","
        + "\"windowNo\":\"W01\",\"ratedAt\":\"2026-11-25T08:00:00+08:00\",\"receivedAt\":\"2026-11-25T08:00:00.123+08:00\","
        + "\"clientAppKey\":\"demo\",\"sourceRef\":null,\"tags\":[],\"comment\":null}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static long cpuMillis() throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // USER_HZ = 100
  }

  static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
  }
}
