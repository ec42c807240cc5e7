package org.haochaping.gateway.sms;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.smpp.SmppConstants;
import org.apache.camel.support.SynchronizationAdapter;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.broker.DurablePublisher;
import org.haochaping.gateway.channel.RatingIds;
import org.haochaping.gateway.model.Masking;
import org.haochaping.gateway.store.PersonalDataCipher;
import org.haochaping.gateway.store.StoreException;
import org.jsmpp.bean.ESMClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way every SMS leaves: logged QUEUED, then sent persistently to the broker queue
 * {@code sms.outbox} (so that nothing is lost if the SMSC is down or the gateway dies), from which
 * the route {@code sms-send} submits it part by part and acknowledges it only after the last
 * submit_sm_resp. The steps of that route are the methods below.
 */
public final class SmsOutbox {

  private static final Logger LOG = LoggerFactory.getLogger(SmsOutbox.class);

  /** The multicast address and queue of SMS waiting to be submitted. */
  public static final String ADDRESS = "sms.outbox";
  public static final String QUEUE = "sms.outbox";

  static final String SMS = "hcpSms";
  static final String PART = "hcpSmsPart";
  static final String IDS = "hcpSmsMessageIds";
  static final String DELIVERY = "hcpSmsDelivery";

  /**
   * An SMS to send: what caused it ({@code trigger}, e.g. {@code PROMPT:<caseNo>}: the same trigger
   * twice is one SMS), who (in clear, sealed before it rests anywhere), from which source address, what.
   */
  public record Outgoing(String trigger, SmsKind kind, String caseNo, String mobile, String sourceAddr, String text) {
    @Override
    public String toString() {
      return "Outgoing[" + trigger + " " + kind + " case " + caseNo + " to " + Masking.mobile(mobile) + "]";
    }
  }

  private final SmsLog log;
  private final PersonalDataCipher cipher;
  private final DurablePublisher publisher;
  private final SmsSettings settings;
  private final SmsMetrics metrics;
  private final Duration sendTimeout;
  private final SmsLogWriter writer;
  private final Clock clock;
  /** The validity period as SMPP writes it, formatted once (null: none, the SMSC's default). */
  private final String validityPeriod;

  public SmsOutbox(SmsLog log, SmsLogWriter writer, PersonalDataCipher cipher, DurablePublisher publisher, SmsSettings settings,
      SmsMetrics metrics, Duration sendTimeout, Clock clock) {
    this.log = log;
    this.cipher = cipher;
    this.publisher = publisher;
    this.settings = settings;
    this.metrics = metrics;
    this.sendTimeout = sendTimeout;
    this.writer = writer;
    this.clock = clock;
    this.validityPeriod = settings.validity().isZero() ? null : relative(settings.validity());
  }

  /**
   * Logs the SMS and puts it durably in the outbox; returns its id when the broker has it. A trigger
   * already logged is put again under the id it has (the broker's duplicate detection drops it if it
   * got there, the sending route skips it if it was sent).
   */
  public String enqueue(Outgoing o) {
    List<String> parts = SmsSegments.split(o.text());
    String key = SmsLog.keyOf(o.trigger());
    int reference = key.hashCode() & 0xFF;
    SmsLog.Queued queued = log.queue(new SmsLog.Entry(RatingIds.next(clock), key, o.caseNo(), o.kind(), cipher.mobileIndex(o.mobile()),
        o.sourceAddr(), o.text(), parts.size(), reference, SmsLog.Status.QUEUED, null, 0, null, null, null));
    String smsId = queued.smsId();
    OutboxMessage m = new OutboxMessage(smsId, o.kind(), o.caseNo(), cipher.seal(o.mobile().getBytes(StandardCharsets.UTF_8)),
        o.sourceAddr(), o.text(), reference);
    try {
      publisher.publish(ADDRESS, Json.bytes(m), "sms:" + smsId, Map.of("kind", o.kind().name()))
          .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while queueing SMS " + smsId, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new StoreException("the broker did not take SMS " + smsId + ": " + e, e);
    }
    if (queued.fresh()) {
      metrics.queued(o.kind());
      LOG.info("SMS {} {} for case {} to {} queued ({} part(s))", smsId, o.kind(), o.caseNo(), Masking.mobile(o.mobile()),
          parts.size());
    }
    return smsId;
  }

