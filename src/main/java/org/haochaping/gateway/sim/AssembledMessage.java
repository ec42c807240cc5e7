package org.haochaping.gateway.sim;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A message as the handset shows it: a single submit_sm, or all parts of a concatenated one
 * joined in sequence order.
 *
 * @param parts the accepted parts in sequence order
 * @param anomalies every anomaly seen on the parts or on the concatenation
 */
public record AssembledMessage(
    String source,
    String destination,
    String text,
    List<SubmittedPart> parts,
    Instant firstReceivedAt,
    Instant completedAt,
    Set<Anomaly> anomalies) {

  public AssembledMessage {
    parts = List.copyOf(parts);
    anomalies = Set.copyOf(anomalies);
  }

  public int partCount() {
    return parts.size();
  }

  public List<String> messageIds() {
    return parts.stream().map(SubmittedPart::messageId).toList();
  }
}
