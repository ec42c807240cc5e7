package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.sim.AssembledMessage;
import org.haochaping.gateway.sim.ReceiptOutcome;
import org.haochaping.gateway.sim.SubmittedPart;
import org.haochaping.gateway.store.RatingLinks;
import org.haochaping.gateway.support.Api;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prompts as the citizen's handset shows them, over a real SMPP socket to the SMSC simulator:
 * Chinese in UCS-2, long texts in parts with a UDH, a rating link, receipts in the SMS log.
 */
@Tag("db")
class SmsPromptRouteTest extends SmsTestSupport {

  private static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/r/([0-9A-Za-z]{12})");

  @Test
  void promptOnTheHandsetIsExactlyTheTemplateInChinese() {
    push(completedCase("SMS-P-1", "ONLINE", "13800000101"));

    AssembledMessage m = awaitMessages("13800000101", 1).get(0);

    Matcher link = LINK.matcher(m.text());
    assertThat(link.find()).as(m.text()).isTrue();
    assertThat(m.text()).isEqualTo("【政务服务好差评】您办理的“个体工商户设立登记”已办结，请评价：回复1非常满意、2满意、3基本满意、"
        + "4不满意、5非常不满意，或打开 " + link.group() + " 评价。回复TD退订");
    assertThat(m.text()).isEqualTo(bean("smsTemplates", SmsTemplates.class)
        .render(SmsKind.PROMPT, Map.of("itemName", "个体工商户设立登记", "deptName", "", "caseNo", "SMS-P-1", "link", link.group())));
    // the link is a real, single-use link of this case from the SMS channel
    RatingLinks.Link issued = bean("gatewayCore", GatewayCore.class).links().find(link.group(1)).orElseThrow();
    assertThat(issued.caseNo()).isEqualTo("SMS-P-1");
    assertThat(issued.channel()).isEqualTo("SMS");
    // over 70 characters: two UCS-2 parts with a UDH, reassembled by the handset without a flaw
    assertThat(m.text().length()).isGreaterThan(70);
    assertThat(m.partCount()).isEqualTo(2);
    assertThat(m.anomalies()).isEmpty();
    assertThat(m.parts()).allSatisfy(p -> {
      assertThat(p.dataCoding()).isEqualTo(8);
      assertThat(p.esmClass() & 0x40).isEqualTo(0x40);
      assertThat(p.shortMessage().length).isLessThanOrEqualTo(140);
    });
    // sent from the service number plus the case's extension, so the reply finds this case
    assertThat(m.source()).isEqualTo("1069000012301");
  }

  @Test
  void anEightyCharacterTextArrivesWholeEvenWithAnEmojiOnThePartBoundary() {
    // 66 characters, then an emoji on units 67-68 (camel-smpp's own splitter would cut it), then 12 more: 80 units
    String text = "【政务服务好差评】" + "您".repeat(57) + "😀" + "感谢您的参与如有疑问请拨";
    assertThat(text.length()).isEqualTo(80);
    SmsOutbox outbox = bean("smsOutbox", SmsOutbox.class);

    outbox.enqueue(new SmsOutbox.Outgoing("test:eighty", SmsKind.HELP, null, "13800000102", "10690000123", text));

    AssembledMessage m = awaitMessages("13800000102", 1).get(0);
    assertThat(m.text()).isEqualTo(text);
    assertThat(m.partCount()).isEqualTo(2);
    assertThat(m.anomalies()).isEmpty();
    assertThat(m.parts().get(0).text()).hasSize(66);
    assertThat(m.parts().get(1).text()).startsWith("😀");
  }

