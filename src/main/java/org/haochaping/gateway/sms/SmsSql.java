package org.haochaping.gateway.sms;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import org.haochaping.gateway.model.ChinaTime;

/** JDBC conveniences of the SMS tables (the store package keeps its own private). */
final class SmsSql {

  private SmsSql() {}

  static void setTime(PreparedStatement ps, int index, OffsetDateTime t) throws SQLException {
    if (t == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, t);
    }
  }

  static OffsetDateTime time(ResultSet rs, String column) throws SQLException {
    return ChinaTime.of(rs.getObject(column, OffsetDateTime.class));
  }
}
