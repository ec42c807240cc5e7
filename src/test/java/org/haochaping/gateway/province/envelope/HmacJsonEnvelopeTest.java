package org.haochaping.gateway.province.envelope;

import org.haochaping.gateway.support.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.haochaping.gateway.province.envelope.EnvelopeException.Reason;
import org.junit.jupiter.api.Test;

class HmacJsonEnvelopeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NEW_YEAR_2026 = Instant.parse("2026-01-01T00:00:00Z"); // 1767225600000
  private static final String NONCE = "0123456789abcdef0123456789abcdef";
  private static final String PAYLOAD = "{\"records\":[{\"projectNo\":\"44000020260101000001\",\"satisfaction\":\"5\"}]}";

  private final MutableClock clock = new MutableClock(NEW_YEAR_2026);
  private final HmacJsonEnvelope gateway = new HmacJsonEnvelope("hcp-gateway", "demo-secret", clock, Duration.ofSeconds(300));
  private final HmacJsonEnvelope province = new HmacJsonEnvelope("hcp-gateway", "demo-secret", clock, Duration.ofSeconds(300));

  @Test
  void signatureMatchesOneComputedWithOpenSsl() {
    // data='{"records":[{"projectNo":"44000020260101000001","satisfaction":"5"}]}'
    // h=$(printf '%s' "$data" | openssl dgst -sha256 -r | cut -d' ' -f1)
    //   -> a5cc6f530b026d25018edad61b9a73f52f6598cff8fb17e83a9c6e8ea33a98eb
    // printf 'hcp-gateway\n1767225600000\n0123456789abcdef0123456789abcdef\n%s' "$h" \
    //   | openssl dgst -sha256 -hmac 'demo-secret' -binary | base64
    assertThat(HmacJsonEnvelope.signature("demo-secret", "hcp-gateway", "1767225600000", NONCE, PAYLOAD))
        .isEqualTo("dgea9ZKM2i42Kze6cWYNDOKdB2OZIUAelNI8lz2Om34=");
  }

  @Test
  void sealedBodyIsTheDocumentedJson() throws Exception {
    HmacJsonEnvelope fixedNonce = new HmacJsonEnvelope("hcp-gateway", "demo-secret", clock, Duration.ofSeconds(300), () -> NONCE);
    SealedRequest sealed = fixedNonce.seal(PAYLOAD.getBytes(StandardCharsets.UTF_8));

    assertThat(sealed.contentType()).isEqualTo("application/json;charset=UTF-8");
    assertThat(sealed.headers()).isEmpty();
    assertThat(sealed.bodyText())
        .isEqualTo(
            "{\"appKey\":\"hcp-gateway\",\"timestamp\":\"1767225600000\",\"nonce\":\"" + NONCE + "\","
                + "\"data\":" + JSON.writeValueAsString(PAYLOAD) + ","
                + "\"signature\":\"dgea9ZKM2i42Kze6cWYNDOKdB2OZIUAelNI8lz2Om34=\"}");
  }

  @Test
  void roundTripKeepsChineseTextIntact() throws Exception {
    byte[] payload = "{\"records\":[{\"writingEvaluation\":\"窗口人员服务热情，办事高效\"}]}".getBytes(StandardCharsets.UTF_8);
    assertThat(province.open(gateway.seal(payload))).isEqualTo(payload);
  }

  @Test
  void eachSealUsesAFreshNonce() throws Exception {
    byte[] payload = PAYLOAD.getBytes(StandardCharsets.UTF_8);
    JsonNode first = JSON.readTree(gateway.seal(payload).body());
    JsonNode second = JSON.readTree(gateway.seal(payload).body());
    assertThat(first.get("nonce").asText()).matches("[0-9a-f]{32}").isNotEqualTo(second.get("nonce").asText());
  }

  @Test
  void tamperedDataIsRefused() {
    SealedRequest tampered = edit(gateway.seal(PAYLOAD.getBytes(StandardCharsets.UTF_8)), "data", PAYLOAD.replace("\"5\"", "\"1\""));
    assertRefused(() -> province.open(tampered), Reason.BAD_SIGNATURE);
  }

  @Test
  void wrongSecretIsRefused() {
    HmacJsonEnvelope impostor = new HmacJsonEnvelope("hcp-gateway", "guessed-secret", clock, Duration.ofSeconds(300));
    SealedRequest sealed = impostor.seal(PAYLOAD.getBytes(StandardCharsets.UTF_8));
    assertRefused(() -> province.open(sealed), Reason.BAD_SIGNATURE);
  }

  @Test
  void unknownAppKeyIsRefused() {
    HmacJsonEnvelope stranger = new HmacJsonEnvelope("someone-else", "demo-secret", clock, Duration.ofSeconds(300));
    SealedRequest sealed = stranger.seal(PAYLOAD.getBytes(StandardCharsets.UTF_8));
    assertRefused(() -> province.open(sealed), Reason.UNKNOWN_APP);
  }

  @Test
  void replayedNonceIsRefused() throws Exception {
    SealedRequest sealed = gateway.seal(PAYLOAD.getBytes(StandardCharsets.UTF_8));
    province.open(sealed);
    assertRefused(() -> province.open(sealed), Reason.REPLAYED_NONCE);
  }

  @Test
  void timestampOlderThanFiveMinutesIsRefused() throws Exception {
    SealedRequest sealed = gateway.seal(PAYLOAD.getBytes(StandardCharsets.UTF_8));
    clock.advance(Duration.ofSeconds(300));
    HmacJsonEnvelope sameProvinceLater = new HmacJsonEnvelope("hcp-gateway", "demo-secret", clock, Duration.ofSeconds(300));
    assertThat(sameProvinceLater.open(sealed)).isNotEmpty(); // exactly 300 s: still fresh

    SealedRequest sealed2 = gateway.seal(PAYLOAD.getBytes(StandardCharsets.UTF_8));
    clock.advance(Duration.ofSeconds(301));
    assertRefused(() -> province.open(sealed2), Reason.STALE_TIMESTAMP);
  }

  @Test
  void timestampFromTheFutureIsRefused() {
    MutableClock senderClock = new MutableClock(NEW_YEAR_2026.plusSeconds(301));
    HmacJsonEnvelope fastSender = new HmacJsonEnvelope("hcp-gateway", "demo-secret", senderClock, Duration.ofSeconds(300));
    SealedRequest sealed = fastSender.seal(PAYLOAD.getBytes(StandardCharsets.UTF_8));
    assertRefused(() -> province.open(sealed), Reason.STALE_TIMESTAMP);
  }

  @Test
  void bodiesThatAreNotTheEnvelopeAreMalformed() {
    assertRefused(() -> province.open(SealedRequest.json("not json".getBytes(StandardCharsets.UTF_8))), Reason.MALFORMED);
    assertRefused(() -> province.open(SealedRequest.json("{\"appKey\":\"hcp-gateway\"}".getBytes(StandardCharsets.UTF_8))), Reason.MALFORMED);
    SealedRequest textTimestamp = edit(gateway.seal(PAYLOAD.getBytes(StandardCharsets.UTF_8)), "timestamp", "yesterday");
    assertRefused(() -> province.open(textTimestamp), Reason.MALFORMED);
  }

  @Test
  void refusalCarriesChineseAndEnglish() {
    SealedRequest tampered = edit(gateway.seal(PAYLOAD.getBytes(StandardCharsets.UTF_8)), "signature", "AAAA");
    assertThatThrownBy(() -> province.open(tampered))
        .isInstanceOfSatisfying(
            EnvelopeException.class,
            e -> {
              assertThat(e.code()).isEqualTo("BAD_SIGNATURE");
              assertThat(e.bilingualMessage()).startsWith("签名验证失败 (signature verification failed");
            });
  }

  @Test
  void systemClockConstructorWorks() throws Exception {
    HmacJsonEnvelope a = new HmacJsonEnvelope("k", "s");
    HmacJsonEnvelope b = (HmacJsonEnvelope) ProvinceEnvelopes.create("hmac-json", java.util.Map.of("appKey", "k", "secret", "s"), Clock.systemUTC());
    assertThat(b.open(a.seal("{}".getBytes(StandardCharsets.UTF_8)))).asString(StandardCharsets.UTF_8).isEqualTo("{}");
  }

  static SealedRequest edit(SealedRequest sealed, String field, String value) {
    try {
      ObjectNode body = (ObjectNode) JSON.readTree(sealed.body());
      body.put(field, value);
      return SealedRequest.json(JSON.writeValueAsBytes(body));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void assertRefused(ThrowingCallable open, Reason reason) {
    assertThatThrownBy(open)
        .isInstanceOfSatisfying(EnvelopeException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
