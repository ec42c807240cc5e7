package org.haochaping.gateway.province;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.broker.RatingCodec;
import org.haochaping.gateway.model.CaseEvent;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.province.ForwardingStore.Claim;
import org.haochaping.gateway.province.ForwardingStore.Outcome;
import org.haochaping.gateway.province.ForwardingStore.Status;
import org.haochaping.gateway.province.GroupingQueue.Item;
import org.haochaping.gateway.store.CaseStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumers of {@code ratings::province.forward} and {@code case-events::province.cases}: every
 * accepted rating and every case reaches the provincial 好差评 system, the case first.
 *
 * <p>Each broker consumer hands in one message and waits; messages are grouped, claimed in the
 * database (ForwardingStore: the record's key fixed, state SENDING), their cases pushed if the
 * province does not have them yet, sent in batches of {@code batch.size} records, and the outcome
 * written; only then is each message acknowledged. A transient failure is retried here with
 * backoff and jitter behind a circuit breaker and a rate limit; after {@code retry.attempts}
 * failed calls the messages go back to the broker, which redelivers them later. A record the
 * province refuses for good goes to the dead-letter queue with the province's code and message.
 */
public final class ProvinceForwarder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProvinceForwarder.class);

  /** A rating as it came from the broker: decoded, and the message body for the dead-letter queue. */
  record Incoming(Rating rating, byte[] body) {}

  private final ConnectorProfile connector;
  private final NationalMapping mapping;
  private final ProvinceClient client;
  private final ForwardingStore store;
  private final CaseStore cases;
  private final RatingCodec codec;
  private final CircuitBreaker breaker;
  private final RequestPacer pacer;
  private final ForwardingMetrics metrics;
  private final ExecutorService calls;
  private final GroupingQueue<Incoming, Void> ratings;
  private final GroupingQueue<CaseEvent, Void> caseEvents;
  private volatile boolean running = true;
  private volatile String lastFailure = "";
  private volatile java.time.Instant lastFailureAt;
  private volatile java.time.Instant lastSuccessAt;

  ProvinceForwarder(ConnectorProfile connector, NationalMapping mapping, ProvinceClient client, ForwardingStore store,
      CaseStore cases, RatingCodec codec, CircuitBreaker breaker, ForwardingMetrics metrics) {
    this.connector = connector;
    this.mapping = mapping;
    this.client = client;
    this.store = store;
    this.cases = cases;
    this.codec = codec;
    this.breaker = breaker;
    this.pacer = new RequestPacer(connector.tps());
    this.metrics = metrics;
    AtomicInteger n = new AtomicInteger();
    this.calls = Executors.newFixedThreadPool(connector.inFlight(), r -> {
      Thread t = new Thread(r, "hcp-province-call-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    // Each group is claimed and settled in one transaction (two commits, the main cost) and waits
    // for the province in between (its cases, then its ratings, in parallel batches). A few groups
    // overlap, so one is in the database while others wait for answers; fewer, larger groups mean
    // fewer commits. With a slow province the rate is bounded by the ratings in flight (consumers),
    // not by the number of groups. A group holds up to 500 ratings, however many go in one request.
    int group = Math.max(connector.batchSize(), Math.min(ConnectorProfile.MAX_BATCH, connector.consumers()));
    this.ratings = new GroupingQueue<>("hcp-province-ratings", group, connector.batchWindow(),
        Math.max(2, connector.inFlight() / 2), this::handleRatings);
    this.caseEvents = new GroupingQueue<>("hcp-province-cases", connector.batchSize(), connector.batchWindow(),
        Math.max(1, connector.inFlight() / 2), this::handleCaseEvents);
  }

  // ---- the two consumers' beans -------------------------------------------------------------

  /** {@code ratings::province.forward}: returns once the rating is decided; throws to have it redelivered. */
  public void forward(byte[] body) throws Exception {
    await(ratings.offer(new Incoming(codec.decode(body), body)));
  }

  /** {@code case-events::province.cases}: returns once the province has the case as it stands now. */
  public void forwardCaseEvent(byte[] body) throws Exception {
    await(caseEvents.offer(Json.read(body, CaseEvent.class)));
  }

  private void await(CompletableFuture<Void> result) throws Exception {
    while (true) {
      try {
        result.get(1, TimeUnit.SECONDS);
        return;
      } catch (TimeoutException e) {
        if (!running) {
          throw new ProvinceUnavailable("the gateway is stopping; the message will be delivered again");
        }
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
      }
    }
  }

  // ---- ratings ------------------------------------------------------------------------------

  /** One rating's way through a group. */
  private static final class Work {
    final Incoming in;
    final Claim claim;
    boolean maybeDelivered;
    ObjectNode record;
    Status status;
    String code;
    String message;
    String retry;

    Work(Incoming in, Claim claim) {
      this.in = in;
      this.claim = claim;
      this.maybeDelivered = claim.maybeDelivered();
    }

    Rating rating() {
      return in.rating();
    }

    boolean open() {
      return status == null && retry == null;
    }

    void decide(Status s, String c, String m) {
      status = s;
      code = c;
      message = m;
    }
  }

  private void handleRatings(List<Item<Incoming, Void>> group) {
    // Two deliveries of one rating in a group (a replay racing the original) share one fate.
    Map<String, List<Item<Incoming, Void>>> byId = new LinkedHashMap<>();
    for (Item<Incoming, Void> item : group) {
      byId.computeIfAbsent(item.value().rating().ratingId(), id -> new ArrayList<>()).add(item);
    }
    List<Rating> distinct = byId.values().stream().map(items -> items.get(0).value().rating()).toList();
    Map<String, Claim> claims = store.claim(distinct);

    List<Work> work = new ArrayList<>();
    List<Outcome> decidedBefore = new ArrayList<>();
    Map<String, String[]> decisions = store.decisions(claims.values().stream().filter(Claim::settled).map(Claim::ratingId).toList());
    for (List<Item<Incoming, Void>> items : byId.values()) {
      Incoming in = items.get(0).value();
      Claim claim = claims.get(in.rating().ratingId());
      if (claim.settled()) {
        String[] d = decisions.getOrDefault(claim.ratingId(), new String[] {null, null});
        decidedBefore.add(new Outcome(in.rating(), in.body(), claim, statusOf(claim.before()), d[0], d[1]));
      } else {
        work.add(new Work(in, claim));
      }
    }
    // Redelivered after its outcome was written (a crash before the acknowledgement): nothing to send.
    store.resync(decidedBefore);

    sendRatings(work);

    List<Work> decided = work.stream().filter(w -> w.status != null).toList();
    store.settle(decided.stream().map(w -> new Outcome(w.rating(), w.in.body(), w.claim, w.status, w.code, w.message)).toList());
    decidedBefore.forEach(o -> byId.get(o.rating().ratingId()).forEach(i -> i.result().complete(null)));
    for (Work w : work) {
      for (Item<Incoming, Void> item : byId.get(w.rating().ratingId())) {
        if (w.status != null) {
          item.result().complete(null);
        } else {
          item.result().completeExceptionally(new ProvinceUnavailable("rating " + w.rating().ratingId() + " not forwarded yet: "
              + (w.retry == null ? "no answer" : w.retry)));
        }
      }
      metrics.record("evaluation", w.status == null ? "RETRY" : w.status.name(), 1);
      if (w.status != null) {
        metrics.rating(w.rating().channel().name(), w.status.name(), w.code);
      }
      if (w.status == Status.REJECTED_BY_PROVINCE || w.status == Status.DEAD_LETTER) {
        LOG.warn("Rating {} of case {} to the dead-letter queue: {} {} {}", w.rating().ratingId(), w.rating().caseNo(), w.status,
            w.code, ProvinceText.scrub(w.message));
      }
    }
  }

  private void sendRatings(List<Work> work) {
    if (work.isEmpty()) {
      return;
    }
    // 1. The ordering rule: the province must hold the case before any rating of it.
    Set<String> caseNos = new LinkedHashSet<>();
    work.forEach(w -> caseNos.add(w.rating().caseNo()));
    Map<String, CaseVerdict> verdicts = ensureCases(caseNos, false);
    Map<String, ServiceCase> known = new LinkedHashMap<>();
    verdicts.forEach((caseNo, v) -> known.put(caseNo, v.serviceCase()));
    for (Work w : work) {
      applyCaseVerdict(w, verdicts.get(w.rating().caseNo()));
      if (w.open()) {
        build(w, known.get(w.rating().caseNo()));
      }
    }
    // 2. The evaluations, in batches.
    List<Work> ready = work.stream().filter(Work::open).toList();
    send(ready);
    // 3. 3001: the province lost (or never kept) the case: push it again, then the ratings once more.
    List<Work> orphans = ready.stream().filter(w -> w.open() && ProvinceReply.CASE_UNKNOWN.equals(w.code)).toList();
    if (!orphans.isEmpty()) {
      Set<String> again = new LinkedHashSet<>();
      orphans.forEach(w -> again.add(w.rating().caseNo()));
      LOG.info("Province does not know {} case(s) (3001); pushing them again before their ratings", again.size());
      Map<String, CaseVerdict> repushed = ensureCases(again, true);
      List<Work> retry = new ArrayList<>();
      for (Work w : orphans) {
        w.code = null;
        applyCaseVerdict(w, repushed.get(w.rating().caseNo()));
        if (w.open()) {
          retry.add(w);
        }
      }
      send(retry);
      for (Work w : retry) {
        if (w.open() && ProvinceReply.CASE_UNKNOWN.equals(w.code)) {
          w.retry = "3001 again after the case was pushed";
        }
      }
    }
  }

  private void applyCaseVerdict(Work w, CaseVerdict v) {
    switch (v.kind()) {
      case AT_PROVINCE -> { }
      case REFUSED -> w.decide(Status.REJECTED_BY_PROVINCE, v.code(),
          "办件 " + w.rating().caseNo() + " 未被省平台接收（" + v.code() + "）：" + v.message());
      case UNMAPPABLE -> w.decide(Status.DEAD_LETTER, "CASE", v.message());
      case RETRY -> w.retry = "case not at the province: " + v.message();
    }
  }

  private void build(Work w, ServiceCase c) {
    try {
      w.record = mapping.evaluation(w.rating(), c, w.claim.serviceNumber());
    } catch (NationalMapping.Unmappable e) {
      w.decide(Status.DEAD_LETTER, "MAPPING", e.getMessage());
    }
  }

  /** Sends the open records in batches, concurrently, and reads each record's result. */
  private void send(List<Work> ready) {
    List<List<Work>> chunks = chunks(ready, connector.batchSize());
    List<CompletableFuture<Call>> futures = new ArrayList<>();
    for (List<Work> chunk : chunks) {
      List<ObjectNode> records = chunk.stream().map(w -> w.record).toList();
      futures.add(CompletableFuture.supplyAsync(() -> call("evaluation", records), calls));
    }
    for (int i = 0; i < chunks.size(); i++) {
      List<Work> chunk = chunks.get(i);
      Call call = join(futures.get(i));
      if (call.failedBefore()) {
        // an earlier call of this batch may have reached the province before it failed
        chunk.forEach(w -> w.maybeDelivered = true);
      }
      if (call.reply() == null) {
        chunk.forEach(w -> w.retry = call.failure());
      } else if (!call.reply().ok()) {
        // 2002 (payload refused as a whole) or a code the guide does not define: will not pass as it is
        chunk.forEach(w -> w.decide(Status.DEAD_LETTER, call.reply().code(), "省平台拒收整批：" + call.reply().message()));
      } else {
        for (int r = 0; r < chunk.size(); r++) {
          read(chunk.get(r), call.reply().results().get(r));
        }
      }
    }
  }

  private void read(Work w, ProvinceReply.Result result) {
    String code = result.code() == null ? "" : result.code();
    switch (code) {
      case ProvinceReply.OK -> w.decide(Status.FORWARDED, code, null);
      case ProvinceReply.DUPLICATE -> {
        if (w.maybeDelivered) {
          // An earlier call of this record (same key) may have arrived before its answer was lost:
          // the province's 3002 says it holds the record. Delivered, not a second copy.
          w.decide(Status.FORWARDED, code, "3002 on a resend: the province already held this record");
        } else {
          w.decide(Status.REJECTED_BY_PROVINCE, code, result.message());
        }
      }
      case ProvinceReply.CASE_UNKNOWN -> w.code = code;
      case ProvinceReply.INVALID_FIELD -> w.decide(Status.REJECTED_BY_PROVINCE, code, result.message());
      default -> w.decide(Status.DEAD_LETTER, code.isEmpty() ? "UNKNOWN" : code, "省平台未知结果：" + result.message());
    }
  }

  // ---- cases --------------------------------------------------------------------------------

  /** Whether the province has a case, and the case as the gateway has it. */
  private record CaseVerdict(Kind kind, ServiceCase serviceCase, String code, String message) {
    enum Kind { AT_PROVINCE, REFUSED, UNMAPPABLE, RETRY }
  }

  /** Makes sure the province has each case: pushes those it may not have ({@code force}: all of them). */
  private Map<String, CaseVerdict> ensureCases(Set<String> caseNos, boolean force) {
    Set<String> there = force ? Set.of() : store.casesAtProvince(caseNos);
    Map<String, ServiceCase> held = cases.findAll(caseNos);
    Map<String, CaseVerdict> verdicts = new LinkedHashMap<>();
    List<ServiceCase> push = new ArrayList<>();
    for (String caseNo : caseNos) {
      ServiceCase c = held.get(caseNo);
      if (c == null) {
        verdicts.put(caseNo, new CaseVerdict(CaseVerdict.Kind.UNMAPPABLE, null, "CASE",
            "网关没有办件 " + caseNo + " / the gateway has no case " + caseNo));
      } else if (there.contains(caseNo)) {
        verdicts.put(caseNo, new CaseVerdict(CaseVerdict.Kind.AT_PROVINCE, c, null, null));
      } else {
        push.add(c);
      }
    }
    verdicts.putAll(pushCases(push));
    return verdicts;
  }

  /** Pushes the cases as they stand, records what the province answered, and says so per case. */
  private Map<String, CaseVerdict> pushCases(List<ServiceCase> push) {
    Map<String, CaseVerdict> verdicts = new LinkedHashMap<>();
    List<ServiceCase> mapped = new ArrayList<>();
    List<ObjectNode> records = new ArrayList<>();
    for (ServiceCase c : push) {
      try {
        records.add(mapping.caseRecord(c));
        mapped.add(c);
      } catch (NationalMapping.Unmappable e) {
        LOG.error("Case {} cannot be sent to the province: {}", c.caseNo(), e.getMessage());
        verdicts.put(c.caseNo(), new CaseVerdict(CaseVerdict.Kind.UNMAPPABLE, c, "MAPPING", e.getMessage()));
      }
    }
    List<List<ServiceCase>> caseChunks = chunks(mapped, connector.batchSize());
    List<List<ObjectNode>> recordChunks = chunks(records, connector.batchSize());
    List<CompletableFuture<Call>> futures = new ArrayList<>();
    for (List<ObjectNode> chunk : recordChunks) {
      futures.add(CompletableFuture.supplyAsync(() -> call("case", chunk), calls));
    }
    List<ForwardingStore.CaseOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < caseChunks.size(); i++) {
      Call call = join(futures.get(i));
      List<ServiceCase> chunk = caseChunks.get(i);
      for (int k = 0; k < chunk.size(); k++) {
        ServiceCase c = chunk.get(k);
        if (call.reply() == null) {
          verdicts.put(c.caseNo(), new CaseVerdict(CaseVerdict.Kind.RETRY, c, null, call.failure()));
          continue;
        }
        ProvinceReply.Result result = call.reply().ok() ? call.reply().results().get(k) : null;
        String code = result == null ? call.reply().code() : result.code();
        String message = result == null ? "省平台拒收整批：" + call.reply().message() : result.message();
        boolean accepted = ProvinceReply.OK.equals(code);
        outcomes.add(new ForwardingStore.CaseOutcome(c.caseNo(), c.status().name(), accepted, code, message));
        verdicts.put(c.caseNo(), accepted ? new CaseVerdict(CaseVerdict.Kind.AT_PROVINCE, c, code, message)
            : new CaseVerdict(CaseVerdict.Kind.REFUSED, c, code, ProvinceText.scrub(message)));
        metrics.record("case", accepted ? "FORWARDED" : "REJECTED_BY_PROVINCE", 1);
        if (!accepted) {
          LOG.warn("Province refused case {}: {} {}", c.caseNo(), code, ProvinceText.scrub(message));
        }
      }
    }
    store.recordCases(outcomes);
    return verdicts;
  }

  private void handleCaseEvents(List<Item<CaseEvent, Void>> group) {
    Map<String, List<Item<CaseEvent, Void>>> byCase = new LinkedHashMap<>();
    for (Item<CaseEvent, Void> item : group) {
      byCase.computeIfAbsent(item.value().caseNo(), k -> new ArrayList<>()).add(item);
    }
    List<ServiceCase> push = new ArrayList<>();
    Map<String, ServiceCase> held = storedAsTheirEvents(byCase);
    for (Map.Entry<String, List<Item<CaseEvent, Void>>> e : byCase.entrySet()) {
      ServiceCase c = held.get(e.getKey());
      int wanted = e.getValue().stream().mapToInt(i -> i.value().to().ordinal()).max().orElse(0);
      if (c == null || c.status().ordinal() < wanted) {
        // The event is published just before the case row is written: try again in a moment.
        e.getValue().forEach(i -> i.result().completeExceptionally(
            new ProvinceUnavailable("case " + e.getKey() + " is not stored as " + i.value().to() + " yet")));
      } else {
        push.add(c);
      }
    }
    Map<String, CaseVerdict> verdicts = pushCases(push);
    verdicts.forEach((caseNo, v) -> byCase.get(caseNo).forEach(i -> {
      if (v.kind() == CaseVerdict.Kind.RETRY) {
        i.result().completeExceptionally(new ProvinceUnavailable("case " + caseNo + " not pushed yet: " + v.message()));
      } else {
        // accepted, refused (recorded; its ratings will say why) or unmappable (logged): decided
        i.result().complete(null);
      }
    }));
  }

  /**
   * The cases as stored. An event is published just before its case row is written, so a case
   * may be missing or one status behind for a moment: read again for up to two seconds before the
   * message goes back to the broker.
   */
  private Map<String, ServiceCase> storedAsTheirEvents(Map<String, List<Item<CaseEvent, Void>>> byCase) {
    Map<String, ServiceCase> held = new LinkedHashMap<>(cases.findAll(byCase.keySet()));
    for (int round = 0; round < 20 && running; round++) {
      Set<String> behind = new LinkedHashSet<>();
      byCase.forEach((caseNo, items) -> {
        ServiceCase c = held.get(caseNo);
        int wanted = items.stream().mapToInt(i -> i.value().to().ordinal()).max().orElse(0);
        if (c == null || c.status().ordinal() < wanted) {
          behind.add(caseNo);
        }
      });
      if (behind.isEmpty()) {
        break;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      held.putAll(cases.findAll(behind));
    }
    return held;
  }

  // ---- one call, with retries ---------------------------------------------------------------

  /** The outcome of calling the province for one batch: a reply, or the last failure. */
  private record Call(ProvinceReply reply, String failure, boolean failedBefore) {}

  private Call call(String kind, List<ObjectNode> records) {
    int failures = 0;
    while (true) {
      boolean probe = false;
      try {
        probe = breaker.acquire();
        pacer.acquire();
        long start = System.nanoTime();
        try {
          ProvinceReply reply = kind.equals("case") ? client.postCases(records) : client.postEvaluations(records);
          breaker.onSuccess();
          lastSuccessAt = java.time.Instant.now();
          if (probe) {
            LOG.info("Province reachable again: forwarding resumed (circuit breaker closed)");
          }
          metrics.call(kind, true, records.size(), Duration.ofNanos(System.nanoTime() - start));
          return new Call(reply, null, failures > 0);
        } catch (ProvinceUnavailable e) {
          metrics.call(kind, false, records.size(), Duration.ofNanos(System.nanoTime() - start));
          CircuitBreaker.State before = breaker.state();
          breaker.onFailure();
          lastFailure = e.getMessage();
          lastFailureAt = java.time.Instant.now();
          if (breaker.state() == CircuitBreaker.State.OPEN && before != CircuitBreaker.State.OPEN) {
            LOG.warn("Province unreachable, forwarding paused (circuit breaker open): {}", e.getMessage());
          }
          // a failed probe only confirms the outage: it does not use up the batch's attempts
          if (!probe && ++failures >= connector.retryAttempts()) {
            LOG.warn("Giving {} {} record(s) back to the broker after {} failed calls: {}", records.size(), kind, failures,
                e.getMessage());
            return new Call(null, e.getMessage(), true);
          }
          if (!probe) {
            Thread.sleep(connector.retry().delay(failures, ThreadLocalRandom.current()::nextDouble).toMillis());
          }
          failures = Math.max(failures, 1);
        }
      } catch (InterruptedException e) {
        breaker.release(probe);
        Thread.currentThread().interrupt();
        return new Call(null, "interrupted: the gateway is stopping", true);
      } catch (RuntimeException e) {
        breaker.release(probe);
        LOG.error("Cannot call the province", e);
        return new Call(null, "cannot call the province: " + e, true);
      }
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private static Call join(CompletableFuture<Call> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Call(null, "interrupted: the gateway is stopping", true);
    } catch (ExecutionException e) {
      return new Call(null, String.valueOf(e.getCause()), true);
    }
  }

  private static <T> List<List<T>> chunks(List<T> items, int size) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size) {
      out.add(items.subList(i, Math.min(items.size(), i + size)));
    }
    return out;
  }

  private static Status statusOf(ForwardingStore.State state) {
    return switch (state) {
      case SENT -> Status.FORWARDED;
      case REJECTED -> Status.REJECTED_BY_PROVINCE;
      case DEAD -> Status.DEAD_LETTER;
      default -> Status.ACCEPTED;
    };
  }

  // ---- for health and tests -----------------------------------------------------------------

  public CircuitBreaker breaker() {
    return breaker;
  }

  public String lastFailure() {
    return lastFailure;
  }

  /** When a call last reached the province (any reply), or null. */
  public java.time.Instant lastSuccessAt() {
    return lastSuccessAt;
  }

  /** When a call last failed to reach the province, or null. */
  public java.time.Instant lastFailureAt() {
    return lastFailureAt;
  }

  public int waiting() {
    return ratings.waiting();
  }

  public ConnectorProfile connector() {
    return connector;
  }

  @Override
  public void close() {
    running = false;
    ratings.close();
    caseEvents.close();
    calls.shutdownNow();
  }
}
