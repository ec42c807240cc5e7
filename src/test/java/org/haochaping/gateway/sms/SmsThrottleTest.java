package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.haochaping.gateway.sim.PeakRate;
import org.haochaping.gateway.sim.SubmittedPart;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The SMSC's TPS is never exceeded, measured from the simulator's receive timestamps of every submit_sm. */
@Tag("db")
class SmsThrottleTest extends SmsTestSupport {

  private static final int TPS = 10;

  @Override
  protected Properties useOverridePropertiesWithPropertiesComponent() {
    Properties p = super.useOverridePropertiesWithPropertiesComponent();
    p.setProperty("hcp.smsc.tps", Integer.toString(TPS));
    return p;
  }

  @Test
  void noSecondEverHoldsMoreSubmitsThanTheConfiguredTps() {
    SmsOutbox outbox = bean("smsOutbox", SmsOutbox.class);
    // 20 one-part and 10 two-part SMS: 40 submit_sm, all queued at once
    for (int i = 0; i < 30; i++) {
      String text = i < 20 ? "【政务服务好差评】测试短信" + i : "【政务服务好差评】" + "长短信测试内容".repeat(10) + i;
      outbox.enqueue(new SmsOutbox.Outgoing("tps:" + i, SmsKind.HELP, null, "1380000" + (4000 + i),
          "10690000123", text));
    }

    await().atMost(WAIT).until(() -> smsc().messages().size() == 30);

    List<SubmittedPart> parts = smsc().parts();
    assertThat(parts).hasSize(40).allSatisfy(p -> assertThat(p.accepted()).isTrue());
    long[] received = parts.stream().mapToLong(SubmittedPart::receivedNanos).toArray();
    assertThat(PeakRate.maxInAnyWindow(received, Duration.ofSeconds(1))).isLessThanOrEqualTo(TPS);
    assertThat(smsc().maxSubmitsPerSecond()).isLessThanOrEqualTo(TPS);
    assertThat(smsc().stats().submitsThrottled()).isZero();
  }
}
