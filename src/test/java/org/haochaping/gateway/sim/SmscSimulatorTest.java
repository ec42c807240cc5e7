package org.haochaping.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.haochaping.gateway.sms.SmsSegments;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator driven by a real jSMPP client over a loopback socket. */
class SmscSimulatorTest {

  private static final String SERVICE = "10690000123";
  private static final String MOBILE = "13800000000";
  private static final String PROMPT = "您在市政务服务中心办理的业务已办结，请回复1-5评价：1非常满意2满意3基本满意4不满意5非常不满意";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private SmscSimulator smsc;
  private final List<SMPPSession> clients = new ArrayList<>();

  @BeforeEach
  void startSimulator() throws IOException {
    smsc = SmscSimulator.start(SmscSimulator.Settings.defaults());
  }

  @AfterEach
  void stopAll() {
    // close(), not unbindAndClose(): jSMPP's server closes the socket right behind unbind_resp
    // and the jSMPP client then sometimes misses the response and waits its transaction timer.
    clients.forEach(SMPPSession::close);
    if (smsc != null) {
      smsc.stop();
    }
  }

  // ---------------------------------------------------------------- binds

  @Test
  void bindTransceiverIsAccepted() throws IOException {
    SMPPSession client = bind(BindType.BIND_TRX, null);
    assertThat(client.getSessionState()).isEqualTo(SessionState.BOUND_TRX);
    await().atMost(WAIT).until(() -> smsc.boundSessions() == 1);
    assertThat(smsc.stats().bindsAccepted()).isEqualTo(1);
  }

  @Test
  void wrongPasswordIsRefusedWithInvalidPassword() {
    assertThat(bindStatus(BindType.BIND_TRX, "hcpgw", "wrong")).isEqualTo(SMPPConstant.STAT_ESME_RINVPASWD);
    assertThat(smsc.stats().bindsRefused()).isEqualTo(1);
    assertThat(smsc.boundSessions()).isZero();
  }

  @Test
  void unknownSystemIdIsRefusedWithInvalidSystemId() {
    assertThat(bindStatus(BindType.BIND_TRX, "someone", "hcpsim01"))
        .isEqualTo(SMPPConstant.STAT_ESME_RINVSYSID);
  }

  @Test
  void transmitterAndReceiverBindsAreAccepted() throws IOException {
    assertThat(bind(BindType.BIND_TX, null).getSessionState()).isEqualTo(SessionState.BOUND_TX);
    assertThat(bind(BindType.BIND_RX, new ConcurrentLinkedQueue<>()).getSessionState())
        .isEqualTo(SessionState.BOUND_RX);
    await().atMost(WAIT).until(() -> smsc.boundSessions() == 2);
  }

  @Test
  void bindsBeyondTheCarrierLimitAreRefusedUntilOneIsReleased() throws IOException {
    smsc.stop();
    smsc = SmscSimulator.start(SmscSimulator.Settings.defaults().withMaxBinds(2));
    SMPPSession first = bind(BindType.BIND_TRX, null);
    bind(BindType.BIND_TRX, null);

    assertThat(bindStatus(BindType.BIND_TRX, "hcpgw", "hcpsim01")).isEqualTo(SMPPConstant.STAT_ESME_RBINDFAIL);

    first.unbindAndClose();
    await().atMost(WAIT).until(() -> smsc.boundSessions() == 1);
    assertThat(bind(BindType.BIND_TRX, null).getSessionState()).isEqualTo(SessionState.BOUND_TRX);
  }

  @Test
  void refusedBindsComeBackWhenTheFaultIsLifted() throws IOException {
    smsc.setRefuseBinds(true);
    assertThat(bindStatus(BindType.BIND_TRX, "hcpgw", "hcpsim01")).isEqualTo(SMPPConstant.STAT_ESME_RBINDFAIL);
    smsc.setRefuseBinds(false);
    assertThat(bind(BindType.BIND_TRX, null).getSessionState()).isEqualTo(SessionState.BOUND_TRX);
  }

  @Test
  void droppedBindsCloseTheClientSessionAndRebindWorks() throws IOException {
    SMPPSession client = bind(BindType.BIND_TRX, null);
    await().atMost(WAIT).until(() -> smsc.boundSessions() == 1);

    assertThat(smsc.dropBinds()).isEqualTo(1);

    await().atMost(WAIT).until(() -> client.getSessionState() == SessionState.CLOSED);
    assertThat(smsc.boundSessions()).isZero();
    assertThat(bind(BindType.BIND_TRX, null).getSessionState()).isEqualTo(SessionState.BOUND_TRX);
  }

