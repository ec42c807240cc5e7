package org.haochaping.gateway.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * SMS as Prometheus sees them: {@code hcp_sms_queued_total}, {@code hcp_sms_submitted_total},
 * {@code hcp_sms_delivered_total}, {@code hcp_sms_failed_total{reason}} per kind (failure rate =
 * failed / submitted), replies by outcome, triggers skipped by reason, and {@code hcp_sms_bound}
 * (1 while the transceiver is bound), and {@code hcp_sms_submits_in_doubt_total} (parts written whose answer
 * never came: sent again). Each status change is counted once, by the node that made it.
 */
public final class SmsMetrics {

  private final MeterRegistry registry;

  public SmsMetrics(MeterRegistry registry, SmscLink link) {
    this.registry = registry;
    Gauge.builder("hcp.sms.bound", link, l -> l.isBound() ? 1 : 0)
        .description("1 while the gateway is bound to the SMSC as a transceiver").register(registry);
    FunctionCounter.builder("hcp.sms.submits.in.doubt", link, SmscLink::submitsInDoubt)
        .description("submit_sm written whose submit_sm_resp never came (link dropped, timeout): sent again, so the "
            + "handset may get that part twice").register(registry);
  }

  public void queued(SmsKind kind) {
    counter("hcp.sms.queued", "SMS queued in sms.outbox", "kind", kind.name()).increment();
  }

  /** A status change recorded in the SMS log. */
  public void changed(SmsLog.Change change) {
    String kind = change.kind().name();
    switch (change.to()) {
      case SUBMITTED -> counter("hcp.sms.submitted", "SMS accepted by the SMSC (every part)", "kind", kind).increment();
      case DELIVERED -> counter("hcp.sms.delivered", "SMS delivered to the handset (receipts)", "kind", kind).increment();
      case FAILED, EXPIRED -> {
        String reason = change.to() == SmsLog.Status.EXPIRED ? "EXPIRED"
            : change.from() == SmsLog.Status.QUEUED ? "NOT_SUBMITTED" : "UNDELIVERABLE";
        registry.counter("hcp.sms.failed", "kind", kind, "reason", reason).increment();
      }
      default -> { }
    }
  }

  public void reply(String outcome) {
    counter("hcp.sms.replies", "replies (MO) by what they led to", "outcome", outcome).increment();
  }

  public void skipped(SmsKind kind, String reason) {
    registry.counter("hcp.sms.skipped", "kind", kind.name(), "reason", reason).increment();
  }

  public void receipts() {
    counter("hcp.sms.receipts", "delivery receipts received", "source", "smsc").increment();
  }

  private Counter counter(String name, String description, String tag, String value) {
    return Counter.builder(name).description(description).tag(tag, value).register(registry);
  }
}
