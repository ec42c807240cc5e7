package org.haochaping.gateway.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.model.WorkOrderState;
import org.haochaping.gateway.store.Database;

/**
 * The statistics tables, in the caller's transaction: the per-rating, per-case and per-work-order
 * markers, and the counters. Rows are locked before they are read for a change, in the order
 * ratings, cases, work orders, counters (each in key order), so two nodes never wait on each other in a circle.
 */
final class StatsStore {

  /** A rating the statistics hold: what it added, whether it still counts. */
  record StoredRating(RatingFact fact, boolean counted, boolean corrected) {}

  /** A case the statistics hold: its period and units, and the marks it adds now. */
  record StoredCase(String caseNo, UnitFact unit, String marks) {}

  /** A case as the ledger's {@code cases} table has it (no personal data read). */
  record LedgerCase(String caseNo, UnitFact unit, String deptName, String itemName, String staffName) {}

  /** A work order as {@code work_orders} and the ledger have it. */
  record LedgerWorkOrder(String id, String ratingId, UnitFact unit, WorkOrderState state, String resolution, boolean rectified,
      boolean ratingCorrected) {}

  // --- ratings -------------------------------------------------------------------------------

  /** Inserts the markers of {@code facts}; answers, per fact, whether it was new (and so must be counted). */
  boolean[] insertRatings(Connection c, List<RatingFact> facts, OffsetDateTime now) throws SQLException {
    boolean[] fresh = new boolean[facts.size()];
    if (facts.isEmpty()) {
      return fresh;
    }
    try (PreparedStatement ps = c.prepareStatement("insert into stats_ratings (rating_id, case_no, rated_day, area_code, dept_code, "
        + "task_code, staff_id, hall_code, business_line, channel, target_type, level, tags, defaulted, counted, corrected, recorded_at) "
        + "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,true,false,?) on conflict do nothing")) {
      for (RatingFact f : facts) {
        int i = 1;
        ps.setString(i++, f.ratingId());
        ps.setString(i++, f.caseNo());
        ps.setObject(i++, f.day());
        ps.setString(i++, f.areaCode());
        ps.setString(i++, f.deptCode());
        ps.setString(i++, f.taskCode());
        ps.setString(i++, f.staffId());
        ps.setString(i++, f.hallCode());
        ps.setString(i++, f.businessLine());
        ps.setString(i++, f.channel().name());
        ps.setString(i++, f.targetType().name());
        ps.setString(i++, f.level().name());
        ps.setString(i++, f.tags().isEmpty() ? null : String.join(",", f.tags()));
        ps.setBoolean(i++, f.defaulted());
        ps.setObject(i, now);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int n = 0; n < counts.length; n++) {
        fresh[n] = counts[n] > 0;
      }
    }
    return fresh;
  }