  @Test
  void receiptsSettleTheSmsLog() {
    smsc().setReceiptOutcome("13800000104", ReceiptOutcome.undeliverable("005"));
    smsc().setReceiptOutcome("13800000105", ReceiptOutcome.expired());
    push(completedCase("SMS-DLR-OK", "ONLINE", "13800000103"));
    push(completedCase("SMS-DLR-UNDELIV", "SELF_SERVICE", "13800000104"));
    push(completedCase("SMS-DLR-EXPIRED", "HOTLINE", "13800000105"));

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(status("SMS-DLR-OK")).isEqualTo(SmsLog.Status.DELIVERED);
      assertThat(status("SMS-DLR-UNDELIV")).isEqualTo(SmsLog.Status.FAILED);
      assertThat(status("SMS-DLR-EXPIRED")).isEqualTo(SmsLog.Status.EXPIRED);
    });
    SmsLog.Entry failed = smsLog().forCase("SMS-DLR-UNDELIV").get(0);
    assertThat(failed.statusDetail()).contains("UNDELIV").contains("005");
    // the receipt named the part by the SMSC's message id, which the log holds for each part
    List<String> ids = messagesTo("13800000103").get(0).messageIds();
    assertThat(ids).hasSize(2).doesNotContainNull();

    String metrics = api.unsigned().get("/observe/metrics").text();
    assertThat(metrics).contains("hcp_sms_submitted_total{kind=\"PROMPT\"}")
        .contains("hcp_sms_delivered_total{kind=\"PROMPT\"}")
        .contains("hcp_sms_failed_total{kind=\"PROMPT\",reason=\"UNDELIVERABLE\"}")
        .contains("hcp_sms_failed_total{kind=\"PROMPT\",reason=\"EXPIRED\"}")
        .contains("hcp_sms_bound 1.0");
  }

  @Test
  void anSmsTheSmscRefusesForGoodIsFailedAndNotRetried() {
    smsc().setSubmitErrorRate(1.0, 0x0B); // ESME_RINVDSTADR: this number will never work
    List<SubmittedPart> tried;
    try {
      push(completedCase("SMS-REFUSED", "ONLINE", "13800000106"));
      await().atMost(WAIT).until(() -> status("SMS-REFUSED") == SmsLog.Status.FAILED);
      tried = smsc().parts().stream().filter(p -> p.destination().equals("13800000106")).toList();
    } finally {
      smsc().reset();
    }
    SmsLog.Entry e = smsLog().forCase("SMS-REFUSED").get(0);
    assertThat(e.statusDetail()).contains("0x0000000B");
    // refused once per part, never again: the SMS left the outbox
    assertThat(tried).isNotEmpty().hasSizeLessThanOrEqualTo(2).allSatisfy(p -> assertThat(p.accepted()).isFalse());
    // the counter follows the log's commit, which the wait above saw
    await().atMost(WAIT).untilAsserted(() -> assertThat(bean("gatewayCore", GatewayCore.class).meters().find("hcp.sms.failed")
        .tag("reason", "NOT_SUBMITTED").counter()).isNotNull().satisfies(c -> assertThat(c.count()).isEqualTo(1.0)));
  }

  @Test
  void aCaseWithoutMobileOrNotCompletedGetsNoPrompt() {
    Map<String, Object> noMobile = completedCase("SMS-NOMOBILE", "ONLINE", "13800000107");
    noMobile.put("applicant", Map.of("name", "李四", "idType", "111", "idNo", "440881199001011233", "userProp", "1"));
    push(noMobile);
    Map<String, Object> open = completedCase("SMS-OPEN", "ONLINE", "13800000108");
    open.put("status", "IN_PROGRESS");
    open.remove("completedAt");
    push(open);
    SmsSchedule schedule = bean("smsSchedule", SmsSchedule.class);

    await().atMost(WAIT).until(() -> schedule.find("PROMPT:SMS-NOMOBILE").map(r -> r.doneAt() != null).orElse(false));
    assertThat(schedule.find("PROMPT:SMS-NOMOBILE").orElseThrow().outcome()).isEqualTo("NO_MOBILE");
    assertThat(schedule.find("PROMPT:SMS-OPEN")).isEmpty();
    assertThat(smsLog().forCase("SMS-NOMOBILE")).isEmpty();
  }

  @Test
  void healthShowsTheBindWithoutMakingItReadinessCritical() {
    Api.Response health = api.unsigned().get("/observe/health");
    JsonNode smscCheck = null;
    for (JsonNode c : health.json().get("checks")) {
      if (c.get("id").asText().equals("smsc")) {
        smscCheck = c;
      }
    }
    assertThat(smscCheck).as(health.text()).isNotNull();
    assertThat(smscCheck.get("state").asText()).isEqualTo("UP");
    assertThat(smscCheck.get("details").get("bind").asText()).isEqualTo("BOUND");
    assertThat(smscCheck.get("details").get("smsc").asText()).startsWith("built-in SMSC simulator");
    assertThat(smscCheck.toString()).doesNotContain(api.credential("smsc.sim.password"));
  }

  private SmsLog.Status status(String caseNo) {
    List<SmsLog.Entry> entries = smsLog().forCase(caseNo);
    return entries.isEmpty() ? null : entries.get(0).status();
  }
}
