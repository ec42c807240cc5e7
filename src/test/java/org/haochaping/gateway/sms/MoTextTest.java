package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reply's user data as the handset typed it, whatever data_coding and UDH the SMSC passes on. */
class MoTextTest {

  @Test
  void ucs2WithoutHeaderIsAWholeMessage() {
    MoText t = MoText.decode(8, 0, "非常满意".getBytes(StandardCharsets.UTF_16BE));
    assertThat(t.text()).isEqualTo("非常满意");
    assertThat(t.isPart()).isFalse();
  }

  @Test
  void concatenatedPartsCarryTheirReferenceAndSequence() {
    String reason = "办事指南写的材料和窗口要求的不一样，".repeat(5);
    List<byte[]> parts = SmsSegments.ucs2ShortMessages(reason, 77);
    MoText first = MoText.decode(8, 0x40, parts.get(0));
    MoText second = MoText.decode(8, 0x40, parts.get(1));
    assertThat(first.isPart()).isTrue();
    assertThat(first.reference()).isEqualTo(77);
    assertThat(first.total()).isEqualTo(2);
    assertThat(first.seq()).isEqualTo(1);
    assertThat(second.seq()).isEqualTo(2);
    assertThat(first.text() + second.text()).isEqualTo(reason);
  }

  @Test
  void sixteenBitReferenceIsReadToo() {
    byte[] body = "不满意".getBytes(StandardCharsets.UTF_16BE);
    byte[] sm = new byte[7 + body.length];
    sm[0] = 6;
    sm[1] = 0x08;
    sm[2] = 4;
    sm[3] = 0x01;
    sm[4] = 0x02;
    sm[5] = 3;
    sm[6] = 2;
    System.arraycopy(body, 0, sm, 7, body.length);
    MoText t = MoText.decode(8, 0x40, sm);
    assertThat(t.reference()).isEqualTo(0x0102);
    assertThat(t.total()).isEqualTo(3);
    assertThat(t.seq()).isEqualTo(2);
    assertThat(t.text()).isEqualTo("不满意");
  }

  @Test
  void digitsAndTdInTheDefaultAlphabetGbkAndLatin1() {
    assertThat(MoText.decode(0, 0, "TD".getBytes(StandardCharsets.US_ASCII)).text()).isEqualTo("TD");
    assertThat(MoText.decode(0, 0, new byte[] {'2'}).text()).isEqualTo("2");
    assertThat(MoText.decode(15, 0, "满意".getBytes(Charset.forName("GBK"))).text()).isEqualTo("满意");
    assertThat(MoText.decode(3, 0, "5".getBytes(StandardCharsets.ISO_8859_1)).text()).isEqualTo("5");
  }

  @Test
  void emptyUserDataIsEmptyText() {
    assertThat(MoText.decode(8, 0, new byte[0]).text()).isEmpty();
    assertThat(MoText.decode(8, 0x40, null).text()).isEmpty();
  }
}
