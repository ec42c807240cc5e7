package org.haochaping.gateway.channel.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The worked example of docs/onboarding.md, computed independently with openssl. */
class RequestSignatureTest {

  @Test
  void signatureOfTheOnboardingExample() {
    byte[] body = "{\"caseNo\":\"A\"}".getBytes(StandardCharsets.UTF_8);
    // printf '%s' '{"caseNo":"A"}' | openssl dgst -sha256 -hex
    assertThat(RequestSignature.sha256Hex(body)).isEqualTo("21160da57c864253e0fc54d2f3b00873e481f31cd4f867cb312fd076759231df");
    assertThat(RequestSignature.canonical("post", "/api/v1/ratings", "1764000000000", "a1b2c3d4", body))
        .isEqualTo("POST\n/api/v1/ratings\n1764000000000\na1b2c3d4\n21160da57c864253e0fc54d2f3b00873e481f31cd4f867cb312fd076759231df");
    // printf 'POST\n/api/v1/ratings\n1764000000000\na1b2c3d4\n<hash>' | openssl dgst -sha256 -hmac s3cret -binary | base64
    assertThat(RequestSignature.sign("s3cret", "POST", "/api/v1/ratings", "1764000000000", "a1b2c3d4", body))
        .isEqualTo("rkWAMJKrHWcLox3EzvTJ2Lr2hWTFhawlG4n+XEwI7JI=");
  }

  @Test
  void emptyBodyHashesToTheEmptyDigest() {
    assertThat(RequestSignature.sha256Hex(new byte[0])).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void comparisonNeedsTheWholeSignature() {
    assertThat(RequestSignature.matches("abc=", "abc=")).isTrue();
    assertThat(RequestSignature.matches("abc=", "abd=")).isFalse();
    assertThat(RequestSignature.matches("abc=", null)).isFalse();
  }
}
