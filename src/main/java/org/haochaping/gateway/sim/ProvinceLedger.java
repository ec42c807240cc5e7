package org.haochaping.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the simulated province has received and accepted, in arrival order, and what it counted.
 * One lock guards everything: check-and-insert must be atomic, and the critical sections are tiny.
 * Everything lives in memory until {@link #reset()}.
 */
public final class ProvinceLedger {

  /** One accepted record. {@code seq} orders cases and evaluations together. */
  public record Receipt(long seq, Instant receivedAt, boolean update, JsonNode record) {}

  /** What happened to one record. */
  public enum Outcome {
    ACCEPTED("0000", "成功"),
    UPDATED("0000", "成功（办件信息已更新）"),
    UNKNOWN_CASE("3001", "办件不存在"),
    DUPLICATE("3002", "评价数据不可重复");

    public final String code;
    public final String message;

    Outcome(String code, String message) {
      this.code = code;
      this.message = message;
    }
  }

  /** A snapshot of the counters, as {@code GET /sim/stats} shows them. */
  public record Stats(
      long requests,
      long caseRequests,
      long evaluationRequests,
      long envelopeRejected,
      long casesAccepted,
      long caseUpdates,
      long evaluationsAccepted,
      Map<String, Long> rejectedByCode,
      long duplicatesAttempted,
      long identicalResends,
      Map<String, Long> faultsInjected) {}

  private record EvaluationKey(String projectNo, String assessNumber, String serviceNumber) {}

  private final Clock clock;
  private long seq;
  // Keys for every case and evaluation (what the checks need); the records only in the receipts.
  private final Set<String> caseProjectNos = new HashSet<>();
  private final Map<EvaluationKey, Integer> evaluationHashByKey = new HashMap<>();
  private final Deque<Receipt> cases = new ArrayDeque<>();
  private final Deque<Receipt> evaluations = new ArrayDeque<>();
  private int keep = Integer.MAX_VALUE;

  private long requests;
  private long caseRequests;
  private long evaluationRequests;
  private long envelopeRejected;
  private long caseUpdates;
  private long duplicatesAttempted;
  private long identicalResends;
  private final Map<String, Long> rejectedByCode = new TreeMap<>();
  private final Map<String, Long> faultsInjected = new TreeMap<>();

  public ProvinceLedger(Clock clock) {
    this.clock = clock;
  }

  /** A case (办件) is accepted; the same projectNo again is an update. */
  public synchronized Outcome acceptCase(String projectNo, JsonNode record) {
    boolean update = !caseProjectNos.add(projectNo);
    kept(cases, new Receipt(++seq, clock.instant(), update, record));
    if (update) {
      caseUpdates++;
      return Outcome.UPDATED;
    }
    return Outcome.ACCEPTED;
  }

  /**
   * An evaluation is accepted once per (projectNo, assessNumber, serviceNumber), and only for a
   * case received before. A second one with the same key is refused even when identical.
   */
  public synchronized Outcome acceptEvaluation(String projectNo, String assessNumber, String serviceNumber, JsonNode record) {
    if (!caseProjectNos.contains(projectNo)) {
      count(rejectedByCode, Outcome.UNKNOWN_CASE.code);
      return Outcome.UNKNOWN_CASE;
    }
    EvaluationKey key = new EvaluationKey(projectNo, assessNumber, serviceNumber);
    Integer earlier = evaluationHashByKey.putIfAbsent(key, record.hashCode());
    if (earlier != null) {
      duplicatesAttempted++;
      if (earlier == record.hashCode()) {
        identicalResends++;
      }
      count(rejectedByCode, Outcome.DUPLICATE.code);
      return Outcome.DUPLICATE;
    }
    kept(evaluations, new Receipt(++seq, clock.instant(), false, record));
    return Outcome.ACCEPTED;
  }

  /**
   * Keeps the records of only the latest {@code n} accepted case pushes and {@code n} evaluations; the
   * counters, the duplicate and the unknown-case checks stay exact (they keep keys only). The simulator
   * built into the gateway keeps 20,000: one that kept every record (some 2 KB each) took a gateway
   * under steady load to the end of its heap (docs/benchmarks.md, soak).
   */
  public synchronized void keepLatest(int n) {
    keep = n;
    trim(cases);
    trim(evaluations);
  }

  private void kept(Deque<Receipt> receipts, Receipt r) {
    receipts.addLast(r);
    trim(receipts);
  }

  private void trim(Deque<Receipt> receipts) {
    while (receipts.size() > keep) {
      receipts.removeFirst();
    }
  }

  public synchronized boolean knowsCase(String projectNo) {
    return caseProjectNos.contains(projectNo);
  }

  /** Every accepted case push (updates included), oldest first. */
  public synchronized List<Receipt> cases() {
    return List.copyOf(cases);
  }

  /** Every accepted evaluation, oldest first. */
  public synchronized List<Receipt> evaluations() {
    return List.copyOf(evaluations);
  }

  synchronized void countRequest(boolean caseEndpoint) {
    requests++;
    if (caseEndpoint) {
      caseRequests++;
    } else {
      evaluationRequests++;
    }
  }

  synchronized void countEnvelopeRejected() {
    envelopeRejected++;
    count(rejectedByCode, "1001");
  }

  synchronized void countRejected(String code) {
    count(rejectedByCode, code);
  }

  synchronized void countFault(String kind) {
    count(faultsInjected, kind);
  }

  public synchronized Stats stats() {
    return new Stats(
        requests,
        caseRequests,
        evaluationRequests,
        envelopeRejected,
        caseProjectNos.size(),
        caseUpdates,
        evaluationHashByKey.size(),
        Map.copyOf(rejectedByCode),
        duplicatesAttempted,
        identicalResends,
        Map.copyOf(faultsInjected));
  }

  /** Forgets every record and counter. */
  public synchronized void reset() {
    seq = 0;
    caseProjectNos.clear();
    evaluationHashByKey.clear();
    cases.clear();
    evaluations.clear();
    requests = caseRequests = evaluationRequests = envelopeRejected = caseUpdates = duplicatesAttempted = identicalResends = 0;
    rejectedByCode.clear();
    faultsInjected.clear();
  }

  private static void count(Map<String, Long> counter, String key) {
    counter.merge(key, 1L, Long::sum);
  }
}