  @Test
  void enquireLinkIsAnswered() throws IOException {
    SMPPSession client = new SMPPSession();
    client.setEnquireLinkTimer(100); // the client sends enquire_link after 100 ms idle
    clients.add(client);
    client.connectAndBind("127.0.0.1", smsc.port(), bindParameter(BindType.BIND_TRX, "hcpgw", "hcpsim01"));

    await().atMost(WAIT).until(() -> smsc.stats().enquireLinks() >= 2);
    assertThat(client.getSessionState()).isEqualTo(SessionState.BOUND_TRX);
  }

  // ---------------------------------------------------------------- submit_sm

  @Test
  void singleChineseTextIsRecordedAndDecoded() throws Exception {
    SMPPSession client = bind(BindType.BIND_TRX, null);
    assertThat(PROMPT.length()).isLessThanOrEqualTo(70);

    String id = submit(client, PROMPT.getBytes(StandardCharsets.UTF_16BE), 0, 0);

    await().atMost(WAIT).until(() -> smsc.messages().size() == 1);
    AssembledMessage message = smsc.messages().get(0);
    assertThat(message.text()).isEqualTo(PROMPT);
    assertThat(message.source()).isEqualTo(SERVICE);
    assertThat(message.destination()).isEqualTo(MOBILE);
    assertThat(message.messageIds()).containsExactly(id);
    SubmittedPart part = message.parts().get(0);
    assertThat(part.dataCoding()).isEqualTo(8);
    assertThat(part.concat()).isNull();
    assertThat(part.anomalies()).isEmpty();
    assertThat(part.receivedAt()).isNotNull();
    assertThat(part.shortMessage()).isEqualTo(PROMPT.getBytes(StandardCharsets.UTF_16BE));
  }

  @Test
  void eightyCharacterTextInTwoUdhPartsIsReassembledExactly() throws Exception {
    SMPPSession client = bind(BindType.BIND_TRX, null);
    String text = (PROMPT + "感谢您的支持！如有疑问请拨打12345政务服务便民热线，我们将竭诚为您服务。").substring(0, 80);
    assertThat(text).hasSize(80);
    List<byte[]> sms = SmsSegments.ucs2ShortMessages(text, 0x2A);
    assertThat(sms).hasSize(2);

    String id1 = submit(client, sms.get(0), SmsSegments.ESM_CLASS_UDHI, 0);
    String id2 = submit(client, sms.get(1), SmsSegments.ESM_CLASS_UDHI, 0);

    await().atMost(WAIT).until(() -> smsc.messages().size() == 1);
    AssembledMessage message = smsc.messages().get(0);
    assertThat(message.text()).isEqualTo(text);
    assertThat(message.messageIds()).containsExactly(id1, id2);
    assertThat(message.anomalies()).isEmpty();
    assertThat(smsc.parts())
        .extracting(SubmittedPart::concat)
        .containsExactly(
            new Concat(Concat.Scheme.UDH_8BIT, 0x2A, 2, 1), new Concat(Concat.Scheme.UDH_8BIT, 0x2A, 2, 2));
    assertThat(smsc.parts()).extracting(SubmittedPart::esmClass).containsOnly(0x40);
  }

  @Test
  void sixteenBitReferencePartsSentInReverseOrderAreReassembled() throws Exception {
    SMPPSession client = bind(BindType.BIND_TRX, null);
    String text = PROMPT + PROMPT + PROMPT; // 150 characters
    // A 16-bit reference makes the UDH 7 octets: 133 left, so 66 characters a part.
    List<String> texts = List.of(text.substring(0, 66), text.substring(66, 132), text.substring(132));
    for (int seq = texts.size(); seq >= 1; seq--) {
      byte[] udh = {0x06, 0x08, 0x04, 0x01, 0x02, (byte) texts.size(), (byte) seq};
      byte[] payload = texts.get(seq - 1).getBytes(StandardCharsets.UTF_16BE);
      byte[] sm = new byte[udh.length + payload.length];
      System.arraycopy(udh, 0, sm, 0, udh.length);
      System.arraycopy(payload, 0, sm, udh.length, payload.length);
      submit(client, sm, 0x40, 0);
    }
    await().atMost(WAIT).until(() -> smsc.messages().size() == 1);
    assertThat(smsc.messages().get(0).text()).isEqualTo(text);
    assertThat(smsc.incomplete()).isEmpty();
  }

