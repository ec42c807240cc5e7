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
 * <p>java -cp target/haochaping-gateway.jar bench/rest/SignedRequests.java OUT COUNT APPKEY SECRET CASEPREFIX CASES
 * Ratings rate the staff of CASES pre-created cases (caseNo = CASEPREFIX + i % CASES), each with its
 * own window visit, so every rating has its own natural key.
 */
public class SignedRequests {
  public static void main(String[] a) throws Exception {
    Path out = Path.of(a[0]);
    int count = Integer.parseInt(a[1]);
    String appKey = a[2], secret = a[3], prefix = a[4];
    int cases = Integer.parseInt(a[5]);
    String run = UUID.randomUUID().toString().substring(0, 8);
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (int i = 0; i < count; i++) {
        String body = "{\"caseNo\":\"" + prefix + (i % cases) + "\",\"channel\":\"DEPT_SYSTEM\",\"level\":\"VERY_SATISFIED\","
            + "\"target\":{\"type\":\"STAFF\",\"staffId\":\"S0012\"},\"visitId\":\"" + run + "-" + i + "\"}";
        String ts = Long.toString(System.currentTimeMillis());
        String nonce = run + Integer.toString(i, 36);
        String sig = RequestSignature.sign(secret, "POST", "/api/v1/ratings", ts, nonce, body.getBytes(StandardCharsets.UTF_8));
        w.write(nonce + "\t" + ts + "\t" + sig + "\t" + body + "\n");
      }
    }
    System.out.println("wrote " + count + " signed requests to " + out);
  }
}
