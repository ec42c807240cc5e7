package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.sim.AssembledMessage;
import org.haochaping.gateway.store.RatingLedger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Replies from a handset (MO deliver_sm from the SMSC simulator over the transceiver bind) become
 * SMS-channel ratings of the right case, through the same intake as every channel.
 */
@Tag("db")
class SmsReplyRouteTest extends SmsTestSupport {

  private static final String SERVICE = "10690000123";

  @Test
  void replyTwoRatesTheRightCaseAmongThreePendingCasesOfOneMobile() throws Exception {
    String mobile = "13800000201";
    for (String c : List.of("SMS-R3-A", "SMS-R3-B", "SMS-R3-C")) {
      push(completedCase(c, "ONLINE", mobile));
    }
    awaitMessages(mobile, 3);
    String toB = promptSource("SMS-R3-B");
    assertThat(List.of(promptSource("SMS-R3-A"), toB, promptSource("SMS-R3-C")))
        .containsExactlyInAnyOrder(SERVICE + "01", SERVICE + "02", SERVICE + "03");

    smsc().injectMo(mobile, toB, "2");

    RatingLedger.Entry rating = awaitRating("SMS-R3-B");
    assertThat(rating.level()).isEqualTo("SATISFIED");
    assertThat(rating.channel()).isEqualTo("SMS");
    assertThat(rating.score()).isEqualTo(8);
    // the evaluator is the applicant the prompt went to
    assertThat(evaluator(rating.ratingId()).mobile()).isEqualTo(mobile);
    assertThat(bean("smsConversations", SmsConversations.class).find(hash(mobile), promptSource("SMS-R3-A").substring(11))
        .orElseThrow().state()).isEqualTo(SmsConversations.State.AWAITING_RATING);
    RatedCases rated = new RatedCases(bean("gatewayCore", GatewayCore.class).database(), core().cipher());
    assertThat(rated.isRated("SMS-R3-A")).isFalse();
    assertThat(rated.isRated("SMS-R3-C")).isFalse();
    // and the citizen is thanked, from the same extension
    AssembledMessage thanks = awaitMessages(mobile, 4).get(3);
    assertThat(thanks.text()).isEqualTo("【政务服务好差评】已收到您对“个体工商户设立登记”的评价：满意。感谢您的参与！");
    assertThat(thanks.source()).isEqualTo(toB);
  }

  @Test
  void fiveThenATextIsAVeryDissatisfiedRatingWithThatReason() throws Exception {
    String mobile = "13800000202";
    push(completedCase("SMS-R-BAD", "ONLINE", mobile));
    String from = awaitMessages(mobile, 1).get(0).source();

    smsc().injectMo(mobile, from, "5");

    // 000 第七条: a bad rating needs a reason; the gateway asks for it
    AssembledMessage ask = awaitMessages(mobile, 2).get(1);
    assertThat(ask.text()).isEqualTo("【政务服务好差评】您对“个体工商户设立登记”的评价为“非常不满意”。请直接回复不满意的原因"
        + "（如等候时间长、服务态度差），我们将转交有关部门整改。");
    assertThat(rating("SMS-R-BAD")).isEmpty();

    smsc().injectMo(mobile, from, "窗口等了两个小时，材料还被退回三次");

    RatingLedger.Entry rating = awaitRating("SMS-R-BAD");
    assertThat(rating.level()).isEqualTo("VERY_DISSATISFIED");
    assertThat(rating.score()).isZero();
    assertThat(comment(rating.ratingId())).isEqualTo("窗口等了两个小时，材料还被退回三次");
  }

  @Test
  void aLongReasonArrivingInSeveralPartsIsOneComment() throws Exception {
    String mobile = "13800000203";
    push(completedCase("SMS-R-LONG", "ONLINE", mobile));
    String from = awaitMessages(mobile, 1).get(0).source();
    String reason = "办事指南写的材料和窗口要求的不一样，".repeat(6); // 108 characters: two MO parts with a UDH

    smsc().injectMo(mobile, from, "4 " + reason);

    RatingLedger.Entry rating = awaitRating("SMS-R-LONG");
    assertThat(rating.level()).isEqualTo("DISSATISFIED");
    assertThat(comment(rating.ratingId())).isEqualTo(reason);
  }

  @Test
  void aReplyToTheBareServiceNumberRatesTheMostRecentlyPromptedCase() {
    String mobile = "13800000204";
    push(completedCase("SMS-R-OLD", "ONLINE", mobile));
    awaitMessages(mobile, 1);
    push(completedCase("SMS-R-NEW", "ONLINE", mobile));
    awaitMessages(mobile, 2);

    smsc().injectMo(mobile, SERVICE, "非常满意");

    assertThat(awaitRating("SMS-R-NEW").level()).isEqualTo("VERY_SATISFIED");
    assertThat(rating("SMS-R-OLD")).isEmpty();
  }

