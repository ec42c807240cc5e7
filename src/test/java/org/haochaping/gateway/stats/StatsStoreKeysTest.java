package org.haochaping.gateway.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counter upsert on the database the build runs against (H2, or PostgreSQL with {@code hcp.test.db.url}):
 * counters add up and take away through it, and the row is found by the primary key (docs/benchmarks.md
 * "Statistics": with a second index on (dim, code, grain, period_start) both databases searched that one).
 */
@Tag("db")
class StatsStoreKeysTest {

  private static final LocalDate DAY = LocalDate.of(2026, 6, 15);

  @TempDir
  Path dir;

  @Test
  void countersAddUpAndTakeAwayByTheirPrimaryKey() throws SQLException {
    try (TestDatabase test = TestDatabase.create(); Database db = Database.open(test.url(), test.user(), test.password(), dir, 2)) {
      StatsStore store = new StatsStore(db.dialect());
      RatingFact bad = new RatingFact("r1", "C1", DAY, "440881000000", "D1", "T1", "S1", "H1", "BL1", Channel.PORTAL, TargetType.ITEM,
          Level.DISSATISFIED, List.of("503"), false);
      UnitFact unit = new UnitFact(DAY, "440881000000", "D1", "T1", "S1", "H1", "BL1");
      // New rows (insert), existing rows (add), then one taken away: 1 + 1 - 1 = 1 in every counter it touches.
      for (int sign : new int[] {1, 1, -1}) {
        try (Connection c = db.connection()) {
          c.setAutoCommit(false);
          Deltas d = new Deltas();
          d.rating(bad, sign);
          d.count(unit, Deltas.CASE_DIMS, Marks.CASES, sign);
          store.apply(c, d);
          c.commit();
        }
      }
      try (Connection c = db.connection(); Statement s = c.createStatement()) {
        assertThat(longs(s, "select n_dissatisfied from stats_rating_agg where dim = 'AGENCY' and code = 'D1' order by grain"))
            .containsExactly(1L, 1L, 1L);
        assertThat(longs(s, "select n_basic + n_satisfied + n_very_satisfied + n_very_dissatisfied from stats_rating_agg"))
            .containsOnly(0L);
        assertThat(longs(s, "select n from stats_tag_agg where dim = 'ITEM' and code = 'T1' and tag = '503' order by grain"))
            .containsExactly(1L, 1L, 1L);
        assertThat(longs(s, "select n from stats_counts where dim = 'HALL' and code = 'H1' and measure = 'CASES' order by grain"))
            .containsExactly(1L, 1L, 1L);

        if (TestDatabase.postgres()) {
          s.execute("set enable_seqscan = off"); // three rows: which index, not whether an index is worth it
        }
        String key = "grain = 'D' and dim = 'AGENCY' and period_start = DATE '2026-06-15' and area_code = '440881000000' "
            + "and code = 'D1'";
        assertThat(plan(s, "explain update stats_rating_agg set n_basic = n_basic + 1 where " + key
            + " and channel = 'PORTAL' and target_type = 'ITEM'")).containsIgnoringCase(primaryKey("stats_rating_agg"));
        assertThat(plan(s, "explain update stats_tag_agg set n = n + 1 where " + key + " and target_type = 'ITEM' and tag = '503'"))
            .containsIgnoringCase(primaryKey("stats_tag_agg"));
        assertThat(plan(s, "explain update stats_counts set n = n + 1 where " + key + " and measure = 'CASES'"))
            .containsIgnoringCase(primaryKey("stats_counts"));
      }
    }
  }

  /** How each database names a primary key's index in a plan. */
  private static String primaryKey(String table) {
    return TestDatabase.postgres() ? table + "_pkey" : "PRIMARY_KEY_";
  }

  private static List<Long> longs(Statement s, String sql) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  private static String plan(Statement s, String sql) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.append(rs.getString(1)).append('\n');
      }
    }
    return out.toString();
  }
}
