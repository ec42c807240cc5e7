package org.haochaping.gateway.sms;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.smpp.SmppConstants;
import org.apache.camel.component.smpp.SmppMessage;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.broker.DurablePublisher;
import org.haochaping.gateway.model.Masking;
import org.haochaping.gateway.store.PersonalDataCipher;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SMSC delivers on the transceiver bind (route {@code sms-inbound}). The SMSC gets its
 * deliver_sm_resp only when these methods return: a receipt is in the SMS log by then, a reply is
 * in the broker's journal. If either fails, the SMSC gets a negative response and delivers again.
 */
public final class SmsInbound {

  private static final Logger LOG = LoggerFactory.getLogger(SmsInbound.class);

  /** The address and queue of replies waiting to be handled. */
  public static final String ADDRESS = "sms.inbound";
  public static final String QUEUE = "sms.replies";

  private final PersonalDataCipher cipher;
  private final DurablePublisher publisher;
  private final SmsMetrics metrics;
  private final Clock clock;
  private final Duration sendTimeout;
  private final SmsLogWriter writer;

  public SmsInbound(SmsLogWriter writer, PersonalDataCipher cipher, DurablePublisher publisher, SmsMetrics metrics, Clock clock,
      Duration sendTimeout) {
    this.cipher = cipher;
    this.publisher = publisher;
    this.metrics = metrics;
    this.clock = clock;
    this.sendTimeout = sendTimeout;
    this.writer = writer;
  }

  /** A delivery receipt: the part it names (by SMSC message id) and so the SMS settle; committed before the resp. */
  public void receipt(Exchange exchange) throws InterruptedException {
    Message in = exchange.getMessage();
    String messageId = in.getHeader(SmppConstants.ID, String.class);
    Object state = in.getHeader(SmppConstants.FINAL_STATUS);
    String error = in.getHeader(SmppConstants.ERROR, "000", String.class);
    if (messageId == null || state == null) {
      LOG.warn("Delivery receipt without id or stat ignored");
      return;
    }
    metrics.receipts();
    writer.receipt(new SmsLog.Receipt(messageId, state.toString(), error));
  }

  /** A reply from a handset: sealed and put durably in the broker, grouped by mobile. */
  public void reply(Exchange exchange) {
    DeliverSm pdu = (DeliverSm) ((SmppMessage) exchange.getMessage()).getCommand();
    String mobile = pdu.getSourceAddr();
    byte[] userData = pdu.getShortMessage();
    if (userData == null || userData.length == 0) {
      OptionalParameter.OctetString payload = pdu.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD) instanceof
          OptionalParameter.OctetString p ? p : null;
      userData = payload == null ? new byte[0] : payload.getValue();
    }
    String hash = cipher.mobileIndex(mobile);
    InboundMessage m = new InboundMessage(UUID.randomUUID().toString(), cipher.seal(mobile.getBytes(StandardCharsets.UTF_8)), hash,
        pdu.getDestAddress(), pdu.getDataCoding() & 0xFF, pdu.getEsmClass() & 0xFF, userData, OffsetDateTime.now(clock));
    try {
      // JMSXGroupID: one consumer handles a mobile's replies in order ("5", then the reason)
      publisher.publish(ADDRESS, Json.bytes(m), "mo:" + m.moId(), Map.of("JMSXGroupID", hash))
          .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing a reply", e);
    } catch (ExecutionException | TimeoutException e) {
      // the SMSC gets a negative deliver_sm_resp and delivers the reply again later
      throw new IllegalStateException("the broker did not take a reply: " + e, e);
    }
    LOG.info("Reply {} from {} to {} queued", m.moId(), Masking.mobile(mobile), pdu.getDestAddress());
  }
}
