package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.channel.CaseIntake;
import org.haochaping.gateway.channel.RatingIntake;
import org.haochaping.gateway.sim.AssembledMessage;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * 000 第二十条 on the gateway's clock: the reminder 24 hours after completion, once, never when the
 * case was rated meanwhile; quiet hours hold prompts until the morning; work-order feedback goes to
 * the person who rated. The lifecycle timers' REMINDER_DUE and WORK_ORDER_FEEDBACK events are
 * published here as they publish them, on the broker address lifecycle-events.
 *
 * <p>The clock is set to chosen local times, so cases are pushed and rated through the intake beans
 * (a signed REST call carries the real time and would be refused as skewed).
 */
@Tag("db")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmsReminderTest extends SmsTestSupport {

  /** A Tuesday, 10:00 in China. Each test runs on its own later day, so the clock only moves forward. */
  private static final OffsetDateTime DAY = OffsetDateTime.parse("2026-12-01T10:00:00+08:00");

  @Override
  protected Properties useOverridePropertiesWithPropertiesComponent() {
    Properties p = super.useOverridePropertiesWithPropertiesComponent();
    p.setProperty("hcp.sms.quietHours", "21:00-08:00");
    p.setProperty("hcp.sms.prompt.windowDelaySeconds", "1800");
    return p;
  }

  @Test
  @Order(1)
  void reminderGoesOnceTwentyFourHoursAfterCompletion() throws Exception {
    OffsetDateTime completed = DAY;
    clock.set(completed.toInstant());
    String mobile = "13800000301";
    pushCase("SMS-REM-1", mobile);
    AssembledMessage prompt = awaitMessages(mobile, 1).get(0);

    remindAt("SMS-REM-1", completed.plusHours(24));
    SmsSchedule schedule = bean("smsSchedule", SmsSchedule.class);
    await().atMost(WAIT).until(() -> schedule.find("REMINDER:SMS-REM-1").isPresent());
    // not due yet: a poll decides nothing
    assertThat(bean("smsScheduler", SmsScheduler.class).runDue()).isZero();
    assertThat(messagesTo(mobile)).hasSize(1);

    clock.set(completed.plusHours(24).toInstant());

    AssembledMessage reminder = awaitMessages(mobile, 2).get(1);
    assertThat(reminder.text()).startsWith("【政务服务好差评】温馨提醒：您办理的“个体工商户设立登记”已办结，尚未评价。回复1非常满意、2满意、"
        + "3基本满意、4不满意、5非常不满意，或打开 http://127.0.0.1:").endsWith(" 评价。回复TD退订");
    assertThat(reminder.source()).isEqualTo(prompt.source());

    // the same event again, or another trigger for the case: still one reminder (profile: reminder.maxPerCase 1, sms.maxPerCase 2)
    remindAt("SMS-REM-1", completed.plusHours(24));
    schedule.add("REMINDER:SMS-REM-1:again", "SMS-REM-1", SmsKind.REMINDER, OffsetDateTime.now(clock), null);
    await().atMost(WAIT).until(() -> schedule.find("REMINDER:SMS-REM-1:again").map(r -> r.doneAt() != null).orElse(false));
    assertThat(schedule.find("REMINDER:SMS-REM-1:again").orElseThrow().outcome()).isEqualTo("CASE_LIMIT");
    assertThat(schedule.find("REMINDER:SMS-REM-1").orElseThrow().outcome()).isEqualTo("SENT");
    assertThat(messagesTo(mobile)).hasSize(2);
    assertThat(smsLog().forCase("SMS-REM-1")).extracting(SmsLog.Entry::kind).containsExactly(SmsKind.PROMPT, SmsKind.REMINDER);
  }

  @Test
  @Order(2)
  void noReminderWhenTheCaseWasRatedMeanwhile() throws Exception {
    OffsetDateTime completed = DAY.plusDays(3);
    clock.set(completed.toInstant());
    String mobile = "13800000302";
    pushCase("SMS-REM-RATED", mobile);
    awaitMessages(mobile, 1);
    clock.set(completed.plusHours(5).toInstant());
    RatingIntake.Outcome rated = bean("ratingIntake", RatingIntake.class).submit(Json.MAPPER.valueToTree(
        Map.of("caseNo", "SMS-REM-RATED", "channel", "PORTAL", "level", "SATISFIED")));
    assertThat(rated.accepted()).as("%s", rated).isTrue();

    remindAt("SMS-REM-RATED", completed.plusHours(24));
    clock.set(completed.plusHours(24).toInstant());

    SmsSchedule schedule = bean("smsSchedule", SmsSchedule.class);
    await().atMost(WAIT).until(() -> schedule.find("REMINDER:SMS-REM-RATED").map(r -> r.doneAt() != null).orElse(false));
    assertThat(schedule.find("REMINDER:SMS-REM-RATED").orElseThrow().outcome()).isEqualTo("ALREADY_RATED");
    assertThat(messagesTo(mobile)).hasSize(1);
  }

  @Test
  @Order(3)
  void aPromptDueInTheQuietHoursWaitsForTheMorning() throws Exception {
    OffsetDateTime completed = DAY.plusDays(6).withHour(21).withMinute(30);
    clock.set(completed.toInstant());
    String mobile = "13800000303";
    pushCase("SMS-QUIET", mobile);

    SmsSchedule schedule = bean("smsSchedule", SmsSchedule.class);
    OffsetDateTime morning = DAY.plusDays(7).withHour(8).withMinute(0);
    await().atMost(WAIT).until(() -> schedule.find("PROMPT:SMS-QUIET").map(r -> r.dueAt().isEqual(morning)).orElse(false));
    assertThat(messagesTo(mobile)).isEmpty();

    clock.set(morning.plusSeconds(1).toInstant());

    assertThat(awaitMessages(mobile, 1).get(0).text()).contains("您办理的“个体工商户设立登记”已办结");
  }

  @Test
  @Order(4)
  void workOrderFeedbackGoesToThePersonWhoRated() throws Exception {
    OffsetDateTime completed = DAY.plusDays(9);
    clock.set(completed.toInstant());
    pushCase("SMS-FEEDBACK", "13800000304");
    awaitMessages("13800000304", 1);
    // rated badly on the portal by someone else than the applicant
    Map<String, Object> bad = Map.of("caseNo", "SMS-FEEDBACK", "channel", "PORTAL", "level", "DISSATISFIED",
        "comment", "窗口人员态度不好", "evaluator", Map.of("name", "王五", "mobile", "13800000305", "userProp", "1"));
    RatingIntake.Outcome rated = bean("ratingIntake", RatingIntake.class).submit(Json.MAPPER.valueToTree(bad));
    assertThat(rated.accepted()).as("%s", rated).isTrue();
    await().atMost(WAIT).until(() -> core().ledger().find(rated.ratingId()).isPresent());

    publish(Map.of("eventId", "WORK_ORDER_FEEDBACK:WO-1", "type", "WORK_ORDER_FEEDBACK", "caseNo", "SMS-FEEDBACK",
        "at", SmsTestSupport.iso(completed), "data", Map.of("workOrderId", "WO-1", "result", "已约谈窗口人员并加强服务培训")));

    AssembledMessage feedback = awaitMessages("13800000305", 1).get(0);
    assertThat(feedback.text()).isEqualTo("【政务服务好差评】您对“个体工商户设立登记”的评价已处理（工单WO-1）：已约谈窗口人员并加强服务培训。感谢您的监督！");
    assertThat(messagesTo("13800000304")).hasSize(1);
  }

  @Test
  @Order(5)
  void aWindowCaseIsPromptedOnlyIfNotRatedAtTheWindowWithinHalfAnHour() throws Exception {
    OffsetDateTime completed = DAY.plusDays(12).withHour(11);
    clock.set(completed.toInstant());
    pushCase("SMS-WIN-RATED", "WINDOW", "13800000306");
    pushCase("SMS-WIN-UNRATED", "WINDOW", "13800000307");
    SmsSchedule schedule = bean("smsSchedule", SmsSchedule.class);
    await().atMost(WAIT).until(() -> schedule.find("PROMPT:SMS-WIN-UNRATED").isPresent() && schedule.find("PROMPT:SMS-WIN-RATED").isPresent());
    // half an hour after the gateway learned of the completion (the clock runs on from 11:00)
    assertThat(schedule.find("PROMPT:SMS-WIN-UNRATED").orElseThrow().dueAt().truncatedTo(java.time.temporal.ChronoUnit.MINUTES))
        .isEqualTo(completed.plusMinutes(30));

    // five minutes later the first citizen rates on the window's evaluator tablet
    clock.set(completed.plusMinutes(5).toInstant());
    RatingIntake.Outcome atWindow = bean("ratingIntake", RatingIntake.class).submit(Json.MAPPER.valueToTree(
        Map.of("caseNo", "SMS-WIN-RATED", "channel", "EVALUATOR", "level", "VERY_SATISFIED")));
    assertThat(atWindow.accepted()).as("%s", atWindow).isTrue();
    assertThat(bean("smsScheduler", SmsScheduler.class).runDue()).as("nothing due before half an hour").isZero();

    clock.set(completed.plusMinutes(31).toInstant());

    assertThat(awaitMessages("13800000307", 1).get(0).text()).contains("已办结，请评价");
    await().atMost(WAIT).until(() -> schedule.find("PROMPT:SMS-WIN-RATED").map(r -> r.doneAt() != null).orElse(false));
    assertThat(schedule.find("PROMPT:SMS-WIN-RATED").orElseThrow().outcome()).isEqualTo("ALREADY_RATED");
    assertThat(messagesTo("13800000306")).isEmpty();
  }

  @Test
  @Order(6)
  void nothingIsSentAfterTheRatingPeriodHasEnded() throws Exception {
    OffsetDateTime completed = DAY.plusDays(15);
    clock.set(completed.toInstant());
    pushCase("SMS-LATE", "13800000308");
    awaitMessages("13800000308", 1);
    // 000 第二十条: after 7 natural days the case is rated 非常满意 by default; a reminder then would be wrong
    remindAt("SMS-LATE", completed.plusDays(7).plusMinutes(1));
    clock.set(completed.plusDays(7).plusMinutes(1).toInstant());

    SmsSchedule schedule = bean("smsSchedule", SmsSchedule.class);
    await().atMost(WAIT).until(() -> schedule.find("REMINDER:SMS-LATE").map(r -> r.doneAt() != null).orElse(false));
    assertThat(schedule.find("REMINDER:SMS-LATE").orElseThrow().outcome()).isEqualTo("RATING_PERIOD_OVER");
    assertThat(messagesTo("13800000308")).hasSize(1);
  }

  // ------------------------------------------------------------------ helpers

  private GatewayCore core() {
    return bean("gatewayCore", GatewayCore.class);
  }

  private void pushCase(String caseNo, String mobile) {
    pushCase(caseNo, "ONLINE", mobile);
  }

  private void pushCase(String caseNo, String mode, String mobile) {
    JsonNode doc = Json.MAPPER.valueToTree(completedCase(caseNo, mode, mobile));
    CaseIntake.Outcome o = bean("caseIntake", CaseIntake.class).push(doc);
    assertThat(o.violations()).as("%s", o.violations()).isEmpty();
  }

  /** REMINDER_DUE as the lifecycle timers publish it (LifecycleEvent: eventId, type, caseNo, at, data). */
  private void remindAt(String caseNo, OffsetDateTime at) throws Exception {
    publish(Map.of("eventId", "REMINDER_DUE:" + caseNo, "type", "REMINDER_DUE", "caseNo", caseNo, "at", SmsTestSupport.iso(at),
        "data", Map.of()));
  }

  private void publish(Map<String, Object> event) throws Exception {
    core().publisher().publish(SmsTriggers.LIFECYCLE_EVENTS, Json.bytes(event), "test:" + System.nanoTime(), Map.of())
        .get(10, TimeUnit.SECONDS);
  }
}
