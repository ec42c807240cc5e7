package org.haochaping.gateway.channel.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.haochaping.gateway.support.QrImages;
import org.junit.jupiter.api.Test;

/** QR images a phone can read, at the addresses citizens reach. */
class QrCodesTest {

  @Test
  void aPhoneReadsBackTheAddress() {
    String url = "https://hcp.lianjiang.gov.cn/q/LJ-ZWFW-01/12";
    assertThat(QrImages.decode(QrCodes.png(url, 200))).isEqualTo(url);
  }

  @Test
  void sizesOutsideTheRangeAreRefused() {
    assertThatThrownBy(() -> QrCodes.png("x", 50)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void publicAddressesFollowTheBaseUrl() {
    PublicLinks links = new PublicLinks("https://hcp.lianjiang.gov.cn/");
    assertThat(links.ratingPage("Ab3dEf6hJk9m")).isEqualTo("https://hcp.lianjiang.gov.cn/r/Ab3dEf6hJk9m");
    assertThat(links.ratingQr("Ab3dEf6hJk9m")).isEqualTo("https://hcp.lianjiang.gov.cn/api/v1/qr/links/Ab3dEf6hJk9m.png");
    assertThat(links.staticPage("LJ ZW", "1/2")).isEqualTo("https://hcp.lianjiang.gov.cn/q/LJ%20ZW/1%2F2");
    assertThat(links.staticQr("LJ-ZWFW-01", "12")).isEqualTo("https://hcp.lianjiang.gov.cn/api/v1/qr/halls/LJ-ZWFW-01/windows/12.png");
    assertThatThrownBy(() -> new PublicLinks("hcp.example")).isInstanceOf(IllegalArgumentException.class);
  }
}