  @Test
  void sarParametersAreReassembled() throws Exception {
    SMPPSession client = bind(BindType.BIND_TRX, null);
    List<String> texts = SmsSegments.split(PROMPT + "谢谢！");
    for (int i = 0; i < texts.size(); i++) {
      client.submitShortMessage(
          "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, SERVICE,
          TypeOfNumber.UNKNOWN, NumberingPlanIndicator.ISDN, MOBILE, new ESMClass(0), (byte) 0,
          (byte) 0, null, null, new RegisteredDelivery(0), (byte) 0, new RawDataCoding((byte) 8),
          (byte) 0, texts.get(i).getBytes(StandardCharsets.UTF_16BE),
          new OptionalParameter.Sar_msg_ref_num((short) 777),
          new OptionalParameter.Sar_total_segments((byte) texts.size()),
          new OptionalParameter.Sar_segment_seqnum((byte) (i + 1)));
    }
    await().atMost(WAIT).until(() -> smsc.messages().size() == 1);
    assertThat(smsc.messages().get(0).text()).isEqualTo(PROMPT + "谢谢！");
    assertThat(smsc.parts().get(0).concat().scheme()).isEqualTo(Concat.Scheme.SAR);
  }

  @Test
  void tooLongSinglePartIsRefusedAsACarrierWould() throws IOException {
    SMPPSession client = bind(BindType.BIND_TRX, null);
    byte[] eightyChars = "评".repeat(80).getBytes(StandardCharsets.UTF_16BE); // 160 octets, no UDH

    assertThat(submitStatus(client, eightyChars, 0, 8)).isEqualTo(SMPPConstant.STAT_ESME_RINVMSGLEN);
    assertThat(smsc.parts()).singleElement().satisfies(p -> {
      assertThat(p.accepted()).isFalse();
      assertThat(p.anomalies()).containsExactly(Anomaly.TOO_LONG);
    });
    assertThat(smsc.messages()).isEmpty();
  }

  @Test
  void chineseUnderDataCodingZeroIsFlagged() throws Exception {
    SMPPSession client = bind(BindType.BIND_TRX, null);
    submitStatus(client, "请评价".getBytes(StandardCharsets.UTF_8), 0, 0);
    await().atMost(WAIT).until(() -> smsc.messages().size() == 1);
    assertThat(smsc.messages().get(0).anomalies()).containsExactly(Anomaly.NON_GSM_CHARACTER);
  }

  @Test
  void submitsAboveTheTpsLimitAreThrottled() throws IOException {
    smsc.setMaxTps(1);
    SMPPSession client = bind(BindType.BIND_TRX, null);
    byte[] sm = "好".getBytes(StandardCharsets.UTF_16BE);
    assertThat(submitStatus(client, sm, 0, 8)).isZero();
    // the second, right after, is in the same second
    assertThat(submitStatus(client, sm, 0, 8)).isEqualTo(SMPPConstant.STAT_ESME_RTHROTTLED);
    assertThat(smsc.stats().submitsThrottled()).isEqualTo(1);
    assertThat(smsc.maxSubmitsPerSecond()).isEqualTo(2); // every submit_sm received counts
  }

  @Test
  void injectedErrorsAreReturned() throws IOException {
    smsc.setSubmitErrorRate(1.0, SMPPConstant.STAT_ESME_RMSGQFUL);
    SMPPSession client = bind(BindType.BIND_TRX, null);
    assertThat(submitStatus(client, "好".getBytes(StandardCharsets.UTF_16BE), 0, 8))
        .isEqualTo(SMPPConstant.STAT_ESME_RMSGQFUL);
    smsc.reset();
    assertThat(submitStatus(client, "好".getBytes(StandardCharsets.UTF_16BE), 0, 8)).isZero();
  }

  // ---------------------------------------------------------------- receipts