  Optional<StoredRating> lockRating(Connection c, String ratingId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select rating_id, case_no, rated_day, area_code, dept_code, task_code, staff_id, "
        + "hall_code, business_line, channel, target_type, level, tags, defaulted, counted, corrected from stats_ratings "
        + "where rating_id = ? for update")) {
      ps.setString(1, ratingId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        boolean counted = rs.getBoolean("counted");
        RatingFact fact = rs.getString("channel") == null ? null : new RatingFact(rs.getString("rating_id"), rs.getString("case_no"),
            rs.getObject("rated_day", LocalDate.class), rs.getString("area_code"), rs.getString("dept_code"), rs.getString("task_code"),
            rs.getString("staff_id"), rs.getString("hall_code"), rs.getString("business_line"), Channel.valueOf(rs.getString("channel")),
            TargetType.valueOf(rs.getString("target_type")), Level.valueOf(rs.getString("level")), tags(rs.getString("tags")),
            rs.getBoolean("defaulted"));
        return Optional.of(new StoredRating(fact, counted, rs.getBoolean("corrected")));
      }
    }
  }

  /** A correction that came before its rating: the rating will add nothing when it comes. True when inserted. */
  boolean insertTombstone(Connection c, String ratingId, OffsetDateTime now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("insert into stats_ratings (rating_id, counted, corrected, recorded_at) "
        + "values (?, false, true, ?) on conflict do nothing")) {
      ps.setString(1, ratingId);
      ps.setObject(2, now);
      return ps.executeUpdate() > 0;
    }
  }

  void markCorrected(Connection c, String ratingId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("update stats_ratings set counted = false, corrected = true where rating_id = ?")) {
      ps.setString(1, ratingId);
      ps.executeUpdate();
    }
  }

  /** The ratings of a case that count now: channel, and whether a person gave them. */
  List<Marks.CaseRating> countedRatingsOf(Connection c, String caseNo) throws SQLException {
    List<Marks.CaseRating> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("select channel, defaulted from stats_ratings where case_no = ? and counted = true")) {
      ps.setString(1, caseNo);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Channel channel = Channel.valueOf(rs.getString(1));
          out.add(new Marks.CaseRating(channel, !rs.getBoolean(2) && channel != Channel.SYSTEM_DEFAULT));
        }
      }
    }
    return out;
  }

  private static List<String> tags(String text) {
    return text == null || text.isBlank() ? List.of() : Arrays.asList(text.split(","));
  }

  // --- cases ---------------------------------------------------------------------------------

  Optional<StoredCase> lockCase(Connection c, String caseNo) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select case_no, accepted_day, area_code, dept_code, task_code, staff_id, hall_code, "
        + "business_line, marks from stats_cases where case_no = ? for update")) {
      ps.setString(1, caseNo);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new StoredCase(caseNo, new UnitFact(rs.getObject("accepted_day", LocalDate.class), rs.getString("area_code"),
            rs.getString("dept_code"), rs.getString("task_code"), rs.getString("staff_id"), rs.getString("hall_code"),
            rs.getString("business_line")), rs.getString("marks")));
      }
    }
  }

  /** The case as the ledger holds it; empty when it is not stored (yet). */
  Optional<LedgerCase> ledgerCase(Connection c, String caseNo) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select accepted_at, area_code, dept_code, task_code, staff_id, hall_code, "
        + "business_line, dept_name, item_name, staff_name from cases where case_no = ?")) {
      ps.setString(1, caseNo);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        LocalDate day = ChinaTime.of(rs.getObject("accepted_at", OffsetDateTime.class)).toLocalDate();
        return Optional.of(new LedgerCase(caseNo, new UnitFact(day, rs.getString("area_code"), rs.getString("dept_code"),
            rs.getString("task_code"), rs.getString("staff_id"), rs.getString("hall_code"), rs.getString("business_line")),
            rs.getString("dept_name"), rs.getString("item_name"), rs.getString("staff_name")));
      }
    }
  }

  /** True when inserted; false when another transaction was first. */
  boolean insertCase(Connection c, String caseNo, UnitFact u, OffsetDateTime now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("insert into stats_cases (case_no, accepted_day, area_code, dept_code, task_code, "
        + "staff_id, hall_code, business_line, marks, updated_at) values (?,?,?,?,?,?,?,?,'',?) on conflict do nothing")) {
      int i = 1;
      ps.setString(i++, caseNo);
      ps.setObject(i++, u.day());
      ps.setString(i++, RatingFact.orEmpty(u.areaCode()));
      ps.setString(i++, RatingFact.orEmpty(u.deptCode()));
      ps.setString(i++, u.taskCode());
      ps.setString(i++, u.staffId());
      ps.setString(i++, u.hallCode());
      ps.setString(i++, u.businessLine());
      ps.setObject(i, now);
      return ps.executeUpdate() > 0;
    }
  }

  void updateCaseMarks(Connection c, String caseNo, String marks, OffsetDateTime now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("update stats_cases set marks = ?, updated_at = ? where case_no = ?")) {
      ps.setString(1, marks);
      ps.setObject(2, now);
      ps.setString(3, caseNo);
      ps.executeUpdate();
    }
  }

  /** A hall code seen on a case and not in the registry joins it as DISCOVERED (大厅推广率 must not miss it). */
  void discoverHall(Connection c, String hallCode, String areaCode, OffsetDateTime now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("insert into stats_halls (hall_code, name, area_code, dept_code, active, source, "
        + "created_at, updated_at) values (?, null, ?, null, true, 'DISCOVERED', ?, ?) on conflict do nothing")) {
      ps.setString(1, hallCode);
      ps.setString(2, RatingFact.orEmpty(areaCode));
      ps.setObject(3, now);
      ps.setObject(4, now);
      ps.executeUpdate();
    }
  }

  /** Remembers the display name of a unit (the latest a case gave). */
  void name(Connection c, Dimension d, String code, String name) throws SQLException {
    if (code == null || code.isEmpty() || name == null || name.isBlank()) {
      return;
    }
    String text = name.length() > 256 ? name.substring(0, 256) : name;
    try (PreparedStatement ps = c.prepareStatement("update stats_names set name = ? where dim = ? and code = ? and name <> ?")) {
      ps.setString(1, text);
      ps.setString(2, d.name());
      ps.setString(3, code);
      ps.setString(4, text);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("insert into stats_names (dim, code, name) values (?,?,?) on conflict do nothing")) {
      ps.setString(1, d.name());
      ps.setString(2, code);
      ps.setString(3, text);
      ps.executeUpdate();
    }
  }

  // --- work orders ---------------------------------------------------------------------------

  Optional<LedgerWorkOrder> ledgerWorkOrder(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select w.id, w.rating_id, w.created_at, w.area_code, w.dept_code, w.task_code, "
        + "w.staff_id, w.hall_code, w.business_line, w.state, w.resolution, w.rectified_at, r.corrected from work_orders w "
        + "left join ratings r on r.rating_id = w.rating_id where w.id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        LocalDate day = ChinaTime.of(rs.getObject("created_at", OffsetDateTime.class)).toLocalDate();
        return Optional.of(new LedgerWorkOrder(id, rs.getString("rating_id"), new UnitFact(day, rs.getString("area_code"),
            rs.getString("dept_code"), rs.getString("task_code"), rs.getString("staff_id"), rs.getString("hall_code"),
            rs.getString("business_line")), WorkOrderState.valueOf(rs.getString("state")), rs.getString("resolution"),
            rs.getObject("rectified_at") != null, rs.getBoolean("corrected")));
      }
    }
  }

  /** The marks the work order adds now; inserts its row (no marks) when it is new. Locked. */
  String lockWorkOrder(Connection c, LedgerWorkOrder w, OffsetDateTime now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("insert into stats_work_orders (work_order_id, rating_id, created_day, area_code, "
        + "dept_code, task_code, staff_id, hall_code, business_line, marks, updated_at) values (?,?,?,?,?,?,?,?,?,'',?) on conflict do nothing")) {
      int i = 1;
      ps.setString(i++, w.id());
      ps.setString(i++, w.ratingId());
      ps.setObject(i++, w.unit().day());
      ps.setString(i++, RatingFact.orEmpty(w.unit().areaCode()));
      ps.setString(i++, RatingFact.orEmpty(w.unit().deptCode()));
      ps.setString(i++, w.unit().taskCode());
      ps.setString(i++, w.unit().staffId());
      ps.setString(i++, w.unit().hallCode());
      ps.setString(i++, w.unit().businessLine());
      ps.setObject(i, now);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("select marks from stats_work_orders where work_order_id = ? for update")) {
      ps.setString(1, w.id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** The period and units the work order was first counted under (they do not move afterwards). */
  UnitFact workOrderUnit(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select created_day, area_code, dept_code, task_code, staff_id, hall_code, business_line "
        + "from stats_work_orders where work_order_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new UnitFact(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7));
      }
    }
  }

  void updateWorkOrderMarks(Connection c, String id, String marks, OffsetDateTime now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("update stats_work_orders set marks = ?, updated_at = ? where work_order_id = ?")) {
      ps.setString(1, marks);
      ps.setObject(2, now);
      ps.setString(3, id);
      ps.executeUpdate();
    }
  }

  // --- counters ------------------------------------------------------------------------------

  private static final String LEVEL_COLUMNS = "n_very_satisfied, n_satisfied, n_basic, n_dissatisfied, n_very_dissatisfied";

  private static final String RATING_KEY = "grain, dim, period_start, area_code, code, channel, target_type";
  private static final String TAG_KEY = "grain, dim, period_start, area_code, code, target_type, tag";
  private static final String COUNT_KEY = "grain, dim, period_start, area_code, code, measure";

  private final Database.Dialect dialect;

  StatsStore(Database.Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Adds the deltas to the counters, each row found by its primary key. PostgreSQL: one
   * {@code insert ... on conflict (primary key) do update} per row. H2 (no {@code do update}): update,
   * insert what is missing, update again what another transaction inserted meanwhile; the update names
   * every key column and V10 left the primary key the only index that can serve it.
   */
  void apply(Connection c, Deltas d) throws SQLException {
    boolean pg = dialect == Database.Dialect.POSTGRESQL;
    String ratingInsert = "insert into stats_rating_agg (" + LEVEL_COLUMNS + ", " + RATING_KEY + ") values (?,?,?,?,?,?,?,?,?,?,?,?) ";
    upsert(c, d.ratings, pg,
        "update stats_rating_agg set n_very_satisfied = n_very_satisfied + ?, n_satisfied = n_satisfied + ?, n_basic = n_basic + ?, "
            + "n_dissatisfied = n_dissatisfied + ?, n_very_dissatisfied = n_very_dissatisfied + ? where grain = ? and dim = ? "
            + "and period_start = ? and area_code = ? and code = ? and channel = ? and target_type = ?",
        ratingInsert + "on conflict do nothing",
        ratingInsert + "on conflict (" + RATING_KEY + ") do update set "
            + "n_very_satisfied = stats_rating_agg.n_very_satisfied + excluded.n_very_satisfied, "
            + "n_satisfied = stats_rating_agg.n_satisfied + excluded.n_satisfied, n_basic = stats_rating_agg.n_basic + excluded.n_basic, "
            + "n_dissatisfied = stats_rating_agg.n_dissatisfied + excluded.n_dissatisfied, "
            + "n_very_dissatisfied = stats_rating_agg.n_very_dissatisfied + excluded.n_very_dissatisfied",
        (ps, k, v) -> {
          int i = 1;
          for (long n : v) {
            ps.setLong(i++, n);
          }
          ps.setString(i++, k.grain().name());
          ps.setString(i++, k.dim());
          ps.setObject(i++, k.start());
          ps.setString(i++, k.area());
          ps.setString(i++, k.code());
          ps.setString(i++, k.channel());
          ps.setString(i, k.targetType());
        });
    String tagInsert = "insert into stats_tag_agg (n, " + TAG_KEY + ") values (?,?,?,?,?,?,?,?) ";
    upsert(c, d.tags, pg,
        "update stats_tag_agg set n = n + ? where grain = ? and dim = ? and period_start = ? and area_code = ? and code = ? "
            + "and target_type = ? and tag = ?",
        tagInsert + "on conflict do nothing",
        tagInsert + "on conflict (" + TAG_KEY + ") do update set n = stats_tag_agg.n + excluded.n",
        (ps, k, v) -> {
          ps.setLong(1, v[0]);
          ps.setString(2, k.grain().name());
          ps.setString(3, k.dim());
          ps.setObject(4, k.start());
          ps.setString(5, k.area());
          ps.setString(6, k.code());
          ps.setString(7, k.targetType());
          ps.setString(8, k.tag());
        });
    String countInsert = "insert into stats_counts (n, " + COUNT_KEY + ") values (?,?,?,?,?,?,?) ";
    upsert(c, d.counts, pg,
        "update stats_counts set n = n + ? where grain = ? and dim = ? and period_start = ? and area_code = ? and code = ? and measure = ?",
        countInsert + "on conflict do nothing",
        countInsert + "on conflict (" + COUNT_KEY + ") do update set n = stats_counts.n + excluded.n",
        (ps, k, v) -> {
          ps.setLong(1, v[0]);
          ps.setString(2, k.grain().name());
          ps.setString(3, k.dim());
          ps.setObject(4, k.start());
          ps.setString(5, k.area());
          ps.setString(6, k.code());
          ps.setString(7, k.measure());
        });
  }

  @FunctionalInterface
  private interface Binder<K> {
    void bind(PreparedStatement ps, K key, long[] values) throws SQLException;
  }

  private static <K> void upsert(Connection c, Map<K, long[]> rows, boolean pg, String update, String insert, String insertOrAdd,
      Binder<K> binder) throws SQLException {
    List<Map.Entry<K, long[]>> changes = new ArrayList<>();
    for (Map.Entry<K, long[]> e : rows.entrySet()) {
      if (Arrays.stream(e.getValue()).anyMatch(n -> n != 0)) {
        changes.add(e);
      }
    }
    if (changes.isEmpty()) {
      return;
    }
    if (pg) {
      // Key order (Deltas' TreeMaps): two transactions lock their common rows in the same order.
      try (PreparedStatement ps = c.prepareStatement(insertOrAdd)) {
        for (Map.Entry<K, long[]> e : changes) {
          binder.bind(ps, e.getKey(), e.getValue());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return;
    }
    List<Map.Entry<K, long[]>> missing = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(update)) {
      for (Map.Entry<K, long[]> e : changes) {
        binder.bind(ps, e.getKey(), e.getValue());
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int n = 0; n < counts.length; n++) {
        if (counts[n] == 0) {
          missing.add(changes.get(n));
        }
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    List<Map.Entry<K, long[]>> raced = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      for (Map.Entry<K, long[]> e : missing) {
        binder.bind(ps, e.getKey(), e.getValue());
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int n = 0; n < counts.length; n++) {
        if (counts[n] == 0) {
          raced.add(missing.get(n));
        }
      }
    }
    if (raced.isEmpty()) {
      return;
    }
    // Another node inserted the row between our update and insert; it is committed now (the insert waited for it).
    try (PreparedStatement ps = c.prepareStatement(update)) {
      for (Map.Entry<K, long[]> e : raced) {
        binder.bind(ps, e.getKey(), e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static void setNullableString(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }
}
