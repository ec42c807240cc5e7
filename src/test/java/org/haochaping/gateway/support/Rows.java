package org.haochaping.gateway.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.haochaping.gateway.store.Database;

/** Rows as a test reads them: what a person would find in the table. */
public final class Rows {

  private Rows() {}

  public static List<Map<String, Object>> query(Database db, String sql, Object... args) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<Map<String, Object>> out = new ArrayList<>();
        while (rs.next()) {
          Map<String, Object> row = new TreeMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            Object v = rs.getObject(i);
            if (v instanceof java.sql.Timestamp || v instanceof java.time.temporal.Temporal) {
              // H2 and PostgreSQL answer timestamps with time zone differently; both as OffsetDateTime.
              v = rs.getObject(i, java.time.OffsetDateTime.class);
            }
            if (v instanceof Short n) {
              v = n.intValue();
            }
            row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT), v);
          }
          out.add(row);
        }
        return out;
      }
    } catch (SQLException e) {
      throw new AssertionError(sql + ": " + e, e);
    }
  }

  /** The one rating stored under {@code ratingId}, or null while the ledger has not written it. */
  public static Map<String, Object> rating(Database db, String ratingId) {
    List<Map<String, Object>> rows = query(db, "select * from ratings where rating_id = ?", ratingId);
    return rows.isEmpty() ? null : rows.get(0);
  }
}
