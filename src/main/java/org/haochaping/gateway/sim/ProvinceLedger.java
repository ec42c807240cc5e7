package org.haochaping.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
  private final Map<String, JsonNode> caseByProjectNo = new HashMap<>();
  private final Map<EvaluationKey, JsonNode> evaluationByKey = new HashMap<>();
  private final List<Receipt> cases = new ArrayList<>();
  private final List<Receipt> evaluations = new ArrayList<>();

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
    boolean update = caseByProjectNo.put(projectNo, record) != null;
    cases.add(new Receipt(++seq, clock.instant(), update, record));
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
    if (!caseByProjectNo.containsKey(projectNo)) {
      count(rejectedByCode, Outcome.UNKNOWN_CASE.code);
      return Outcome.UNKNOWN_CASE;
    }
    EvaluationKey key = new EvaluationKey(projectNo, assessNumber, serviceNumber);
    JsonNode earlier = evaluationByKey.putIfAbsent(key, record);
    if (earlier != null) {
      duplicatesAttempted++;
      if (earlier.equals(record)) {
        identicalResends++;
      }
      count(rejectedByCode, Outcome.DUPLICATE.code);
      return Outcome.DUPLICATE;
    }
    evaluations.add(new Receipt(++seq, clock.instant(), false, record));
    return Outcome.ACCEPTED;
  }

  public synchronized boolean knowsCase(String projectNo) {
    return caseByProjectNo.containsKey(projectNo);
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
        cases.size() - caseUpdates,
        caseUpdates,
        evaluations.size(),
        Map.copyOf(rejectedByCode),
        duplicatesAttempted,
        identicalResends,
        Map.copyOf(faultsInjected));
  }

  /** Forgets every record and counter. */
  public synchronized void reset() {
    seq = 0;
    caseByProjectNo.clear();
    evaluationByKey.clear();
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
