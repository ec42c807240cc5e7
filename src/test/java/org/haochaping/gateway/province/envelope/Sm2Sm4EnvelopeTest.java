package org.haochaping.gateway.province.envelope;

import org.haochaping.gateway.support.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.haochaping.gateway.province.envelope.HmacJsonEnvelopeTest.assertRefused;
import static org.haochaping.gateway.province.envelope.HmacJsonEnvelopeTest.edit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.haochaping.gateway.province.envelope.EnvelopeException.Reason;
import org.junit.jupiter.api.Test;

class Sm2Sm4EnvelopeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  // Fresh key pairs per run: the envelope must work for any valid pair.
  private static final Sm2KeyPair GATEWAY_KEYS = Sm2KeyPair.generate();
  private static final Sm2KeyPair PROVINCE_KEYS = Sm2KeyPair.generate();
  private static final byte[] PAYLOAD =
      "{\"records\":[{\"projectNo\":\"44000020260101000001\",\"satisfaction\":\"1\",\"writingEvaluation\":\"等候时间太长\"}]}"
          .getBytes(StandardCharsets.UTF_8);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Sm2Sm4Envelope gateway = envelope(GATEWAY_KEYS.privateKeyHex(), PROVINCE_KEYS.publicKeyHex());
  private final Sm2Sm4Envelope province = envelope(PROVINCE_KEYS.privateKeyHex(), GATEWAY_KEYS.publicKeyHex());

  private Sm2Sm4Envelope envelope(String localPrivate, String peerPublic) {
    return new Sm2Sm4Envelope("hcp-gateway", localPrivate, peerPublic, clock, Duration.ofSeconds(300));
  }

  @Test
  void roundTrip() throws Exception {
    assertThat(province.open(gateway.seal(PAYLOAD))).isEqualTo(PAYLOAD);
  }

  @Test
  void everyFieldIsComputedAsDocumented() throws Exception {
    JsonNode body = JSON.readTree(gateway.seal(PAYLOAD).body());
    assertThat(body.fieldNames()).toIterable().containsExactly("appMark", "time", "nonce", "key", "iv", "data", "digest", "sign");

    // 2026-01-01T00:00:00Z is 08:00 in Asia/Shanghai
    assertThat(body.get("time").asText()).isEqualTo("20260101080000");
    assertThat(body.get("nonce").asText()).matches("[0-9a-f]{32}");

    byte[] encryptedKey = Base64.getDecoder().decode(body.get("key").asText());
    assertThat(encryptedKey).hasSize(65 + 32 + 16); // C1 (04||x||y) + C3 (SM3) + C2 (the 16-byte key)
    assertThat(encryptedKey[0]).isEqualTo((byte) 0x04);
    byte[] sm4Key = Guomi.sm2Decrypt(Guomi.sm2PrivateKey(PROVINCE_KEYS.privateKeyHex()), encryptedKey);
    byte[] iv = Base64.getDecoder().decode(body.get("iv").asText());
    assertThat(iv).hasSize(16);

    byte[] ciphertext = Base64.getDecoder().decode(body.get("data").asText());
    assertThat(Guomi.sm4CbcDecrypt(sm4Key, iv, ciphertext)).isEqualTo(PAYLOAD);
    assertThat(body.get("digest").asText()).isEqualTo(HexFormat.of().formatHex(Guomi.sm3(ciphertext)));

    byte[] signed =
        ("hcp-gateway" + body.get("time").asText() + body.get("nonce").asText() + body.get("digest").asText())
            .getBytes(StandardCharsets.UTF_8);
    byte[] signature = Base64.getDecoder().decode(body.get("sign").asText());
    assertThat(signature[0]).as("DER SEQUENCE").isEqualTo((byte) 0x30);
    assertThat(Guomi.sm2Verify(Guomi.sm2PublicKey(GATEWAY_KEYS.publicKeyHex()), signed, signature)).isTrue();
  }

  @Test
  void eachSealUsesAFreshKeyIvAndNonce() throws Exception {
    JsonNode first = JSON.readTree(gateway.seal(PAYLOAD).body());
    JsonNode second = JSON.readTree(gateway.seal(PAYLOAD).body());
    for (String field : new String[] {"nonce", "key", "iv", "data", "sign"}) {
      assertThat(first.get(field)).as(field).isNotEqualTo(second.get(field));
    }
  }

  @Test
  void tamperedCiphertextIsRefused() throws Exception {
    SealedRequest sealed = gateway.seal(PAYLOAD);
    byte[] ciphertext = Base64.getDecoder().decode(JSON.readTree(sealed.body()).get("data").asText());
    ciphertext[0] ^= 1;
    SealedRequest tampered = edit(sealed, "data", Base64.getEncoder().encodeToString(ciphertext));
    assertRefused(() -> province.open(tampered), Reason.DIGEST_MISMATCH);
  }

  @Test
  void tamperedDigestIsRefused() throws Exception {
    SealedRequest sealed = gateway.seal(PAYLOAD);
    byte[] ciphertext = Base64.getDecoder().decode(JSON.readTree(sealed.body()).get("data").asText());
    ciphertext[0] ^= 1;
    SealedRequest tampered =
        edit(
            edit(sealed, "data", Base64.getEncoder().encodeToString(ciphertext)),
            "digest",
            HexFormat.of().formatHex(Guomi.sm3(ciphertext)));
    assertRefused(() -> province.open(tampered), Reason.BAD_SIGNATURE);
  }

  @Test
  void signatureByAnotherPrivateKeyIsRefused() {
    Sm2Sm4Envelope impostor = envelope(Sm2KeyPair.generate().privateKeyHex(), PROVINCE_KEYS.publicKeyHex());
    SealedRequest sealed = impostor.seal(PAYLOAD);
    assertRefused(() -> province.open(sealed), Reason.BAD_SIGNATURE);
  }

  @Test
  void keyEncryptedForAnotherProvinceIsRefused() {
    Sm2Sm4Envelope misdirected = envelope(GATEWAY_KEYS.privateKeyHex(), Sm2KeyPair.generate().publicKeyHex());
    SealedRequest sealed = misdirected.seal(PAYLOAD);
    assertRefused(() -> province.open(sealed), Reason.BAD_DECRYPTION);
  }

  @Test
  void unknownAppMarkIsRefused() {
    Sm2Sm4Envelope stranger =
        new Sm2Sm4Envelope("other-app", GATEWAY_KEYS.privateKeyHex(), PROVINCE_KEYS.publicKeyHex(), clock, Duration.ofSeconds(300));
    SealedRequest sealed = stranger.seal(PAYLOAD);
    assertRefused(() -> province.open(sealed), Reason.UNKNOWN_APP);
  }

  @Test
  void replayedNonceIsRefused() throws Exception {
    SealedRequest sealed = gateway.seal(PAYLOAD);
    province.open(sealed);
    assertRefused(() -> province.open(sealed), Reason.REPLAYED_NONCE);
  }

  @Test
  void staleTimeIsRefused() {
    SealedRequest sealed = gateway.seal(PAYLOAD);
    clock.advance(Duration.ofSeconds(301));
    assertRefused(() -> province.open(sealed), Reason.STALE_TIMESTAMP);
  }

  @Test
  void timeThatIsNotYyyyMmDdHhMmSsIsMalformed() {
    SealedRequest sealed = edit(gateway.seal(PAYLOAD), "time", "2026-01-01 08:00:00");
    assertRefused(() -> province.open(sealed), Reason.MALFORMED);
    SealedRequest notBase64 = edit(gateway.seal(PAYLOAD), "data", "***");
    assertRefused(() -> province.open(notBase64), Reason.MALFORMED);
  }

  /**
   * The worked example of docs/province-guide.md. Both sides use the GB/T
   * 32918.5 key pair and fixed "random" values, so every field can be checked by hand:
   *
   * <ul>
   *   <li>data: printf '{"records":[]}' | openssl enc -sm4-cbc -K 0123456789abcdeffedcba9876543210
   *       -iv 000102030405060708090a0b0c0d0e0f | base64
   *   <li>digest: echo c54a8a893d5dbd830aa3b9eb33f8fa5a | xxd -r -p | openssl dgst -sm3
   *   <li>key: C1 is the standard's C1 (same k), C2 = SM4 key XOR the standard's KDF stream
   *   <li>sign: openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -digest sm3 -in signed.txt
   *       -sigfile sign.der -pkeyopt distid:1234567812345678 -> Signature Verified Successfully
   * </ul>
   */
  @Test
  void guideWorkedExampleIsReproducible() throws Exception {
    String d = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8";
    String p = Sm2KeyPair.fromPrivateKey(d).publicKeyHex();
    byte[] notRandom =
        HexFormat.of()
            .parseHex(
                "0123456789abcdeffedcba9876543210" // SM4 key
                    + "000102030405060708090a0b0c0d0e0f" // IV
                    + "59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21" // k of the SM2 encryption
                    + "6cb28d99385c175c94f94e934817663fc176d925dd72b727260dbaae1fb2f96f"); // k of the SM2 signature
    MutableClock newYear = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Sm2Sm4Envelope example =
        new Sm2Sm4Envelope(
            "hcp-gateway", d, p, newYear, Duration.ofSeconds(300), () -> "0123456789abcdef0123456789abcdef",
            new org.bouncycastle.util.test.FixedSecureRandom(notRandom));

    SealedRequest sealed = example.seal("{\"records\":[]}".getBytes(StandardCharsets.UTF_8));

    assertThat(sealed.bodyText())
        .isEqualTo(
            "{\"appMark\":\"hcp-gateway\",\"time\":\"20260101080000\",\"nonce\":\"0123456789abcdef0123456789abcdef\","
                + "\"key\":\"BATr/HGOjReYYgQyJo53/rZBXi7eDgc8D09kDs0uFJpz6Fj52B5UMKV7Ntqrj5UKPGTm7mpjCU2ZKDr/dn4STfBEI7RI0YtKGoaw4mTpKAB4AyQ6Wo2dCw6JU7/k6Sitz0XFSrx5ESX7ybrp7MimVVk=\","
                + "\"iv\":\"AAECAwQFBgcICQoLDA0ODw==\",\"data\":\"xUqKiT1dvYMKo7nrM/j6Wg==\","
                + "\"digest\":\"cbf55d56523ea85990abc6059bddf6fd01c2b51febb6142988206d732887618c\","
                + "\"sign\":\"MEUCIAZTNIQC0DccnemZ1DSz9/6wBb0Y5zMKCirrikOlu60SAiEAw9fL9gPNFmAdu+eXItLrH1gSzyEM7ikZ7j4eBK86EfQ=\"}");
    Sm2Sm4Envelope provinceSide = new Sm2Sm4Envelope("hcp-gateway", d, p, newYear, Duration.ofSeconds(300));
    assertThat(provinceSide.open(sealed)).asString(StandardCharsets.UTF_8).isEqualTo("{\"records\":[]}");
  }

  @Test
  void factoryBuildsTheProvinceSideFromSettings() throws Exception {
    ProvinceEnvelope fromSettings =
        ProvinceEnvelopes.create(
            "sm2-sm4",
            java.util.Map.of(
                "appMark", "hcp-gateway",
                "privateKey", PROVINCE_KEYS.privateKeyHex(),
                "peerPublicKey", GATEWAY_KEYS.publicKeyHex()),
            clock);
    assertThat(fromSettings.kind()).isEqualTo("sm2-sm4");
    assertThat(fromSettings.open(gateway.seal(PAYLOAD))).isEqualTo(PAYLOAD);
  }
}
