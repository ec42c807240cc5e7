package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.haochaping.gateway.sim.AssembledMessage;
import org.haochaping.gateway.sim.SubmittedPart;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The SMSC drops the bind in the middle of a stream: the gateway rebinds by itself and every queued
 * SMS reaches the handset; none is lost, because an SMS leaves sms.outbox only after its
 * submit_sm_resp. Receipts the SMSC held while the link was down arrive after the rebind.
 */
@Tag("db")
class SmsRebindTest extends SmsTestSupport {

  private static final int COUNT = 150;

  @Override
  protected Properties useOverridePropertiesWithPropertiesComponent() {
    Properties p = super.useOverridePropertiesWithPropertiesComponent();
    p.setProperty("hcp.smsc.tps", "60");
    // a submit_sm without an answer for 2 s is in doubt (the default is 10 s)
    p.setProperty("hcp.smsc.transactionMillis", "2000");
    return p;
  }

  @Test
  void bindDroppedMidStreamLosesNothing() {
    SmsOutbox outbox = bean("smsOutbox", SmsOutbox.class);
    SmscLink link = bean("smscLink", SmscLink.class);
    long bindsBefore = link.binds();
    Set<String> texts = new HashSet<>();
    for (int i = 0; i < COUNT; i++) {
      String text = "【政务服务好差评】第" + i + "条";
      texts.add(text);
      outbox.enqueue(new SmsOutbox.Outgoing("rebind:" + i, SmsKind.HELP, null, "1380000" + (5000 + i),
          "10690000123", text));
    }
    await().atMost(WAIT).until(() -> smsc().messages().size() >= 30);

    assertThat(smsc().dropBinds()).isEqualTo(1);

    await().atMost(WAIT).until(() -> received().containsAll(texts));
    await().atMost(WAIT).until(() -> link.isBound() && link.binds() > bindsBefore);
    // every one is logged delivered: the receipts queued at the SMSC during the drop came after the rebind
    await().atMost(WAIT).untilAsserted(() -> assertThat(statuses()).containsOnly(SmsLog.Status.DELIVERED).hasSize(COUNT));
    long duplicates = smsc().messages().size() - received().size();
    System.out.println("SmsRebindTest: " + COUNT + " SMS, bind dropped once, " + duplicates + " sent twice, " + link.submitsInDoubt()
        + " submit_sm in doubt, binds " + link.binds());
    assertThat(duplicates).as("SMS sent twice: only a submit_sm whose response was lost in the drop").isLessThanOrEqualTo(link.submitsInDoubt());
  }

  /**
   * A three-part SMS whose later part fails after earlier ones were accepted (the chaos run's finding:
   * one part reached the SMSC twice): the retry sends only the missing parts, with the same UDH
   * reference, so the handset joins them and the SMSC never receives an accepted part twice.
   */
  @Test
  void aPartFailingAfterEarlierPartsWereAcceptedIsTheOnlyOneSentAgain() {
    SmsOutbox outbox = bean("smsOutbox", SmsOutbox.class);
    // the second part of every SMS is refused the first time it comes (system error: transient)
    Set<String> refusedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    smsc().setSubmitRefusal((destination, concat) -> concat != null && concat.seq() == 2
        && refusedOnce.add(destination + "/" + concat.reference()));
    Set<String> texts = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      String text = "【政务服务好差评】" + i + "号：" + "您好，您在政务服务中心办理的事项已经办结，请对我们的服务进行评价。".repeat(5);
      assertThat(SmsSegments.partCount(text)).isEqualTo(3);
      texts.add(text);
      outbox.enqueue(new SmsOutbox.Outgoing("parts:" + i, SmsKind.HELP, null, "1380000" + (7000 + i), "10690000123", text));
    }
    await().atMost(WAIT).until(() -> received().containsAll(texts));
    smsc().setSubmitRefusal(null);