  @Test
  void deliveryReceiptArrivesWithTheMessageId() throws Exception {
    Queue<DeliverSm> inbox = new ConcurrentLinkedQueue<>();
    SMPPSession client = bind(BindType.BIND_TRX, inbox);

    String id = submit(client, PROMPT.getBytes(StandardCharsets.UTF_16BE), 0, 1);

    await().atMost(WAIT).until(() -> !inbox.isEmpty());
    DeliverSm receipt = inbox.peek();
    assertThat(receipt.isSmscDeliveryReceipt()).isTrue();
    assertThat(receipt.getEsmClass()).isEqualTo((byte) 0x04);
    assertThat(receipt.getSourceAddr()).isEqualTo(MOBILE);
    assertThat(receipt.getDestAddress()).isEqualTo(SERVICE);
    String text = new String(receipt.getShortMessage(), StandardCharsets.US_ASCII);
    assertThat(text)
        .matches(
            "id:" + id + " sub:001 dlvrd:001 submit date:\\d{10} done date:\\d{10}"
                + " stat:DELIVRD err:000 text:.{20}");
    DeliveryReceipt parsed = receipt.getShortMessageAsDeliveryReceipt();
    assertThat(parsed.getId()).isEqualTo(id);
    assertThat(parsed.getFinalStatus()).isEqualTo(DeliveryReceiptState.DELIVRD);
    OptionalParameter.COctetString receipted =
        (OptionalParameter.COctetString)
            receipt.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
    assertThat(receipted.getValueAsString()).isEqualTo(id);
    await().atMost(WAIT).until(() -> smsc.stats().receiptsSent() == 1);
  }

  @Test
  void outcomePerDestinationAndFailureOnlyReceipts() throws Exception {
    Queue<DeliverSm> inbox = new ConcurrentLinkedQueue<>();
    SMPPSession client = bind(BindType.BIND_TRX, inbox);
    smsc.setReceiptOutcome("13900000009", ReceiptOutcome.undeliverable("005"));

    submit(client, "好".getBytes(StandardCharsets.UTF_16BE), 0, 2); // to MOBILE: delivered, no receipt
    String failed =
        client.submitShortMessage(
                "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, SERVICE,
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.ISDN, "13900000009", new ESMClass(0),
                (byte) 0, (byte) 0, null, null, new RegisteredDelivery(2), (byte) 0,
                new RawDataCoding((byte) 8), (byte) 0, "好".getBytes(StandardCharsets.UTF_16BE))
            .getMessageId();

    await().atMost(WAIT).until(() -> !inbox.isEmpty());
    DeliveryReceipt receipt = inbox.peek().getShortMessageAsDeliveryReceipt();
    assertThat(receipt.getId()).isEqualTo(failed);
    assertThat(receipt.getFinalStatus()).isEqualTo(DeliveryReceiptState.UNDELIV);
    assertThat(receipt.getError()).isEqualTo("005");
    assertThat(smsc.deliveries()).singleElement().extracting(Delivery::receiptedMessageId).isEqualTo(failed);
  }

  @Test
  void receiptsQueuedWhileUnboundAreDeliveredAfterRebind() throws Exception {
    SMPPSession sender = bind(BindType.BIND_TX, null); // a transmitter cannot take deliver_sm
    smsc.setReceiptOutcome(ReceiptOutcome.expired());
    String id = submit(sender, "好".getBytes(StandardCharsets.UTF_16BE), 0, 1);
    await().atMost(WAIT).until(() -> smsc.stats().deliveriesQueued() == 1);

    Queue<DeliverSm> inbox = new ConcurrentLinkedQueue<>();
    bind(BindType.BIND_RX, inbox);

    await().atMost(WAIT).until(() -> !inbox.isEmpty());
    DeliveryReceipt receipt = inbox.peek().getShortMessageAsDeliveryReceipt();
    assertThat(receipt.getId()).isEqualTo(id);
    assertThat(receipt.getFinalStatus()).isEqualTo(DeliveryReceiptState.EXPIRED);
  }

  // ---------------------------------------------------------------- MO

