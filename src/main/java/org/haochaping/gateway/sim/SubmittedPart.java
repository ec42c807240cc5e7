package org.haochaping.gateway.sim;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * One submit_sm as the simulator received it.
 *
 * @param messageId the id returned in submit_sm_resp; null when the submit was refused
 * @param commandStatus 0 when accepted, otherwise the error status returned (e.g. 0x58 throttled)
 * @param systemId the system_id of the session that sent it
 * @param receivedAt wall-clock receive time
 * @param receivedNanos {@link System#nanoTime()} at receive, for rate measurements
 * @param shortMessage the raw user data (short_message, or message_payload when that was used)
 * @param text the decoded text of this part alone (UDH removed)
 * @param concat concatenation information, or null when this part is a whole message
 */
public record SubmittedPart(
    String messageId,
    int commandStatus,
    String systemId,
    Instant receivedAt,
    long receivedNanos,
    String source,
    String destination,
    int dataCoding,
    int esmClass,
    int registeredDelivery,
    byte[] shortMessage,
    String text,
    Concat concat,
    Set<Anomaly> anomalies) {

  public SubmittedPart {
    shortMessage = shortMessage.clone();
    anomalies = Set.copyOf(anomalies);
  }

  @Override
  public byte[] shortMessage() {
    return shortMessage.clone();
  }

  public boolean accepted() {
    return commandStatus == 0;
  }

  public String shortMessageHex() {
    return HexFormat.of().formatHex(shortMessage);
  }

  SubmittedPart withAnomalies(Set<Anomaly> more) {
    if (anomalies.containsAll(more)) {
      return this;
    }
    EnumSet<Anomaly> all = EnumSet.noneOf(Anomaly.class);
    all.addAll(anomalies);
    all.addAll(more);
    return new SubmittedPart(
        messageId, commandStatus, systemId, receivedAt, receivedNanos, source, destination,
        dataCoding, esmClass, registeredDelivery, shortMessage, text, concat, all);
  }
}
