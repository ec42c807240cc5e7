package org.haochaping.gateway.stats;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.broker.RatingCodec;
import org.haochaping.gateway.model.CaseEvent;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.policy.StatisticsRules;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.GroupCommit;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the statistics counters, as the consumer of three queues:
 * <ul>
 *   <li>{@code ratings::stats} — every accepted rating is added once (marker per ratingId, written in the
 *       same transaction as the counters: a redelivered rating adds nothing);
 *   <li>{@code case-events::stats.cases} — every case counts in 办件总数 of the day it was accepted;
 *   <li>{@code lifecycle-events::stats.lifecycle} — a correction takes its rating away exactly once; a work
 *       order's creation and every change of its state re-count it from its current state.
 * </ul>
 * Each message is acknowledged only after its transaction committed; a failure propagates and the broker redelivers.
 */
public final class StatsRecorder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StatsRecorder.class);

  private final Database db;
  private final RatingCodec codec;
  private final StatisticsRules rules;
  private final Clock clock;
  private final StatsStore store;
  private final GroupCommit<Rating, RuntimeException> group;
  private final Counter added;
  private final Counter corrected;

  public StatsRecorder(Database db, RatingCodec codec, StatisticsRules rules, Clock clock, MeterRegistry meters, int maxBatch) {
    this.db = db;
    this.store = new StatsStore(db.dialect());
    this.codec = codec;
    this.rules = rules;
    this.clock = clock;
    this.added = Counter.builder("hcp.stats.ratings.added").description("Ratings added to the statistics").register(meters);
    this.corrected = Counter.builder("hcp.stats.ratings.corrected").description("Ratings taken out of the statistics by a correction")
        .register(meters);
    this.group = new GroupCommit<>("hcp-stats-writer", maxBatch, GroupCommit.BEHIND_BROKER_LINGER_MICROS, this::recordBatch);
  }

  // --- the three consumers -------------------------------------------------------------------

  /** {@code ratings::stats}: returns once the rating is in the counters; throws (and the broker redelivers) when it cannot be. */
  public void onRating(byte[] body) throws InterruptedException {
    RuntimeException failed = group.write(codec.decode(body));
    if (failed != null) {
      throw failed;
    }
  }

  /** {@code case-events::stats.cases}: the case counts from the day it was accepted. */
  public void onCaseEvent(byte[] body) {
    CaseEvent event = Json.read(body, CaseEvent.class);
    StatsStore.LedgerCase seed = event.deptCode() == null || event.areaCode() == null || event.acceptedAt() == null ? null
        : new StatsStore.LedgerCase(event.caseNo(), new UnitFact(ChinaTime.of(event.acceptedAt()).toLocalDate(), event.areaCode(),
            event.deptCode(), event.taskCode(), event.staffId(), event.hallCode(), event.businessLine()), event.deptName(),
            event.itemName(), event.staffName());
    inTransaction("case " + event.caseNo(), (c, d, now) -> refreshCase(c, event.caseNo(), d, now, true, seed, null));
  }

  /** {@code lifecycle-events::stats.lifecycle}: corrections and work orders; other events are not about statistics. */
  public void onLifecycleEvent(byte[] body) {
    JsonNode event = Json.read(body, JsonNode.class);
    String type = event.path("type").asText();
    JsonNode data = event.path("data");
    String workOrderId = data.path("workOrderId").asText(null);
    switch (type) {
      case "RATING_CORRECTED" -> inTransaction("correction of " + data.path("ratingId").asText(), (c, d, now) -> {
        correct(c, data.path("ratingId").asText(), d, now);
        if (workOrderId != null) {
          refreshWorkOrder(c, workOrderId, d, now);
        }
      });
      case "WORK_ORDER_CREATED", "WORK_ORDER_TRANSITIONED", "APPEAL_DECIDED" ->
          inTransaction("work order " + workOrderId, (c, d, now) -> refreshWorkOrder(c, workOrderId, d, now));
      default -> { }
    }
  }

  // --- ratings -------------------------------------------------------------------------------

  /** One transaction for the batch; when it fails, each rating alone, so one bad message holds up no other. */
  private List<RuntimeException> recordBatch(List<Rating> ratings) {
    try {
      record(ratings.stream().map(RatingFact::of).toList());
      return null;
    } catch (RuntimeException batchFailure) {
      if (ratings.size() == 1) {
        return List.of(batchFailure);
      }
      LOG.debug("stats batch of {} failed ({}), recording one by one", ratings.size(), batchFailure.getMessage());
      List<RuntimeException> out = new ArrayList<>();
      for (Rating r : ratings) {
        try {
          record(List.of(RatingFact.of(r)));
          out.add(null);
        } catch (RuntimeException e) {
          out.add(e);
        }
      }
      return out;
    }
  }

  /**
   * Adds the ratings not counted yet, in one transaction: markers, then the cases they rate, then the
   * counters. Also the entry point of the backfill and of the benchmark loader. Returns how many were new.
   */
  public int record(List<RatingFact> facts) {
    Map<String, RatingFact> unique = new LinkedHashMap<>();
    facts.stream().sorted(Comparator.comparing(RatingFact::ratingId)).forEach(f -> unique.putIfAbsent(f.ratingId(), f));
    List<RatingFact> sorted = new ArrayList<>(unique.values());
    int[] count = new int[1];
    inTransaction("ratings", (c, d, now) -> {
      boolean[] fresh = store.insertRatings(c, sorted, now);
      Set<String> cases = new TreeSet<>();
      Map<String, RatingFact> byCase = new LinkedHashMap<>();
      for (int i = 0; i < sorted.size(); i++) {
        if (fresh[i]) {
          RatingFact f = sorted.get(i);
          d.rating(f, 1);
          cases.add(f.caseNo());
          byCase.putIfAbsent(f.caseNo(), f);
          count[0]++;
        }
      }
      for (String caseNo : cases) {
        refreshCase(c, caseNo, d, now, false, null, byCase.get(caseNo));
      }
    });
    added.increment(count[0]);
    return count[0];
  }

  /** 000 第二十五条 / 002 第十三条: a corrected rating leaves every figure; exactly once, whichever comes first. */
  private void correct(Connection c, String ratingId, Deltas d, OffsetDateTime now) throws SQLException {
    Optional<StatsStore.StoredRating> stored = store.lockRating(c, ratingId);
    if (stored.isEmpty()) {
      if (store.insertTombstone(c, ratingId, now)) {
        LOG.info("Correction of rating {} came before the rating: it will not be counted", ratingId);
        return;
      }
      stored = store.lockRating(c, ratingId);
    }
    StatsStore.StoredRating s = stored.orElseThrow();
    if (!s.counted()) {
      return;
    }
    store.markCorrected(c, ratingId);
    d.rating(s.fact(), -1);
    refreshCase(c, s.fact().caseNo(), d, now, false, null, s.fact());
    corrected.increment();
  }

  // --- cases ---------------------------------------------------------------------------------

  /**
   * Re-counts a case from its current ratings: the difference between the marks it had and the marks it
   * has now goes into the counters. A case seen for the first time is taken from the ledger's {@code cases}
   * table, else from its case event ({@code event}: the event is published before the case row is written),
   * else from the rating that names it ({@code from}, a case pushed elsewhere: counted with the rating's
   * units and day rather than held up). A case event that carries no units and whose case is not stored
   * yet fails, and the broker brings it again.
   */
  private void refreshCase(Connection c, String caseNo, Deltas d, OffsetDateTime now, boolean mustExist, StatsStore.LedgerCase event,
      RatingFact from)
      throws SQLException {
    Optional<StatsStore.StoredCase> stored = store.lockCase(c, caseNo);
    Optional<StatsStore.LedgerCase> known = Optional.empty();
    if (stored.isEmpty()) {
      known = store.ledgerCase(c, caseNo);
      if (known.isEmpty() && event != null) {
        known = Optional.of(event);
      }
      if (known.isPresent()) {
        store.insertCase(c, caseNo, known.get().unit(), now);
      } else if (from != null) {
        LOG.warn("Case {} of rating {} is not in the case table: counted with the rating's units and day", caseNo, from.ratingId());
        store.insertCase(c, caseNo, new UnitFact(from.day(), from.areaCode(), from.deptCode(), from.taskCode(), from.staffId(),
            from.hallCode(), from.businessLine()), now);
      } else if (mustExist) {
        throw new StoreException("case " + caseNo + " is not stored yet; the event will come again", null);
      } else {
        return;
      }
      stored = store.lockCase(c, caseNo);
    }
    StatsStore.StoredCase sc = stored.orElseThrow();
    Set<String> before = Marks.parse(sc.marks());
    if (before.isEmpty()) {
      // First time the case is counted: its names and hall.
      Optional<StatsStore.LedgerCase> ledger = known.isPresent() ? known : store.ledgerCase(c, caseNo);
      if (ledger.isPresent()) {
        StatsStore.LedgerCase lc = ledger.get();
        store.name(c, Dimension.AGENCY, lc.unit().deptCode(), lc.deptName());
        store.name(c, Dimension.ITEM, lc.unit().taskCode(), lc.itemName());
        store.name(c, Dimension.STAFF, lc.unit().staffId(), lc.staffName());
      }
      if (sc.unit().hallCode() != null && !sc.unit().hallCode().isBlank()) {
        store.discoverHall(c, sc.unit().hallCode(), sc.unit().areaCode(), now);
      }
    }
    Set<String> after = Marks.ofCase(store.countedRatingsOf(c, caseNo), rules);
    if (after.equals(before)) {
      return;
    }
    Marks.minus(after, before).forEach(m -> d.count(sc.unit(), Deltas.CASE_DIMS, m, 1));
    Marks.minus(before, after).forEach(m -> d.count(sc.unit(), Deltas.CASE_DIMS, m, -1));
    store.updateCaseMarks(c, caseNo, Marks.format(after), now);
  }

  // --- work orders ---------------------------------------------------------------------------

  /** Re-counts a work order from its current state (and whether its rating was corrected). */
  private void refreshWorkOrder(Connection c, String id, Deltas d, OffsetDateTime now) throws SQLException {
    if (id == null) {
      return;
    }
    StatsStore.LedgerWorkOrder w = store.ledgerWorkOrder(c, id)
        .orElseThrow(() -> new StoreException("work order " + id + " is not in the work-order table", null));
    Set<String> before = Marks.parse(store.lockWorkOrder(c, w, now));
    Set<String> after = Marks.ofWorkOrder(w.state(), w.resolution(), w.rectified(), w.ratingCorrected());
    if (after.equals(before)) {
      return;
    }
    UnitFact unit = store.workOrderUnit(c, id);
    Marks.minus(after, before).forEach(m -> d.count(unit, Deltas.WORK_ORDER_DIMS, m, 1));
    Marks.minus(before, after).forEach(m -> d.count(unit, Deltas.WORK_ORDER_DIMS, m, -1));
    store.updateWorkOrderMarks(c, id, Marks.format(after), now);
  }

  /** Re-counts every work order: part of the backfill. */
  void refreshWorkOrders(List<String> ids) {
    for (String id : ids) {
      inTransaction("work order " + id, (c, d, now) -> refreshWorkOrder(c, id, d, now));
    }
  }

  /** Counts the cases (in one transaction): part of the backfill. */
  void refreshCases(List<String> caseNos) {
    inTransaction("cases", (c, d, now) -> {
      for (String caseNo : new TreeSet<>(caseNos)) {
        refreshCase(c, caseNo, d, now, false, null, null);
      }
    });
  }

  /** Takes a corrected rating out: part of the backfill (the ledger's corrected column is the truth). */
  void correct(String ratingId) {
    inTransaction("correction of " + ratingId, (c, d, now) -> correct(c, ratingId, d, now));
  }

  // --- plumbing ------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Work {
    void run(Connection c, Deltas d, OffsetDateTime now) throws SQLException;
  }

  private void inTransaction(String what, Work work) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        Deltas d = new Deltas();
        work.run(c, d, now);
        store.apply(c, d);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot count " + what + " in the statistics", e);
    }
  }

  Database database() {
    return db;
  }

  @Override
  public void close() {
    group.close();
  }
}
