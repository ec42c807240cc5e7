package org.haochaping.gateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import org.haochaping.gateway.model.ChinaTime;

/** Small JDBC conveniences shared by the stores. */
final class Sql {

  private Sql() {}

  static void setTime(PreparedStatement ps, int index, OffsetDateTime t) throws SQLException {
    if (t == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, t);
    }
  }

  static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setInt(index, value);
    }
  }

  static OffsetDateTime time(ResultSet rs, String column) throws SQLException {
    return ChinaTime.of(rs.getObject(column, OffsetDateTime.class));
  }

  static Integer integer(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  static <E extends Enum<E>> E enumOf(Class<E> type, String value) {
    return value == null ? null : Enum.valueOf(type, value);
  }

  /** PostgreSQL unique_violation (23505) or H2's duplicate key (23505 too, or 23001 in older modes). */
  static boolean isDuplicateKey(SQLException e) {
    String state = e.getSQLState();
    return "23505".equals(state) || "23001".equals(state);
  }
}
