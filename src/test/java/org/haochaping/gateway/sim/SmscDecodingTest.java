package org.haochaping.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.haochaping.gateway.sms.SmsSegments;
import org.junit.jupiter.api.Test;

/** Decoding, reassembly and receipt text of the SMSC simulator, without sockets. */
class SmscDecodingTest {

  private static final Instant T0 = Instant.parse("2026-11-23T02:05:00Z");

  private static byte[] ucs2(String s) {
    return s.getBytes(StandardCharsets.UTF_16BE);
  }

  /** UTF-16BE code unit by code unit, so that a lone surrogate stays as it is. */
  private static byte[] units(String s) {
    byte[] out = new byte[s.length() * 2];
    for (int i = 0; i < s.length(); i++) {
      out[2 * i] = (byte) (s.charAt(i) >> 8);
      out[2 * i + 1] = (byte) s.charAt(i);
    }
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static SubmittedPart part(String src, String dst, int dc, int esm, byte[] sm, Concat sar) {
    ShortMessageDecoder.Decoded d = ShortMessageDecoder.decode(dc, esm, sm, false, sar);
    return new SubmittedPart(
        "id", 0, "hcpgw", T0, 0, src, dst, dc, esm, 1, sm, d.text(), d.concat(), d.anomalies());
  }

  @Test
  void ucs2IsDecodedAsUtf16BigEndian() {
    var d = ShortMessageDecoder.decode(8, 0, ucs2("请对本次服务评价"), false, null);
    assertThat(d.text()).isEqualTo("请对本次服务评价");
    assertThat(d.anomalies()).isEmpty();
    assertThat(d.concat()).isNull();
  }

  @Test
  void gsmDefaultAlphabetIncludingEscapedEuro() {
    byte[] sm = {'H', 'i', ' ', 0x1B, 0x65, ' ', 0x00, 0x11};
    var d = ShortMessageDecoder.decode(0, 0, sm, false, null);
    assertThat(d.text()).isEqualTo("Hi € @_");
    assertThat(d.anomalies()).isEmpty();
  }

  @Test
  void latin1ForDataCodingThree() {
    var d = ShortMessageDecoder.decode(3, 0, "café".getBytes(StandardCharsets.ISO_8859_1), false, null);
    assertThat(d.text()).isEqualTo("café");
  }

  @Test
  void chineseSentAsUtf8UnderDataCodingZeroIsFlagged() {
    var d = ShortMessageDecoder.decode(0, 0, "评价".getBytes(StandardCharsets.UTF_8), false, null);
    assertThat(d.anomalies()).containsExactly(Anomaly.NON_GSM_CHARACTER);
  }

  @Test
  void oddLengthUcs2IsFlagged() {
    byte[] sm = concat(ucs2("评价"), new byte[] {0x4E});
    var d = ShortMessageDecoder.decode(8, 0, sm, false, null);
    assertThat(d.anomalies()).contains(Anomaly.UCS2_ODD_LENGTH);
    assertThat(d.text()).startsWith("评价");
  }

  @Test
  void moreThan140OctetsIsFlaggedUnlessInMessagePayload() {
    byte[] sm = ucs2("评".repeat(71));
    assertThat(ShortMessageDecoder.decode(8, 0, sm, false, null).anomalies())
        .containsExactly(Anomaly.TOO_LONG);
    assertThat(ShortMessageDecoder.decode(8, 0, sm, true, null).anomalies()).isEmpty();
  }

  @Test
  void sixteenBitReferenceHeaderIsRead() {
    byte[] udh = {0x06, 0x08, 0x04, 0x12, 0x34, 0x03, 0x02};
    var d = ShortMessageDecoder.decode(8, 0x40, concat(udh, ucs2("第二段")), false, null);
    assertThat(d.concat()).isEqualTo(new Concat(Concat.Scheme.UDH_16BIT, 0x1234, 3, 2));
    assertThat(d.text()).isEqualTo("第二段");
  }

  @Test
  void udhWithOtherElementsBeforeTheConcatenationIsSkipped() {
    // a port-addressing element (IEI 0x05, 4 octets) then the 8-bit concatenation element
    byte[] udh = {0x0B, 0x05, 0x04, 0x0B, (byte) 0x84, 0x23, (byte) 0xF0, 0x00, 0x03, 0x01, 0x02, 0x01};
    var d = ShortMessageDecoder.decode(8, 0x40, concat(udh, ucs2("好")), false, null);
    assertThat(d.concat()).isEqualTo(new Concat(Concat.Scheme.UDH_8BIT, 1, 2, 1));
    assertThat(d.text()).isEqualTo("好");
  }

  @Test
  void truncatedUdhIsFlagged() {
    byte[] sm = {0x05, 0x00, 0x03, 0x01};
    assertThat(ShortMessageDecoder.decode(8, 0x40, sm, false, null).anomalies())
        .contains(Anomaly.UDH_MALFORMED);
  }

  @Test
  void sequenceAboveTotalIsFlagged() {
    byte[] udh = {0x05, 0x00, 0x03, 0x01, 0x02, 0x03};
    assertThat(ShortMessageDecoder.decode(8, 0x40, concat(udh, ucs2("好")), false, null).anomalies())
        .containsExactly(Anomaly.PART_OUT_OF_RANGE);
  }

  @Test
  void emojiSplitAcrossPartsIsFlaggedAndShownAsAHandsetWould() {
    String emoji = "😀";
    byte[] first = concat(new byte[] {0x05, 0x00, 0x03, 0x09, 0x02, 0x01}, units("好" + emoji.charAt(0)));
    byte[] second = concat(new byte[] {0x05, 0x00, 0x03, 0x09, 0x02, 0x02}, units(emoji.charAt(1) + "评"));
    Reassembler r = new Reassembler();
    r.offer(part("10690000123", "13800000000", 8, 0x40, first, null), T0);
    var done = r.offer(part("10690000123", "13800000000", 8, 0x40, second, null), T0).completed();
    assertThat(done).isPresent();
    assertThat(done.get().anomalies()).contains(Anomaly.SPLIT_SURROGATE);
    assertThat(done.get().text()).isEqualTo("好\uFFFD\uFFFD评");
  }

  @Test
  void partsArrivingOutOfOrderAreJoinedBySequence() {
    String text = "您的业务已办结。".repeat(10); // 80 characters
    List<byte[]> sms = SmsSegments.ucs2ShortMessages(text, 42);
    Reassembler r = new Reassembler();
    assertThat(r.offer(part("106900", "13800000000", 8, 0x40, sms.get(1), null), T0).completed()).isEmpty();
    assertThat(r.incomplete()).singleElement().satisfies(m -> assertThat(m.receivedSeqs()).containsExactly(2));
    Optional<AssembledMessage> done =
        r.offer(part("106900", "13800000000", 8, 0x40, sms.get(0), null), T0).completed();
    assertThat(done).get().satisfies(m -> {
      assertThat(m.text()).isEqualTo(text);
      assertThat(m.partCount()).isEqualTo(2);
      assertThat(m.anomalies()).isEmpty();
    });
    assertThat(r.incomplete()).isEmpty();
  }

  @Test
  void sarParametersReassembleLikeAHeader() {
    Reassembler r = new Reassembler();
    r.offer(part("106900", "13800000000", 8, 0, ucs2("前半"), new Concat(Concat.Scheme.SAR, 300, 2, 1)), T0);
    var done =
        r.offer(part("106900", "13800000000", 8, 0, ucs2("后半"), new Concat(Concat.Scheme.SAR, 300, 2, 2)), T0)
            .completed();
    assertThat(done).get().extracting(AssembledMessage::text).isEqualTo("前半后半");
  }

  @Test
  void sameReferenceToOtherRecipientsIsAnotherMessage() {
    List<byte[]> sms = SmsSegments.ucs2ShortMessages("评".repeat(80), 5);
    Reassembler r = new Reassembler();
    r.offer(part("106900", "13800000001", 8, 0x40, sms.get(0), null), T0);
    assertThat(r.offer(part("106900", "13800000002", 8, 0x40, sms.get(1), null), T0).completed()).isEmpty();
    assertThat(r.incomplete()).hasSize(2);
  }

  @Test
  void duplicateAndMismatchedPartsAreFlagged() {
    Reassembler r = new Reassembler();
    byte[] p1of3 = concat(new byte[] {0x05, 0x00, 0x03, 0x07, 0x03, 0x01}, ucs2("一"));
    byte[] p2of2 = concat(new byte[] {0x05, 0x00, 0x03, 0x07, 0x02, 0x02}, ucs2("二"));
    r.offer(part("106900", "13800000000", 8, 0x40, p1of3, null), T0);
    var again = r.offer(part("106900", "13800000000", 8, 0x40, p1of3, null), T0);
    assertThat(again.part().anomalies()).contains(Anomaly.DUPLICATE_PART);
    var mismatch = r.offer(part("106900", "13800000000", 8, 0x40, p2of2, null), T0);
    assertThat(mismatch.part().anomalies()).contains(Anomaly.PART_COUNT_MISMATCH);
    assertThat(r.incomplete())
        .allSatisfy(m -> assertThat(m.anomalies()).contains(Anomaly.PART_COUNT_MISMATCH));
  }

  @Test
  void receiptTextFollowsSmpp34AppendixB() {
    String text =
        DeliveryReceiptText.format(
            "18c2f5a0001", T0, T0.plusSeconds(65), ReceiptState.DELIVRD, "000",
            "Your code 1234 请评价 thanks a lot", ZoneId.of("Asia/Shanghai"));
    assertThat(text)
        .isEqualTo(
            "id:18c2f5a0001 sub:001 dlvrd:001 submit date:2611231005 done date:2611231006"
                + " stat:DELIVRD err:000 text:Your code 1234 ??? t");
  }

  @Test
  void undeliveredReceiptCountsNoDelivery() {
    String text =
        DeliveryReceiptText.format(
            "7", T0, T0, ReceiptState.UNDELIV, "005", "好", ZoneId.of("Asia/Shanghai"));
    assertThat(text).contains(" dlvrd:000 ").contains(" stat:UNDELIV err:005 text:?");
  }

  @Test
  void mobileNumbersAreMaskedForLogs() {
    assertThat(MobileMask.mask("13800000000")).isEqualTo("138****0000");
    assertThat(MobileMask.mask("13812345678")).isEqualTo("138****5678");
    assertThat(MobileMask.mask("8613812345678")).isEqualTo("86138****5678");
    assertThat(MobileMask.mask("12345")).isEqualTo("12*45");
    assertThat(MobileMask.mask("123")).isEqualTo("***");
    assertThat(MobileMask.mask(null)).isEmpty();
  }

  @Test
  void gsmCharacterCheck() {
    assertThat(Gsm7Alphabet.canEncode("Hello {world} €5")).isTrue();
    assertThat(Gsm7Alphabet.canEncode("评价")).isFalse();
    assertThat(Set.of(ShortMessageDecoder.alphabet(0x18), ShortMessageDecoder.alphabet(0x0F)))
        .containsExactlyInAnyOrder(ShortMessageDecoder.Alphabet.UCS2, ShortMessageDecoder.Alphabet.GBK);
  }
}
