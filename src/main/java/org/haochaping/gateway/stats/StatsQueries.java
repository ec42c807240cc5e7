package org.haochaping.gateway.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * Reads the counters: one indexed range per period segment ({@link Period#segments()}: at most five for
 * any range), summed by unit here rather than by a {@code group by}: the rows come in key order with no
 * sort (a year of items is 56,000 rows; grouped, PostgreSQL sorted them on disk with the default
 * {@code work_mem} and took five times as long — docs/benchmarks.md "Statistics"). Never reads the ledger.
 */
final class StatsQueries {

  /** Which rows: the stored dimension, optionally one unit, one channel, a region. */
  record Filter(Dimension source, String code, String channel, AreaScope scope) {}

  record RatingRow(String area, String code, String channel, TargetType type, long[] levels) {}

  record TagRow(String area, String code, TargetType type, String tag, long n) {}

  record CountRow(String area, String code, String measure, long n) {}

  private final Database db;

  StatsQueries(Database db) {
    this.db = db;
  }

  List<RatingRow> ratings(Filter f, Period p) {
    Map<List<String>, long[]> sums = new HashMap<>();
    forEachSegment("select area_code, code, channel, target_type, n_very_satisfied, n_satisfied, n_basic, n_dissatisfied, "
        + "n_very_dissatisfied from stats_rating_agg", "", f, p, rs -> {
          long[] levels = sums.computeIfAbsent(List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
              k -> new long[Level.values().length]);
          for (int i = 0; i < levels.length; i++) {
            levels[i] += rs.getLong(5 + i);
          }
        });
    List<RatingRow> out = new ArrayList<>(sums.size());
    sums.forEach((k, v) -> out.add(new RatingRow(k.get(0), k.get(1), k.get(2), TargetType.valueOf(k.get(3)), v)));
    return out;
  }

  List<TagRow> tags(Filter f, Period p) {
    Map<List<String>, long[]> sums = new HashMap<>();
    forEachSegment("select area_code, code, target_type, tag, n from stats_tag_agg", "",
        new Filter(f.source(), f.code(), null, f.scope()), p,
        rs -> sums.computeIfAbsent(List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), k -> new long[1])[0]
            += rs.getLong(5));
    List<TagRow> out = new ArrayList<>(sums.size());
    sums.forEach((k, v) -> out.add(new TagRow(k.get(0), k.get(1), TargetType.valueOf(k.get(2)), k.get(3), v[0])));
    return out;
  }

  List<CountRow> counts(Filter f, Period p) {
    Map<List<String>, long[]> sums = new HashMap<>();
    forEachSegment("select area_code, code, measure, n from stats_counts", "",
        new Filter(f.source(), f.code(), null, f.scope()), p,
        rs -> sums.computeIfAbsent(List.of(rs.getString(1), rs.getString(2), rs.getString(3)), k -> new long[1])[0] += rs.getLong(4));
    List<CountRow> out = new ArrayList<>(sums.size());
    sums.forEach((k, v) -> out.add(new CountRow(k.get(0), k.get(1), k.get(2), v[0])));
    return out;
  }

  /** The halls that received a rating a person gave in the period (大厅推广率: 有评价的大厅). */
  Set<String> ratedHalls(Period p) {
    Map<String, long[]> sums = new HashMap<>();
    forEachSegment("select code, n_very_satisfied + n_satisfied + n_basic + n_dissatisfied + n_very_dissatisfied from stats_rating_agg",
        "and channel <> '" + Channel.SYSTEM_DEFAULT.name() + "'", new Filter(Dimension.HALL, null, null, AreaScope.ALL), p,
        rs -> sums.computeIfAbsent(rs.getString(1), k -> new long[1])[0] += rs.getLong(2));
    Set<String> out = new TreeSet<>();
    sums.forEach((code, n) -> {
      if (n[0] > 0) {
        out.add(code);
      }
    });
    return out;
  }

  /** Display names of a dimension's units. */
  Map<String, String> names(Dimension d) {
    Map<String, String> out = new HashMap<>();
    if (!d.stored()) {
      return out;
    }
    String sql = d == Dimension.HALL ? "select hall_code, name from stats_halls where name is not null"
        : "select code, name from stats_names where dim = ?";
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (d != Dimension.HALL) {
        ps.setString(1, d.name());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the names of " + d.path() + " units", e);
    }
    return out;
  }

  @FunctionalInterface
  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  private void forEachSegment(String select, String tail, Filter f, Period p, RowReader reader) {
    StringBuilder sql = new StringBuilder(select).append(" where grain = ? and dim = ? and period_start between ? and ?");
    if (f.code() != null) {
      sql.append(" and code = ?");
    }
    if (f.channel() != null) {
      sql.append(" and channel = ?");
    }
    if (f.scope() != null && !f.scope().all()) {
      sql.append(" and area_code like ?");
    }
    sql.append(' ').append(tail);
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (Period.Segment s : p.segments()) {
        int i = 1;
        ps.setString(i++, s.grain().name());
        ps.setString(i++, f.source().name());
        ps.setObject(i++, s.first());
        ps.setObject(i++, s.last());
        if (f.code() != null) {
          ps.setString(i++, f.code());
        }
        if (f.channel() != null) {
          ps.setString(i++, f.channel());
        }
        if (f.scope() != null && !f.scope().all()) {
          ps.setString(i, f.scope().like());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            reader.read(rs);
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the statistics", e);
    }
  }
}
