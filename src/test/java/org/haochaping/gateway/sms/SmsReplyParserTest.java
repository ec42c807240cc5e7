package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.haochaping.gateway.model.Level;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The reply grammar of docs/sms.md: for SMS, 1 = 非常满意 ... 5 = 非常不满意 (the opposite of the tablets). */
class SmsReplyParserTest {

  @ParameterizedTest
  @CsvSource({
      "1, VERY_SATISFIED", "2, SATISFIED", "3, BASIC", "4, DISSATISFIED", "5, VERY_DISSATISFIED",
      "１, VERY_SATISFIED", "５, VERY_DISSATISFIED", "' 2 ', SATISFIED", "2。, SATISFIED", "'3!', BASIC"})
  void aDigitAloneIsTheSmsSurveysLevel(String reply, Level level) {
    assertThat(SmsReplyParser.parse(reply)).isEqualTo(new SmsReply.Rate(level, null));
  }

  @Test
  void smsDigitsRunOppositeToTheEvaluatorTablets() {
    assertThat(SmsReplyParser.smsDigit(1)).isEqualTo(Level.VERY_SATISFIED).isEqualTo(Level.fromFiveStars(5));
    assertThat(SmsReplyParser.smsDigit(5)).isEqualTo(Level.VERY_DISSATISFIED).isEqualTo(Level.fromFiveStars(1));
    assertThatThrownBy(() -> SmsReplyParser.smsDigit(6)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
      "非常满意, VERY_SATISFIED", "满意, SATISFIED", "基本满意, BASIC", "不满意, DISSATISFIED", "非常不满意, VERY_DISSATISFIED",
      "非常不满意！, VERY_DISSATISFIED", "满意。, SATISFIED"})
  void theLevelWordsAreUnderstood(String reply, Level level) {
    assertThat(SmsReplyParser.parse(reply)).isEqualTo(new SmsReply.Rate(level, null));
  }

  @Test
  void aReasonMayFollowTheDigitOrTheWordAndIsKeptAsWritten() {
    assertThat(SmsReplyParser.parse("5 等了两个小时，没人理")).isEqualTo(new SmsReply.Rate(Level.VERY_DISSATISFIED, "等了两个小时，没人理"));
    assertThat(SmsReplyParser.parse("4，材料被退回三次。")).isEqualTo(new SmsReply.Rate(Level.DISSATISFIED, "材料被退回三次。"));
    assertThat(SmsReplyParser.parse("5窗口人员态度差")).isEqualTo(new SmsReply.Rate(Level.VERY_DISSATISFIED, "窗口人员态度差"));
    assertThat(SmsReplyParser.parse("不满意：办事指南与实际不符")).isEqualTo(new SmsReply.Rate(Level.DISSATISFIED, "办事指南与实际不符"));
    assertThat(SmsReplyParser.parse("非常满意，谢谢")).isEqualTo(new SmsReply.Rate(Level.VERY_SATISFIED, "谢谢"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"TD", "td", "Td", "ＴＤ", "退订", "T", " TD "})
  void tdOrTuidingOptsOut(String reply) {
    assertThat(SmsReplyParser.parse(reply)).isInstanceOf(SmsReply.OptOut.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"6", "0", "12", "满意度一般", "很满意", "请问这是什么", "TDD"})
  void anythingElseIsText(String reply) {
    assertThat(SmsReplyParser.parse(reply)).isInstanceOf(SmsReply.Text.class);
  }

  @Test
  void aWordRunningOnIntoOtherCharactersIsNotALevel() {
    // "满意度一般" starts with 满意 but says something else
    assertThat(SmsReplyParser.parse("满意度一般")).isEqualTo(new SmsReply.Text("满意度一般"));
    // 非常不满意 is never read as 不满意 or 满意
    assertThat(SmsReplyParser.parse("非常不满意 太慢")).isEqualTo(new SmsReply.Rate(Level.VERY_DISSATISFIED, "太慢"));
  }

  @Test
  void anEmptyReplyIsBlankText() {
    assertThat(SmsReplyParser.parse("  ")).isEqualTo(new SmsReply.Text(""));
    assertThat(((SmsReply.Text) SmsReplyParser.parse(null)).isBlank()).isTrue();
  }
}
