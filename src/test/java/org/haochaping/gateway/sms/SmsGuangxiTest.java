package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Profile guangxi (seed 002): a prompt, no reminder (the seed has none), at most one solicitation per case. */
@Tag("db")
class SmsGuangxiTest extends SmsTestSupport {

  @Override
  protected String profile() {
    return "guangxi";
  }

  @Test
  void onePromptAndNoReminder() throws Exception {
    String mobile = "13800000401";
    push(completedCase("SMS-GX-1", "ONLINE", mobile));
    awaitMessages(mobile, 1);

    bean("gatewayCore", GatewayCore.class).publisher().publish(SmsTriggers.LIFECYCLE_EVENTS,
        Json.bytes(Map.of("type", "REMINDER_DUE", "caseNo", "SMS-GX-1")), "gx-reminder", Map.of()).get(10, TimeUnit.SECONDS);
    SmsSchedule schedule = bean("smsSchedule", SmsSchedule.class);
    schedule.add("PROMPT:SMS-GX-1:again", "SMS-GX-1", SmsKind.PROMPT, OffsetDateTime.now(clock), null);

    await().atMost(WAIT).until(() -> schedule.find("REMINDER:SMS-GX-1").map(r -> r.doneAt() != null).orElse(false)
        && schedule.find("PROMPT:SMS-GX-1:again").map(r -> r.doneAt() != null).orElse(false));
    assertThat(schedule.find("REMINDER:SMS-GX-1").orElseThrow().outcome()).isEqualTo("NO_REMINDER_IN_PROFILE");
    // sms.maxPerCase 1 in mappings/policy/guangxi.yaml
    assertThat(schedule.find("PROMPT:SMS-GX-1:again").orElseThrow().outcome()).isEqualTo("CASE_LIMIT");
    assertThat(messagesTo(mobile)).hasSize(1);
  }
}
