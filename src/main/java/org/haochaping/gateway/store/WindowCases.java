package org.haochaping.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.model.ServiceCase;

/**
 * Recent cases of one hall or window, for the page a static QR code opens (000 第十三条): the
 * citizen finds their own case among them by the last four digits of their mobile or the case number.
 */
public final class WindowCases {

  private final Database db;
  private final CaseStore cases;

  public WindowCases(Database db, CaseStore cases) {
    this.db = db;
    this.cases = cases;
  }

  /**
   * Cases at {@code hallCode} (and {@code windowNo} when not null), newest first, completed since
   * {@code since} or still open and accepted since then; at most {@code limit}.
   */
  public List<ServiceCase> recent(String hallCode, String windowNo, OffsetDateTime since, int limit) {
    String sql = "select case_no from cases where hall_code = ?" + (windowNo == null ? "" : " and window_no = ?")
        + " and (completed_at >= ? or (completed_at is null and accepted_at >= ?)) order by accepted_at desc";
    List<String> numbers = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, hallCode);
      if (windowNo != null) {
        ps.setString(i++, windowNo);
      }
      Sql.setTime(ps, i++, since);
      Sql.setTime(ps, i, since);
      ps.setMaxRows(limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          numbers.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the recent cases of hall " + hallCode, e);
    }
    List<ServiceCase> out = new ArrayList<>(numbers.size());
    for (String n : numbers) {
      cases.find(n).ifPresent(out::add);
    }
    return out;
  }
}