  /**
   * Receipts go out as a carrier's SMSC sends them, several deliver_sm awaiting their response at
   * once, but never more than the window; replies (MO) stay one at a time, in order.
   */
  @Test
  void receiptsGoOutWithAWindowAndRepliesInOrder() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger held = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<String> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
    SMPPSession client = new SMPPSession();
    client.setTransactionTimer(5_000);
    client.setPduProcessorDegree(SmscSimulator.RECEIPT_WINDOW * 2);
    client.setMessageReceiverListener(new Inbox(new ConcurrentLinkedQueue<>()) {
      @Override
      public void onAcceptDeliverSm(DeliverSm deliverSm) {
        if (!deliverSm.isSmscDeliveryReceipt()) {
          replies.add(new String(deliverSm.getShortMessage(), StandardCharsets.UTF_16BE));
          return;
        }
        peak.accumulateAndGet(held.incrementAndGet(), Math::max);
        try {
          release.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          held.decrementAndGet();
        }
      }
    });
    clients.add(client);
    client.connectAndBind("127.0.0.1", smsc.port(), bindParameter(BindType.BIND_TRX, "hcpgw", "hcpsim01"));
    int submits = SmscSimulator.RECEIPT_WINDOW + 4;
    for (int i = 0; i < submits; i++) {
      submit(client, PROMPT.getBytes(StandardCharsets.UTF_16BE), 0, 1);
    }

    await().atMost(WAIT).until(() -> held.get() == SmscSimulator.RECEIPT_WINDOW);
    release.countDown();
    await().atMost(WAIT).until(() -> smsc.stats().receiptsSent() == submits);
    assertThat(peak.get()).as("receipts awaiting their response at once").isEqualTo(SmscSimulator.RECEIPT_WINDOW);

