package org.haochaping.gateway.province.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProvinceEnvelopesTest {

  @Test
  void connectorPropertiesChooseTheEnvelope() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("province.url", "http://localhost:9080");
    properties.setProperty("province.envelope.kind", "hmac-json");
    properties.setProperty("province.envelope.appKey", "hcp-gateway");
    properties.setProperty("province.envelope.secret", "s3cret");

    ProvinceEnvelope envelope = ProvinceEnvelopes.fromProperties(properties, "province.envelope.");
    assertThat(envelope).isInstanceOf(HmacJsonEnvelope.class);
    assertThat(envelope.open(envelope.seal("{}".getBytes(StandardCharsets.UTF_8)))).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void missingSettingIsNamed() {
    assertThatThrownBy(() -> ProvinceEnvelopes.create("sm2-sm4", Map.of("appMark", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'privateKey'");
    assertThatThrownBy(() -> ProvinceEnvelopes.create("hmac-json", Map.of("appKey", "x")))
        .hasMessageContaining("'secret'");
  }

  @Test
  void unknownKindIsNamed() {
    assertThatThrownBy(() -> ProvinceEnvelopes.create("soap-sm4", Map.of()))
        .hasMessageContaining("soap-sm4")
        .hasMessageContaining("hmac-json");
  }

  @Test
  void payloadThatIsNotUtf8IsACallerBug() {
    ProvinceEnvelope envelope = ProvinceEnvelopes.create("hmac-json", Map.of("appKey", "k", "secret", "s"));
    assertThatThrownBy(() -> envelope.seal(new byte[] {(byte) 0xC3, (byte) 0x28})).isInstanceOf(IllegalArgumentException.class);
  }
}
