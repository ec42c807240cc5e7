package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.component.smpp.SmppException;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.junit.jupiter.api.Test;

class SmsSettingsTest {

  private final Map<String, String> props = new HashMap<>();

  private SmsSettings read() {
    return SmsSettings.read(props::get, "http://127.0.0.1:8080");
  }

  @Test
  void defaultsAreTheBuiltInSimulatorAndFiftyTps() {
    SmsSettings s = read();
    assertThat(s.simulated()).isTrue();
    assertThat(s.tps()).isEqualTo(50);
    assertThat(s.quietHours()).isNull();
    assertThat(s.publicBaseUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(s.toString()).contains("built-in simulator");
  }

  @Test
  void permanentStatusesAreHexOrDecimal() {
    assertThat(SmsSettings.statuses("0x0B, 11, 0x58,")).containsExactlyInAnyOrder(0x0B, 0x58);
    assertThatThrownBy(() -> SmsSettings.statuses("0x0B,abc")).hasMessageContaining("abc");
  }

  @Test
  void smppLimitsAreCheckedAtStartUp() {
    props.put("hcp.smsc.host", "smsc.example.cn");
    props.put("hcp.smsc.password", "123456789");
    assertThatThrownBy(this::read).hasMessageContaining("at most 8");
    props.put("hcp.smsc.password", "secret");
    props.put("hcp.smsc.serviceNumber", "106900001234567890");
    props.put("hcp.smsc.extensionDigits", "4");
    assertThatThrownBy(this::read).hasMessageContaining("20");
  }

  @Test
  void thePasswordIsNeverPrinted() {
    props.put("hcp.smsc.host", "smsc.example.cn");
    props.put("hcp.smsc.systemId", "hcp");
    props.put("hcp.smsc.password", "s3cr3t");
    assertThat(read().toString()).doesNotContain("s3cr3t").contains("smsc.example.cn");
  }

  @Test
  void validityIsWrittenInSmppRelativeTime() {
    assertThat(SmsOutbox.relative(Duration.ofHours(24))).isEqualTo("000001000000000R");
    assertThat(SmsOutbox.relative(Duration.ofMinutes(90))).isEqualTo("000000013000000R");
  }

  @Test
  void refusalsAreSortedIntoPermanentAndTransient() {
    var permanent = SmsSettings.statuses("0x0B");
    SmscException badNumber = SmscException.classify(new SmppException(new NegativeResponseException(0x0B)), permanent);
    assertThat(badNumber.isPermanent()).isTrue();
    assertThat(badNumber.getMessage()).contains("ESME_RINVDSTADR");
    SmscException throttled = SmscException.classify(new SmppException(new NegativeResponseException(0x58)), permanent);
    assertThat(throttled.isPermanent()).isFalse();
    assertThat(throttled.commandStatus()).isEqualTo(0x58);
    SmscException timeout = SmscException.classify(new SmppException(new ResponseTimeoutException("no resp")), permanent);
    assertThat(timeout.isPermanent()).isFalse();
    assertThat(timeout.commandStatus()).isEqualTo(-1);
  }
}
