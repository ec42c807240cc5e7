package org.haochaping.gateway.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the ledger holds and the statistics do not: every case, every rating (corrected ones taken
 * out), every work order, through the same idempotent path as the consumers. Safe while they run: a rating
 * already counted adds nothing, a case or work order is re-counted from its state. Used after an upgrade
 * (the ledger had ratings before the statistics existed), by {@code POST /api/v1/stats/backfill}, and by
 * the benchmark loader.
 */
public final class StatsBackfill {

  private static final Logger LOG = LoggerFactory.getLogger(StatsBackfill.class);

  /** Where a run stands; shown by {@code GET /api/v1/stats/backfill}. */
  public record Status(String state, long cases, long ratings, long added, long corrected, long workOrders, OffsetDateTime startedAt,
      OffsetDateTime finishedAt, String error) {}

  private final StatsRecorder recorder;
  private final Clock clock;
  private final int page;
  private final AtomicReference<Status> status = new AtomicReference<>(new Status("IDLE", 0, 0, 0, 0, 0, null, null, null));

  public StatsBackfill(StatsRecorder recorder, Clock clock, int page) {
    this.recorder = recorder;
    this.clock = clock;
    this.page = page;
  }

  public Status status() {
    return status.get();
  }

  /** Starts a run in the background; false when one is running. */
  public synchronized boolean start() {
    if (status.get().state().equals("RUNNING")) {
      return false;
    }
    status.set(new Status("RUNNING", 0, 0, 0, 0, 0, OffsetDateTime.now(clock), null, null));
    Thread t = new Thread(() -> {
      try {
        run();
      } catch (RuntimeException e) {
        LOG.error("Statistics backfill failed: {}", e.getMessage(), e);
        Status s = status.get();
        status.set(new Status("FAILED", s.cases(), s.ratings(), s.added(), s.corrected(), s.workOrders(), s.startedAt(),
            OffsetDateTime.now(clock), e.getMessage()));
      }
    }, "hcp-stats-backfill");
    t.setDaemon(true);
    t.start();
    return true;
  }

  /** True when the ledger holds ratings and the statistics none: a gateway upgraded to this version. */
  public boolean needed() {
    try (Connection c = recorder.database().connection();
        PreparedStatement ps = c.prepareStatement("select (select count(*) from (select 1 from ratings limit 1) r), "
            + "(select count(*) from (select 1 from stats_ratings limit 1) s)");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1) > 0 && rs.getLong(2) == 0;
    } catch (SQLException e) {
      throw new StoreException("cannot look at the statistics", e);
    }
  }

  /** Runs in the caller's thread: cases, then ratings, then work orders, a page per transaction. */
  public Status run() {
    OffsetDateTime started = status.get().startedAt() == null ? OffsetDateTime.now(clock) : status.get().startedAt();
    AtomicLong cases = new AtomicLong();
    AtomicLong ratings = new AtomicLong();
    AtomicLong added = new AtomicLong();
    AtomicLong corrected = new AtomicLong();
    AtomicLong workOrders = new AtomicLong();
    Runnable progress = () -> status.set(new Status("RUNNING", cases.get(), ratings.get(), added.get(), corrected.get(),
        workOrders.get(), started, null, null));
    Database db = recorder.database();

    String after = "";
    while (true) {
      List<String> ids = ids(db, "select case_no from cases where case_no > ? order by case_no limit ?", after);
      if (ids.isEmpty()) {
        break;
      }
      recorder.refreshCases(ids);
      cases.addAndGet(ids.size());
      after = ids.get(ids.size() - 1);
      progress.run();
    }

    after = "";
    while (true) {
      Map<String, RatingFact> facts = new LinkedHashMap<>();
      List<String> correctedIds = new ArrayList<>();
      try (Connection c = db.connection();
          PreparedStatement ps = c.prepareStatement("select rating_id, case_no, rated_at, area_code, dept_code, task_code, staff_id, "
              + "hall_code, business_line, channel, target_type, level, tags, defaulted, corrected from ratings where rating_id > ? "
              + "order by rating_id limit ?")) {
        ps.setString(1, after);
        ps.setInt(2, page);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String id = rs.getString("rating_id");
            after = id;
            if (rs.getBoolean("corrected")) {
              correctedIds.add(id);
              continue;
            }
            String tags = rs.getString("tags");
            facts.put(id, new RatingFact(id, rs.getString("case_no"),
                ChinaTime.of(rs.getObject("rated_at", OffsetDateTime.class)).toLocalDate(), rs.getString("area_code"),
                rs.getString("dept_code"), rs.getString("task_code"), rs.getString("staff_id"), rs.getString("hall_code"),
                rs.getString("business_line"), Channel.valueOf(rs.getString("channel")), TargetType.valueOf(rs.getString("target_type")),
                Level.valueOf(rs.getString("level")), tags == null || tags.isBlank() ? List.of() : Arrays.asList(tags.split(",")),
                rs.getBoolean("defaulted")));
          }
        }
      } catch (SQLException e) {
        throw new StoreException("cannot read the ledger for the statistics backfill", e);
      }
      if (facts.isEmpty() && correctedIds.isEmpty()) {
        break;
      }
      added.addAndGet(recorder.record(new ArrayList<>(facts.values())));
      correctedIds.forEach(recorder::correct);
      ratings.addAndGet(facts.size() + correctedIds.size());
      corrected.addAndGet(correctedIds.size());
      progress.run();
    }

    after = "";
    while (true) {
      List<String> ids = ids(db, "select id from work_orders where id > ? order by id limit ?", after);
      if (ids.isEmpty()) {
        break;
      }
      recorder.refreshWorkOrders(ids);
      workOrders.addAndGet(ids.size());
      after = ids.get(ids.size() - 1);
      progress.run();
    }
    Status done = new Status("DONE", cases.get(), ratings.get(), added.get(), corrected.get(), workOrders.get(), started,
        OffsetDateTime.now(clock), null);
    status.set(done);
    LOG.info("Statistics backfill done: {} cases, {} ratings ({} added, {} corrected), {} work orders", done.cases(), done.ratings(),
        done.added(), done.corrected(), done.workOrders());
    return done;
  }

  private List<String> ids(Database db, String sql, String after) {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, after);
      ps.setInt(2, page);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the ledger for the statistics backfill", e);
    }
    return out;
  }
}
