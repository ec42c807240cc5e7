package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmsSegmentsTest {

  private static String chinese(int units) {
    String base = "您的业务已办结请对本次服务进行评价回复一至五";
    StringBuilder sb = new StringBuilder();
    while (sb.length() < units) {
      sb.append(base.charAt(sb.length() % base.length()));
    }
    return sb.toString();
  }

  @ParameterizedTest(name = "{0} Chinese characters -> {1} part(s)")
  @CsvSource({"1, 1", "70, 1", "71, 2", "80, 2", "134, 2", "135, 3", "201, 3", "202, 4"})
  void partCountFollowsTheHandsetLimits(int length, int parts) {
    assertThat(SmsSegments.partCount(chinese(length))).isEqualTo(parts);
  }

  @Test
  void emptyTextIsOneMessage() {
    assertThat(SmsSegments.split("")).containsExactly("");
  }

  @Test
  void partsHoldSixtySevenCharactersAndJoinToTheOriginal() {
    String text = chinese(150);
    List<String> parts = SmsSegments.split(text);
    assertThat(parts).extracting(String::length).containsExactly(67, 67, 16);
    assertThat(String.join("", parts)).isEqualTo(text);
  }

  @Test
  void seventyCharactersIncludingAnEmojiStillFitOneMessage() {
    String text = chinese(68) + "😀"; // 68 + 2 code units = 70
    assertThat(text.length()).isEqualTo(70);
    assertThat(SmsSegments.split(text)).containsExactly(text);
  }

  @Test
  void emojiOnAPartBoundaryMovesWholeToTheNextPart() {
    String text = chinese(66) + "😀" + chinese(10); // the pair would sit on units 67 and 68
    List<String> parts = SmsSegments.split(text);
    assertThat(parts.get(0)).hasSize(66).isEqualTo(chinese(66));
    assertThat(parts.get(1)).startsWith("😀");
    assertThat(String.join("", parts)).isEqualTo(text);
    for (String part : parts) {
      assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1))).isFalse();
      assertThat(Character.isLowSurrogate(part.charAt(0))).isFalse();
    }
  }

  @Test
  void textOfEmojiOnlyNeverSplitsAPair() {
    String text = "😀".repeat(100); // 200 code units
    List<String> parts = SmsSegments.split(text);
    assertThat(parts).extracting(String::length).containsExactly(66, 66, 66, 2);
    assertThat(String.join("", parts)).isEqualTo(text);
  }

  @Test
  void singleMessageHasNoHeader() {
    List<byte[]> sms = SmsSegments.ucs2ShortMessages("请评价", 7);
    assertThat(sms).hasSize(1);
    assertThat(sms.get(0)).isEqualTo("请评价".getBytes(StandardCharsets.UTF_16BE));
  }

  @Test
  void concatenatedPartsCarryTheEightBitReferenceHeader() {
    String text = chinese(80);
    List<byte[]> sms = SmsSegments.ucs2ShortMessages(text, 0xAB);
    assertThat(sms).hasSize(2);
    assertThat(Arrays.copyOf(sms.get(0), 6)).containsExactly(0x05, 0x00, 0x03, 0xAB, 0x02, 0x01);
    assertThat(Arrays.copyOf(sms.get(1), 6)).containsExactly(0x05, 0x00, 0x03, 0xAB, 0x02, 0x02);
    assertThat(sms.get(0)).hasSize(6 + 67 * 2); // exactly the 140-octet limit
    String joined =
        new String(sms.get(0), 6, sms.get(0).length - 6, StandardCharsets.UTF_16BE)
            + new String(sms.get(1), 6, sms.get(1).length - 6, StandardCharsets.UTF_16BE);
    assertThat(joined).isEqualTo(text);
  }

  @Test
  void referenceMustFitEightBits() {
    assertThatThrownBy(() -> SmsSegments.ucs2ShortMessages("x", 256))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void moreThan255PartsIsRefused() {
    assertThatThrownBy(() -> SmsSegments.split(chinese(67 * 255 + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SmsSegments.partCount(chinese(67 * 255))).isEqualTo(255);
  }
}
