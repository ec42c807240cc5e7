package org.haochaping.gateway.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.haochaping.gateway.Json;
import org.junit.jupiter.api.Test;

/** Backoff, rate limit, the province's answers and messages, and the connector profile. */
class ForwardingPiecesTest {

  @Test
  void backoffGrowsExponentiallyUpToItsCap() {
    Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, 0.5);
    assertThat(b.ceiling(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.ceiling(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(b.ceiling(5)).isEqualTo(Duration.ofMillis(3200));
    assertThat(b.ceiling(7)).isEqualTo(Duration.ofSeconds(10));
    assertThat(b.ceiling(60)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void jitterSpreadsTheWaitBelowTheCeiling() {
    Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, 0.5);
    assertThat(b.delay(3, () -> 0.0)).isEqualTo(Duration.ofMillis(400));
    assertThat(b.delay(3, () -> 0.999999)).isEqualTo(Duration.ofMillis(800));
    assertThat(b.delay(3, () -> 0.5)).isBetween(Duration.ofMillis(590), Duration.ofMillis(610));
    Backoff none = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, 0.0);
    assertThat(none.delay(3, () -> 0.7)).isEqualTo(Duration.ofMillis(800));
  }

  @Test
  void pacerSpacesRequestsEvenly() {
    RequestPacer pacer = new RequestPacer(100); // one every 10 ms
    long t0 = -5_000_000_000L; // System.nanoTime() may be negative
    assertThat(pacer.reserve(t0)).isZero();
    assertThat(pacer.reserve(t0)).isEqualTo(10_000_000L);
    assertThat(pacer.reserve(t0 + 5_000_000L)).isEqualTo(15_000_000L);
    assertThat(pacer.reserve(t0 + 1_000_000_000L)).as("an idle pacer lends no burst").isZero();
    assertThat(new RequestPacer(0).reserve(t0)).as("0 = no limit").isZero();
  }

  @Test
  void provinceAnswersAreReadRecordByRecord() throws Exception {
    ProvinceReply reply = ProvinceReply.parse(Json.MAPPER.readTree("""
        {"code":"0000","message":"成功","results":[
          {"projectNo":"P1","assessNumber":"1","serviceNumber":"1","code":"0000","message":"成功"},
          {"projectNo":"P2","assessNumber":"1","serviceNumber":"2","code":"2001","message":"areaCode：须为12位数字"}]}"""));
    assertThat(reply.ok()).isTrue();
    assertThat(reply.results()).hasSize(2);
    assertThat(reply.results().get(0).ok()).isTrue();
    assertThat(reply.results().get(1).code()).isEqualTo("2001");
    assertThat(reply.results().get(1).serviceNumber()).isEqualTo("2");
    assertThat(ProvinceReply.parse(Json.MAPPER.readTree("[1]"))).isNull();
    assertThat(ProvinceReply.parse(null)).isNull();
  }

  @Test
  void personalValuesInAProvinceMessageAreMasked() {
    assertThat(ProvinceText.scrub("certKey 440881199001011233 与手机 13812340000 不符"))
        .isEqualTo("certKey 4408**********1233 与手机 138****0000 不符");
    assertThat(ProvinceText.scrub("areaCode：须为12位数字（行政区划代码）")).isEqualTo("areaCode：须为12位数字（行政区划代码）");
    assertThat(ProvinceText.scrub("x".repeat(5000))).hasSize(ProvinceText.MAX);
  }

  @Test
  void connectorProfileReadsItsKeysAndNeverPrintsSecrets() {
    Map<String, String> p = new HashMap<>();
    p.put("province.url", "https://hcp.example.gov.cn/");
    p.put("province.envelope.kind", "hmac-json");
    p.put("province.envelope.appKey", " gw ");
    p.put("province.envelope.secret", " s3cret ");
    p.put("province.batch.size", "250");
    p.put("province.tps", "0");
    ConnectorProfile c = ConnectorProfile.read("guangdong", p::get);
    assertThat(c.url()).isEqualTo("https://hcp.example.gov.cn");
    assertThat(c.simulated()).isFalse();
    assertThat(c.envelope()).containsEntry("appKey", "gw").containsEntry("secret", " s3cret ");
    assertThat(c.batchSize()).isEqualTo(250);
    assertThat(c.inFlight()).isEqualTo(8);
    assertThat(c.casesPath()).isEqualTo("/api/cases");
    assertThat(c.toString()).doesNotContain("s3cret").contains("unlimited");

    p.put("province.batch.size", "501");
    assertThatThrownBy(() -> ConnectorProfile.read("guangdong", p::get)).hasMessageContaining("province.batch.size");
    p.put("province.batch.size", "many");
    assertThatThrownBy(() -> ConnectorProfile.read("guangdong", p::get)).hasMessageContaining("whole number");
    p.remove("province.envelope.kind");
    p.put("province.batch.size", "1");
    assertThatThrownBy(() -> ConnectorProfile.read("guangdong", p::get)).hasMessageContaining("province.envelope.kind");
    assertThatThrownBy(() -> ConnectorProfile.location("../etc")).isInstanceOf(IllegalArgumentException.class);
  }
}
