package org.haochaping.gateway.channel.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every client is who it claims to be; refused requests store nothing. */
@Tag("db")
class SecurityRouteTest extends GatewayTestSupport {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Sends a rating with the headers given, for hand-made forgeries. */
  private int post(String body, String appKey, String ts, String nonce, String signature) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + environment().port() + "/api/v1/ratings"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (appKey != null) {
      b.header(RequestSignature.APP_KEY, appKey).header(RequestSignature.TIMESTAMP, ts).header(RequestSignature.NONCE, nonce)
          .header(RequestSignature.SIGNATURE, signature);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private String rating(String caseNo) {
    Map<String, Object> r = Fixtures.rating(caseNo, "SATISFIED");
    r.put("case", Fixtures.completedCase(caseNo));
    return Json.text(r);
  }

  private String demoSecret() {
    return api.credential("client.demo.secret");
  }

  @Test
  void unsignedRequestIsRefused() {
    Api.Response r = api.unsigned().post("/api/v1/ratings", rating("S-UNSIGNED"));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().get("code").asText()).isEqualTo("SIGNATURE_REQUIRED");
  }

  @Test
  void wrongSignatureIsRefused() throws Exception {
    String body = rating("S-WRONG");
    String ts = Long.toString(System.currentTimeMillis());
    String sig = RequestSignature.sign("not-the-secret", "POST", "/api/v1/ratings", ts, "n1", body.getBytes(StandardCharsets.UTF_8));
    assertThat(post(body, "demo", ts, "n1", sig)).isEqualTo(401);
  }

  @Test
  void tamperedBodyIsRefused() throws Exception {
    String body = rating("S-TAMPER");
    String ts = Long.toString(System.currentTimeMillis());
    String sig = RequestSignature.sign(demoSecret(), "POST", "/api/v1/ratings", ts, "n2", body.getBytes(StandardCharsets.UTF_8));
    assertThat(post(body.replace("SATISFIED", "VERY_SATISFIED"), "demo", ts, "n2", sig)).isEqualTo(401);
  }

  @Test
  void expiredTimestampIsRefused() throws Exception {
    String body = rating("S-OLD");
    String ts = Long.toString(System.currentTimeMillis() - 301_000);
    String sig = RequestSignature.sign(demoSecret(), "POST", "/api/v1/ratings", ts, "n3", body.getBytes(StandardCharsets.UTF_8));
    assertThat(post(body, "demo", ts, "n3", sig)).isEqualTo(401);
  }

  @Test
  void replayedNonceIsRefused() throws Exception {
    String body = rating("S-REPLAY");
    String ts = Long.toString(System.currentTimeMillis());
    String sig = RequestSignature.sign(demoSecret(), "POST", "/api/v1/ratings", ts, "n4", body.getBytes(StandardCharsets.UTF_8));
    assertThat(post(body, "demo", ts, "n4", sig)).isEqualTo(202);
    assertThat(post(body, "demo", ts, "n4", sig)).isEqualTo(401);
  }

  @Test
  void unknownAppKeyIsRefused() throws Exception {
    String body = rating("S-UNKNOWN");
    String ts = Long.toString(System.currentTimeMillis());
    String sig = RequestSignature.sign(demoSecret(), "POST", "/api/v1/ratings", ts, "n5", body.getBytes(StandardCharsets.UTF_8));
    assertThat(post(body, "nobody", ts, "n5", sig)).isEqualTo(401);
  }

  @Test
  void refusedRequestsStoreNothing() throws Exception {
    unsignedRequestIsRefused();
    wrongSignatureIsRefused();
    tamperedBodyIsRefused();
    expiredTimestampIsRefused();
    unknownAppKeyIsRefused();
    for (String caseNo : new String[] {"S-UNSIGNED", "S-WRONG", "S-TAMPER", "S-OLD", "S-UNKNOWN"}) {
      assertThat(api.get("/api/v1/cases/" + caseNo).status()).as(caseNo).isEqualTo(404);
    }
  }

  @Test
  void adminEndpointsNeedAToken() {
    assertThat(api.unsigned().get("/api/v1/admin/clients").status()).isEqualTo(401);
    assertThat(api.get("/api/v1/admin/clients").status()).as("a client signature is not an admin token").isEqualTo(401);
    assertThat(api.bearer("guessed").get("/api/v1/admin/clients").status()).isEqualTo(401);
    assertThat(api.admin().get("/api/v1/admin/clients").status()).isEqualTo(200);
  }

  @Test
  void viewerCannotChangeAnything() {
    Api.Response created = api.admin().post("/api/v1/admin/tokens", Map.of("name", "night-viewer", "role", "VIEWER"));
    assertThat(created.status()).isEqualTo(201);
    Api viewer = api.bearer(created.json().get("token").asText());
    assertThat(viewer.get("/api/v1/admin/clients").status()).isEqualTo(200);
    Api.Response refused = viewer.post("/api/v1/admin/clients", Map.of("appKey", "by-viewer", "name", "x"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("code").asText()).isEqualTo("OPERATOR_ROLE_REQUIRED");
    assertThat(api.admin().get("/api/v1/admin/clients").text()).doesNotContain("by-viewer");
    assertThat(api.admin().get("/api/v1/admin/audit").text()).contains("night-viewer").contains("REFUSED_403");
  }

  @Test
  void newClientSignsRotatesAndIsDisabledWithoutRestart() {
    Api.Response created = api.admin().post("/api/v1/admin/clients", Map.of("appKey", "lj-shj", "name", "廉江市市场监管局审批系统"));
    assertThat(created.status()).isEqualTo(201);
    String secret = created.json().get("secret").asText();
    Api client = api.as("lj-shj", secret);
    assertThat(client.post("/api/v1/ratings", rating("S-NEW-1")).status()).isEqualTo(202);

    String rotated = api.admin().post("/api/v1/admin/clients/lj-shj/rotate", Map.of("overlapMinutes", 10)).json().get("secret").asText();
    assertThat(api.as("lj-shj", rotated).post("/api/v1/ratings", rating("S-NEW-2")).status()).isEqualTo(202);
    assertThat(client.post("/api/v1/ratings", rating("S-NEW-3")).status()).as("old secret during the overlap").isEqualTo(202);

    assertThat(api.admin().post("/api/v1/admin/clients/lj-shj/disable", "").status()).isEqualTo(200);
    Api.Response refused = api.as("lj-shj", rotated).post("/api/v1/ratings", rating("S-NEW-4"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("code").asText()).isEqualTo("CLIENT_DISABLED");
  }

  @Test
  void clientBeyondItsRateGets429WithRetryAfter() {
    String secret = api.admin().post("/api/v1/admin/clients", Map.of("appKey", "slow", "name", "slow", "ratePerSecond", 2))
        .json().get("secret").asText();
    Api slow = api.as("slow", secret);
    int limited = 0;
    String retryAfter = null;
    for (int i = 0; i < 6; i++) {
      Api.Response r = slow.get("/api/v1/cases/S-NONE");
      if (r.status() == 429) {
        limited++;
        retryAfter = r.headers().firstValue("Retry-After").orElse(null);
      }
    }
    assertThat(limited).isPositive();
    assertThat(retryAfter).isNotNull();
  }

  @Test
  void healthIsOpenToLoadBalancers() {
    assertThat(api.unsigned().get("/observe/health/ready").status()).isEqualTo(200);
  }
}
