package org.haochaping.gateway.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Joins concatenated parts the way a handset does: parts belong together when they share
 * originator, recipient, reference and part count; they are shown in sequence order once all have
 * arrived, each part decoded on its own. Not thread-safe: the simulator calls it under its lock.
 */
final class Reassembler {

  private record Key(String source, String destination, int reference, int total) {}

  private static final class Group {
    final TreeMap<Integer, SubmittedPart> parts = new TreeMap<>();
    final Set<Anomaly> anomalies = EnumSet.noneOf(Anomaly.class);
  }

  /** What {@link #offer} made of a part. */
  record Offer(SubmittedPart part, Optional<AssembledMessage> completed) {}

  private final Map<Key, Group> pending = new LinkedHashMap<>();

  Offer offer(SubmittedPart part, Instant now) {
    Concat concat = part.concat();
    if (concat == null) {
      return new Offer(
          part,
          Optional.of(
              new AssembledMessage(
                  part.source(), part.destination(), part.text(), List.of(part),
                  part.receivedAt(), now, part.anomalies())));
    }
    if (!concat.inRange()) {
      return new Offer(part, Optional.empty()); // a handset drops it
    }
    Key key = new Key(part.source(), part.destination(), concat.reference(), concat.total());
    Set<Anomaly> extra = EnumSet.noneOf(Anomaly.class);
    for (Map.Entry<Key, Group> e : pending.entrySet()) {
      Key other = e.getKey();
      if (other.total() != key.total()
          && other.reference() == key.reference()
          && other.source().equals(key.source())
          && other.destination().equals(key.destination())) {
        extra.add(Anomaly.PART_COUNT_MISMATCH);
        e.getValue().anomalies.add(Anomaly.PART_COUNT_MISMATCH);
      }
    }
    Group group = pending.computeIfAbsent(key, k -> new Group());
    group.anomalies.addAll(extra);
    if (group.parts.containsKey(concat.seq())) {
      extra.add(Anomaly.DUPLICATE_PART);
      group.anomalies.add(Anomaly.DUPLICATE_PART);
      return new Offer(part.withAnomalies(extra), Optional.empty()); // the first copy is kept
    }
    SubmittedPart annotated = part.withAnomalies(extra);
    group.parts.put(concat.seq(), annotated);
    if (group.parts.size() < concat.total()) {
      return new Offer(annotated, Optional.empty());
    }
    pending.remove(key);
    List<SubmittedPart> ordered = new ArrayList<>(group.parts.values());
    StringBuilder text = new StringBuilder();
    Set<Anomaly> anomalies = EnumSet.noneOf(Anomaly.class);
    anomalies.addAll(group.anomalies);
    for (SubmittedPart p : ordered) {
      text.append(p.text());
      anomalies.addAll(p.anomalies());
    }
    Instant first =
        ordered.stream().map(SubmittedPart::receivedAt).min(Comparator.naturalOrder()).orElse(now);
    return new Offer(
        annotated,
        Optional.of(
            new AssembledMessage(
                part.source(), part.destination(), text.toString(), ordered, first, now,
                anomalies)));
  }

  List<IncompleteMessage> incomplete() {
    List<IncompleteMessage> out = new ArrayList<>();
    pending.forEach(
        (k, g) ->
            out.add(
                new IncompleteMessage(
                    k.source(), k.destination(), k.reference(), k.total(),
                    List.copyOf(g.parts.values()), g.anomalies)));
    return out;
  }

  void clear() {
    pending.clear();
  }
}