    for (int i = 0; i < 5; i++) {
      smsc.injectMo(MOBILE, SERVICE, "回复" + i);
    }
    await().atMost(WAIT).until(() -> replies.size() == 5);
    assertThat(replies).containsExactly("回复0", "回复1", "回复2", "回复3", "回复4");
  }

  @Test
  void injectedMoArrivesAsUcs2DeliverSm() throws Exception {
    Queue<DeliverSm> inbox = new ConcurrentLinkedQueue<>();
    bind(BindType.BIND_TRX, inbox);

    smsc.injectMo(MOBILE, SERVICE + "01", "1 非常满意");

    await().atMost(WAIT).until(() -> !inbox.isEmpty());
    DeliverSm mo = inbox.peek();
    assertThat(mo.isSmscDeliveryReceipt()).isFalse();
    assertThat(mo.getDataCoding()).isEqualTo((byte) 8);
    assertThat(mo.getSourceAddr()).isEqualTo(MOBILE);
    assertThat(mo.getDestAddress()).isEqualTo(SERVICE + "01");
    assertThat(new String(mo.getShortMessage(), StandardCharsets.UTF_16BE)).isEqualTo("1 非常满意");
    await().atMost(WAIT).until(() -> smsc.stats().mosSent() == 1);
  }

  @Test
  void moGoesToTheReceiverNotTheTransmitter() throws Exception {
    bind(BindType.BIND_TX, null);
    Queue<DeliverSm> inbox = new ConcurrentLinkedQueue<>();
    bind(BindType.BIND_RX, inbox);

    smsc.injectMo(MOBILE, SERVICE, "5");

    await().atMost(WAIT).until(() -> !inbox.isEmpty());
    assertThat(new String(inbox.peek().getShortMessage(), StandardCharsets.UTF_16BE)).isEqualTo("5");
  }

  @Test
  void longMoIsSentAsConcatenatedParts() throws Exception {
    Queue<DeliverSm> inbox = new ConcurrentLinkedQueue<>();
    bind(BindType.BIND_TRX, inbox);
    String text = "4 不满意。" + PROMPT + PROMPT; // 106 characters

    smsc.injectMo(MOBILE, SERVICE, text);

    await().atMost(WAIT).until(() -> inbox.size() == 2);
    StringBuilder joined = new StringBuilder();
    for (DeliverSm part : inbox) {
      assertThat(part.getEsmClass() & 0x40).isEqualTo(0x40);
      byte[] sm = part.getShortMessage();
      int udhl = sm[0] + 1;
      joined.append(new String(sm, udhl, sm.length - udhl, StandardCharsets.UTF_16BE));
    }
    assertThat(joined.toString()).isEqualTo(text);
  }

  // ---------------------------------------------------------------- rate

  @Test
  void maxRateOverOneSecondWindowsFromSyntheticTimestamps() {
    long ms = 1_000_000L;
    long[] t = {0, 500 * ms, 999 * ms, 1000 * ms, 1500 * ms, 2600 * ms};
    // [0, 1 s) holds 0, 500, 999; [500, 1500) holds 500, 999, 1000; never 4: 0 and 1000 are a full second apart
    assertThat(PeakRate.maxInAnyWindow(t, Duration.ofSeconds(1))).isEqualTo(3);

    long[] burst = new long[12];
    for (int i = 0; i < 10; i++) {
      burst[i] = 5_000 * ms + i * 10 * ms; // ten within 100 ms
    }
    burst[10] = 0;
    burst[11] = 9_000 * ms;
    assertThat(PeakRate.maxInAnyWindow(burst, Duration.ofSeconds(1))).isEqualTo(10);
    assertThat(PeakRate.maxInAnyWindow(new long[0], Duration.ofSeconds(1))).isZero();
    assertThat(PeakRate.maxInAnyWindow(new long[] {42}, Duration.ofSeconds(1))).isEqualTo(1);
  }

  @Test
  void runningPeakRateAgreesWithTheWindowScan() {
    Random random = new Random(7);
    long[] t = new long[2_000];
    long now = 0;
    PeakRate running = new PeakRate(Duration.ofSeconds(1));
    for (int i = 0; i < t.length; i++) {
      now += random.nextInt(20_000_000); // 0..20 ms apart
      t[i] = now;
      running.record(now);
    }
    assertThat(running.peak()).isEqualTo(PeakRate.maxInAnyWindow(t, Duration.ofSeconds(1)));
    assertThat(running.peak()).isGreaterThan(50);
  }

  // ---------------------------------------------------------------- helpers

  private SMPPSession bind(BindType type, Queue<DeliverSm> inbox) throws IOException {
    SMPPSession client = new SMPPSession();
    client.setTransactionTimer(5_000);
    if (inbox != null) {
      client.setMessageReceiverListener(new Inbox(inbox));
    }
    clients.add(client);
    client.connectAndBind("127.0.0.1", smsc.port(), bindParameter(type, "hcpgw", "hcpsim01"));
    return client;
  }

  private int bindStatus(BindType type, String systemId, String password) {
    SMPPSession client = new SMPPSession();
    clients.add(client);
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> client.connectAndBind("127.0.0.1", smsc.port(), bindParameter(type, systemId, password)));
    assertThat(thrown).isInstanceOf(IOException.class).hasCauseInstanceOf(NegativeResponseException.class);
    return ((NegativeResponseException) thrown.getCause()).getCommandStatus();
  }

  private static BindParameter bindParameter(BindType type, String systemId, String password) {
    return new BindParameter(
        type, systemId, password, "hcp", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null);
  }

  private static String submit(SMPPSession client, byte[] sm, int esmClass, int registeredDelivery)
      throws Exception {
    return client
        .submitShortMessage(
            "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, SERVICE, TypeOfNumber.UNKNOWN,
            NumberingPlanIndicator.ISDN, MOBILE, new ESMClass(esmClass), (byte) 0, (byte) 0, null,
            null, new RegisteredDelivery(registeredDelivery), (byte) 0, new RawDataCoding((byte) 8),
            (byte) 0, sm)
        .getMessageId();
  }

  /** The command status of a submit_sm_resp (0 when accepted). */
  private static int submitStatus(SMPPSession client, byte[] sm, int esmClass, int dataCoding) {
    try {
      client.submitShortMessage(
          "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, SERVICE, TypeOfNumber.UNKNOWN,
          NumberingPlanIndicator.ISDN, MOBILE, new ESMClass(esmClass), (byte) 0, (byte) 0, null,
          null, new RegisteredDelivery(0), (byte) 0, new RawDataCoding((byte) dataCoding),
          (byte) 0, sm);
      return 0;
    } catch (NegativeResponseException e) {
      return e.getCommandStatus();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static class Inbox implements MessageReceiverListener {
    private final Queue<DeliverSm> inbox;

    Inbox(Queue<DeliverSm> inbox) {
      this.inbox = inbox;
    }

    @Override
    public void onAcceptDeliverSm(DeliverSm deliverSm) {
      inbox.add(deliverSm);
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alertNotification) {}

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
      throw new ProcessRequestException("not used", SMPPConstant.STAT_ESME_RINVCMDID);
    }
  }
}