  // ------------------------------------------------------------------ steps of the route sms-send

  /**
   * The queued SMS as its parts still to submit (the body becomes a list of {@link SmsPart}): none
   * when it was submitted already (a duplicate delivery) or when it has been tried
   * {@code hcp.smsc.maxAttempts} times (then it is logged FAILED); after a redelivery only the
   * parts the SMSC has not accepted yet.
   */
  public void parts(Exchange exchange) {
    Message in = exchange.getMessage();
    OutboxMessage m = Json.read(in.getBody(byte[].class), OutboxMessage.class);
    exchange.setProperty(SMS, m);
    // the message ids of the parts, filled by the split's sub-exchanges (they share this map)
    Map<Integer, String> ids = new ConcurrentSkipListMap<>();
    exchange.setProperty(IDS, ids);
    exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
      @Override
      public void onFailure(Exchange failed) {
        keepAcceptedParts(m, ids);
      }
    });
    SmsLog.Entry logged = log.find(m.smsId()).orElse(null);
    int delivery = in.getHeader("JMSXDeliveryCount", 1, Integer.class);
    exchange.setProperty(DELIVERY, delivery);
    List<SmsPart> todo = new ArrayList<>();
    if (logged == null || logged.status() != SmsLog.Status.QUEUED) {
      LOG.debug("SMS {} is {} already; nothing to send", m.smsId(), logged == null ? "unknown" : logged.status());
    } else if (delivery > settings.maxAttempts()) {
      log.failed(m.smsId(), "gave up after " + settings.maxAttempts() + " attempts").ifPresent(metrics::changed);
      LOG.warn("SMS {} {} for case {}: gave up after {} attempts", m.smsId(), m.kind(), m.caseNo(), settings.maxAttempts());
    } else {
      String mobile = new String(cipher.open(m.mobileSealed()), StandardCharsets.UTF_8);
      Set<Integer> accepted = delivery > 1 ? log.acceptedParts(m.smsId()) : Set.of();
      List<String> texts = SmsSegments.split(m.text());
      List<byte[]> octets = SmsSegments.ucs2ShortMessages(m.text(), m.reference());
      for (int i = 0; i < octets.size(); i++) {
        if (!accepted.contains(i + 1)) {
          todo.add(new SmsPart(m.smsId(), m.kind(), i + 1, octets.size(), octets.get(i), texts.get(i), mobile, m.sourceAddr()));
        }
      }
    }
    in.setBody(todo);
  }

  /**
   * A later part failed after earlier ones were accepted (the bind dropped mid-message): the
   * accepted parts' ids are written before the broker redelivers the SMS, which then sends only the
   * missing parts, with the same UDH reference, so the handset joins them and no part is sent twice.
   * (A part whose submit_sm_resp was lost with the bind is still unknown and is sent again: SMPP has
   * no idempotent submit; docs/sms.md.)
   */
  private void keepAcceptedParts(OutboxMessage m, Map<Integer, String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    try {
      log.partsAccepted(m.smsId(), Map.copyOf(ids));
      LOG.info("SMS {}: parts {} of {} accepted before the failure, kept; the retry sends the rest", m.smsId(), ids.keySet(),
          SmsSegments.partCount(m.text()));
    } catch (StoreException e) {
      LOG.warn("SMS {}: the accepted parts {} could not be kept ({}); the retry may send them again", m.smsId(), ids.keySet(),
          e.getMessage());
    }
  }

  /** One part as camel-smpp's submit_sm: UCS-2 (data_coding 8), our own UDH, receipt requested. */
  public void toSubmitSm(Exchange exchange) {
    Message in = exchange.getMessage();
    SmsPart part = in.getBody(SmsPart.class);
    exchange.setProperty(PART, part);
    in.getHeaders().keySet().removeIf(h -> h.startsWith("Camel") || h.startsWith("JMS"));
    in.setBody(part.text());
    in.setHeader(SmppConstants.COMMAND, "SubmitSm");
    in.setHeader(SmppConstants.DEST_ADDR, part.mobile());
    in.setHeader(SmppConstants.DEST_ADDR_TON, settings.destTon());
    in.setHeader(SmppConstants.DEST_ADDR_NPI, settings.destNpi());
    in.setHeader(SmppConstants.SOURCE_ADDR, part.sourceAddr());
    in.setHeader(SmppConstants.SOURCE_ADDR_TON, settings.sourceTon());
    in.setHeader(SmppConstants.SOURCE_ADDR_NPI, settings.sourceNpi());
    // camel-smpp needs both: alphabet picks the encoding, data_coding goes on the wire (docs/sms.md)
    in.setHeader(SmppConstants.ALPHABET, (byte) SmsSegments.DATA_CODING_UCS2);
    in.setHeader(SmppConstants.DATA_CODING, (byte) SmsSegments.DATA_CODING_UCS2);
    in.setHeader(SmppConstants.DATA_SPLITTER, new PreSplitPart(part.shortMessage()));
    if (part.total() > 1) {
      in.setHeader(SmppConstants.ESM_CLASS, new ESMClass(SmsSegments.ESM_CLASS_UDHI));
    }
    in.setHeader(SmppConstants.REGISTERED_DELIVERY, settings.registeredDelivery());
    if (validityPeriod != null) {
      in.setHeader(SmppConstants.VALIDITY_PERIOD, validityPeriod);
    }
  }

  /** The SMSC accepted the part: its message id is kept for the log (receipts find the SMS by it). */
  @SuppressWarnings("unchecked")
  public void partAccepted(Exchange exchange) {
    SmsPart part = exchange.getProperty(PART, SmsPart.class);
    List<?> ids = exchange.getMessage().getHeader(SmppConstants.ID, List.class);
    if (ids == null || ids.isEmpty()) {
      throw new IllegalStateException("SMSC returned no message id for SMS " + part.smsId() + " part " + part.seq());
    }
    exchange.getProperty(IDS, Map.class).put(part.seq(), String.valueOf(ids.get(0)));
    exchange.getMessage().removeHeader(SmppConstants.DEST_ADDR);
  }

  /**
   * Every part is accepted: the message ids and SUBMITTED are committed (with other SMS in one
   * transaction) before the outbox message is acknowledged. An SMS refused on the way is FAILED
   * already and stays so.
   */
  @SuppressWarnings("unchecked")
  public void submitted(Exchange exchange) throws InterruptedException {
    OutboxMessage m = exchange.getProperty(SMS, OutboxMessage.class);
    Map<Integer, String> ids = exchange.getProperty(IDS, Map.class);
    if (m == null || ids == null || ids.isEmpty()) {
      return;
    }
    int delivery = exchange.getProperty(DELIVERY, 1, Integer.class);
    if (ids.size() < SmsSegments.partCount(m.text())) {
      // parts accepted on an earlier delivery are in the log already; a refused part left the SMS FAILED
      if (delivery == 1 || log.acceptedParts(m.smsId()).size() + ids.size() < SmsSegments.partCount(m.text())) {
        return;
      }
    }
    writer.submitted(new SmsLog.Submission(m.smsId(), m.kind(), Map.copyOf(ids), delivery));
  }

  /** The SMSC refused a part for good (route configuration sms-refusals): the SMS is FAILED, not retried. */
  public void refused(Exchange exchange) {
    OutboxMessage m = exchange.getProperty(SMS, OutboxMessage.class);
    SmscException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, SmscException.class);
    String why = "refused by the SMSC: " + (e == null ? "unknown" : e.getMessage());
    if (m != null) {
      log.failed(m.smsId(), why).ifPresent(metrics::changed);
      LOG.warn("SMS {} {} for case {}: {}", m.smsId(), m.kind(), m.caseNo(), why);
    }
  }

  /** SMPP 3.4 relative time "YYMMDDhhmmss000R" for a validity period. */
  static String relative(Duration d) {
    long minutes = d.toMinutes();
    long days = minutes / (24 * 60);
    long hours = minutes / 60 % 24;
    long mins = minutes % 60;
    return String.format("0000%02d%02d%02d00000R", Math.min(days, 99), hours, mins);
  }
}
