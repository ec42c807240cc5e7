package org.haochaping.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.policy.RatingHistory;

/**
 * {@link RatingHistory} from the database: claimed natural keys ({@code idempotency_keys}, written
 * before every 202) and the cases of a visit or a theme ({@code cases}).
 */
public final class RatingHistoryStore implements RatingHistory {

  private final Database db;

  public RatingHistoryStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Claimed> claimed(String naturalKey) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select rating_id, created_at from idempotency_keys where natural_key = ?")) {
      ps.setString(1, naturalKey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Claimed(rs.getString("rating_id"), Sql.time(rs, "created_at"))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the rating history", e);
    }
  }

  @Override
  public List<String> batchSiblings(ServiceCase sc) {
    if (sc.visitId() == null) {
      return List.of();
    }
    return caseNumbers("select case_no from cases where visit_id = ? and task_code = ? and case_no <> ? order by case_no",
        sc.visitId(), sc.taskCode(), sc.caseNo());
  }

  @Override
  public List<String> themeMembers(String themeId) {
    return themeId == null ? List.of() : caseNumbers("select case_no from cases where theme_id = ? order by case_no", themeId);
  }

  private List<String> caseNumbers(String sql, String... args) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read cases of a visit or theme", e);
    }
  }
}
