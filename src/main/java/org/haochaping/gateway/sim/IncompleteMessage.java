package org.haochaping.gateway.sim;

import java.util.List;
import java.util.Set;

/** A concatenated message still waiting for parts (the handset would show nothing yet). */
public record IncompleteMessage(
    String source,
    String destination,
    int reference,
    int total,
    List<SubmittedPart> parts,
    Set<Anomaly> anomalies) {

  public IncompleteMessage {
    parts = List.copyOf(parts);
    anomalies = Set.copyOf(anomalies);
  }

  public List<Integer> receivedSeqs() {
    return parts.stream().map(p -> p.concat().seq()).toList();
  }
}