    List<SubmittedPart> parts = smsc().parts().stream().filter(p -> p.destination().startsWith("13800007")).toList();
    assertThat(parts.stream().filter(p -> !p.accepted()).count()).as("second parts refused once each").isEqualTo(20);
    Map<String, Long> accepted = parts.stream().filter(SubmittedPart::accepted)
        .collect(Collectors.groupingBy(p -> p.destination() + "/" + p.concat().reference() + "/" + p.concat().seq(), Collectors.counting()));
    assertThat(accepted).as("each part accepted once").hasSize(60).allSatisfy((part, times) -> assertThat(times).as(part).isEqualTo(1L));
  }

  /**
   * The SMSC takes a submit_sm and answers too late: the gateway cannot know whether it has it, counts
   * the part in doubt, and sends it again, so the handset gets it at least once (docs/sms.md "Parts
   * in doubt").
   */
  @Test
  void aSubmitWhoseResponseNeverComesIsCountedInDoubtAndSentAgain() {
    SmsOutbox outbox = bean("smsOutbox", SmsOutbox.class);
    SmscLink link = bean("smscLink", SmscLink.class);
    long before = link.submitsInDoubt();
    String mobile = "13800008000";
    smsc().setSubmitResponseDelay(java.time.Duration.ofMillis(3_000));
    try {
      outbox.enqueue(new SmsOutbox.Outgoing("doubt:1", SmsKind.HELP, null, mobile, "10690000123", "【政务服务好差评】迟到的回应"));
      await().atMost(WAIT).until(() -> partsTo(mobile).size() >= 1);
    } finally {
      smsc().setSubmitResponseDelay(java.time.Duration.ZERO);
    }
    await().atMost(WAIT).until(() -> smsLog().findByKey("doubt:1").map(SmsLog.Entry::status).orElse(null) == SmsLog.Status.DELIVERED);

    assertThat(link.submitsInDoubt() - before).as("submits in doubt").isEqualTo(1);
    assertThat(link.details()).containsEntry("submitsInDoubt", link.submitsInDoubt());
    assertThat(partsTo(mobile)).as("the part in doubt, sent again").hasSize(2)
        .allSatisfy(p -> assertThat(p.accepted()).isTrue());
    assertThat(api.unsigned().get("/observe/metrics").text()).contains("hcp_sms_submits_in_doubt_total");
  }

  private List<SubmittedPart> partsTo(String mobile) {
    return smsc().parts().stream().filter(p -> p.destination().equals(mobile)).toList();
  }

  @Test
  void smsQueuedWhileTheSmscRefusesBindsGoOutOnceItTakesThemAgain() {
    SmsOutbox outbox = bean("smsOutbox", SmsOutbox.class);
    SmscLink link = bean("smscLink", SmscLink.class);
    smsc().setRefuseBinds(true);
    smsc().dropBinds();
    await().atMost(WAIT).until(() -> !link.isBound() && link.details().containsKey("lastError")
        && String.valueOf(link.details().get("lastError")).contains("bind"));
    for (int i = 0; i < 5; i++) {
      outbox.enqueue(new SmsOutbox.Outgoing("refused-bind:" + i, SmsKind.HELP, null, "1380000" + (6000 + i),
          "10690000123", "【政务服务好差评】等待重连" + i));
    }
    assertThat(api.unsigned().get("/observe/health/ready").status()).as("SMSC down does not make the gateway unready")
        .isEqualTo(200);

    smsc().setRefuseBinds(false);

    await().atMost(WAIT).until(() -> received().containsAll(List.of("【政务服务好差评】等待重连0", "【政务服务好差评】等待重连4")));
    assertThat(link.isBound()).isTrue();
  }

  private Set<String> received() {
    return smsc().messages().stream().map(AssembledMessage::text).collect(Collectors.toSet());
  }

  private List<SmsLog.Status> statuses() {
    List<SmsLog.Status> out = new java.util.ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      smsLog().findByKey("rebind:" + i).ifPresent(e -> out.add(e.status()));
    }
    return out;
  }
}
