package org.haochaping.gateway.channel.evaluator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * The other cases of a batch visit (000 第十八条: the same item applied for twice or more in one
 * visit to a window is rated once, and the rating applies to every case of the visit).
 */
public final class VisitCases {

  private final Database db;

  public VisitCases(Database db) {
    this.db = db;
  }

  /** The completed cases of the same visit, item and window as {@code c}, without {@code c} itself. */
  public List<String> completedSiblings(ServiceCase c) {
    if (c.visitId() == null || c.visitId().isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (Connection conn = db.connection();
        PreparedStatement ps = conn.prepareStatement("select case_no from cases where visit_id = ? and task_code = ? "
            + "and hall_code = ? and window_no = ? and status = 'COMPLETED' and case_no <> ? order by case_no")) {
      ps.setString(1, c.visitId());
      ps.setString(2, c.taskCode());
      ps.setString(3, c.hallCode());
      ps.setString(4, c.windowNo());
      ps.setString(5, c.caseNo());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read the cases of visit " + c.visitId(), e);
    }
  }
}