  @Test
  void tdOptsTheNumberOutOfPromptsAndReminders() {
    String mobile = "13800000205";
    push(completedCase("SMS-R-TD1", "ONLINE", mobile));
    String from = awaitMessages(mobile, 1).get(0).source();

    smsc().injectMo(mobile, from, "TD");

    assertThat(awaitMessages(mobile, 2).get(1).text()).isEqualTo("【政务服务好差评】您已退订政务服务评价短信，今后不再收到评价邀请和提醒。");
    push(completedCase("SMS-R-TD2", "ONLINE", mobile));
    SmsSchedule schedule = bean("smsSchedule", SmsSchedule.class);
    await().atMost(WAIT).until(() -> schedule.find("PROMPT:SMS-R-TD2").map(r -> r.doneAt() != null).orElse(false));
    assertThat(schedule.find("PROMPT:SMS-R-TD2").orElseThrow().outcome()).isEqualTo("OPTED_OUT");
    assertThat(messagesTo(mobile)).hasSize(2);
  }

  @Test
  void anUnreadableReplyGetsHelpAndNoRating() {
    String mobile = "13800000206";
    push(completedCase("SMS-R-HELP", "ONLINE", mobile));
    String from = awaitMessages(mobile, 1).get(0).source();

    smsc().injectMo(mobile, from, "请问这是什么");

    assertThat(awaitMessages(mobile, 2).get(1).text()).isEqualTo("【政务服务好差评】未能识别您的回复。请回复数字评价：1非常满意、2满意、"
        + "3基本满意、4不满意、5非常不满意；回复TD退订。");
    // then a proper answer still rates
    smsc().injectMo(mobile, from, "３"); // full-width, as some handsets type it
    assertThat(awaitRating("SMS-R-HELP").level()).isEqualTo("BASIC");
  }

  @Test
  void aNumberThatWasNeverPromptedIsToldNothingIsPending() {
    smsc().injectMo("13800000207", SERVICE, "1");

    assertThat(awaitMessages("13800000207", 1).get(0).text())
        .isEqualTo("【政务服务好差评】您目前没有待评价的办件。如需咨询，请拨打12345政务服务便民热线。");
  }

  @Test
  void aSecondRatingOfTheSameCaseIsAnsweredThatItIsRated() {
    String mobile = "13800000208";
    push(completedCase("SMS-R-TWICE", "ONLINE", mobile));
    String from = awaitMessages(mobile, 1).get(0).source();
    smsc().injectMo(mobile, from, "1");
    awaitRating("SMS-R-TWICE");
    awaitMessages(mobile, 2);

    smsc().injectMo(mobile, from, "5 不对，我要改成差评");

    assertThat(awaitMessages(mobile, 3).get(2).text()).isEqualTo("【政务服务好差评】您办理的“个体工商户设立登记”已评价，无需重复评价。感谢您的参与！");
    assertThat(awaitRating("SMS-R-TWICE").level()).isEqualTo("VERY_SATISFIED");
  }

  // ------------------------------------------------------------------ helpers

  private GatewayCore core() {
    return bean("gatewayCore", GatewayCore.class);
  }

  private String hash(String mobile) {
    return core().cipher().mobileIndex(mobile);
  }

  private String promptSource(String caseNo) {
    return smsLog().forCase(caseNo).stream().filter(e -> e.kind() == SmsKind.PROMPT).findFirst().orElseThrow().sourceAddr();
  }

  private Optional<RatingLedger.Entry> rating(String caseNo) {
    return ratingFromDb(caseNo);
  }

  private RatingLedger.Entry awaitRating(String caseNo) {
    await().atMost(WAIT).until(() -> ratingFromDb(caseNo).isPresent());
    return ratingFromDb(caseNo).orElseThrow();
  }

  private Optional<RatingLedger.Entry> ratingFromDb(String caseNo) {
    String id = single("select rating_id from ratings where case_no = ? and channel = 'SMS'", caseNo);
    return id == null ? Optional.empty() : core().ledger().find(id);
  }

  private String comment(String ratingId) {
    return single("select comment_text from ratings where rating_id = ?", ratingId);
  }

  private Person evaluator(String ratingId) {
    return core().cipher().openPerson(single("select evaluator_sealed from ratings where rating_id = ?", ratingId));
  }

  private String single(String sql, String arg) {
    try (Connection c = core().database().connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
