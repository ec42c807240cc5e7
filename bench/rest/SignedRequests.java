import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.haochaping.gateway.channel.auth.RequestSignature;

/**
 * Writes pre-signed rating requests for wrk (bench/rest/replay.lua): one per line,
 * {@code nonce \t timestamp \t signature \t body}. Timestamps are now, so the file must be replayed
 * within the gateway's 300-second window.
 *
 * <p>java -cp target/haochaping-gateway.jar bench/rest/SignedRequests.java OUT COUNT APPKEY SECRET CASEPREFIX CASES [SPREAD]
 * Ratings rate the staff of CASES pre-created cases (caseNo = CASEPREFIX + i % CASES), each with its
 * own window visit, so every rating has its own natural key. The staff member is S0012 for every case,
 * or with SPREAD > 1 "S" + (case % SPREAD), as {@code RestBench cases} pushes them.
 */
public class SignedRequests {
  public static void main(String[] a) throws Exception {
    Path out = Path.of(a[0]);
    int count = Integer.parseInt(a[1]);
    String appKey = a[2], secret = a[3], prefix = a[4];
    int cases = Integer.parseInt(a[5]);
    int spread = a.length > 6 ? Integer.parseInt(a[6]) : 1;
    String run = UUID.randomUUID().toString().substring(0, 8);
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (int i = 0; i < count; i++) {
        String body = "{\"caseNo\":\"" + prefix + (i % cases) + "\",\"channel\":\"DEPT_SYSTEM\",\"level\":\"VERY_SATISFIED\","
            + "\"target\":{\"type\":\"STAFF\",\"staffId\":\"" + staff(i % cases, spread) + "\"},\"visitId\":\"" + run + "-" + i + "\"}";
        String ts = Long.toString(System.currentTimeMillis());
        String nonce = run + Integer.toString(i, 36);
        String sig = RequestSignature.sign(secret, "POST", "/api/v1/ratings", ts, nonce, body.getBytes(StandardCharsets.UTF_8));
        w.write(nonce + "\t" + ts + "\t" + sig + "\t" + body + "\n");
      }
    }
    System.out.println("wrote " + count + " signed requests to " + out);
  }

  /** The staff member of case number {@code caseIndex} (RestBench.java pushes the same). */
  static String staff(int caseIndex, int spread) {
    return spread <= 1 ? "S0012" : "S" + (caseIndex % spread);
  }
}
