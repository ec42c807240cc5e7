package org.haochaping.gateway.workorder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.policy.AgencyScore;
import org.haochaping.gateway.policy.PolicyProfile;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * An agency's score from the ledger by {@link AgencyScore}: what the statistics module must agree with,
 * in particular that ratings with {@code corrected = true} do not count.
 */
public final class AgencyScores {

  private final Database db;
  private final PolicyProfile profile;

  public AgencyScores(Database db, PolicyProfile profile) {
    this.db = db;
    this.profile = profile;
  }

  public AgencyScore.Result of(String deptCode) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select score, target_type, corrected from ratings where dept_code = ?")) {
      ps.setString(1, deptCode);
      List<AgencyScore.Scored> scored = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          scored.add(new AgencyScore.Scored(rs.getInt(1), TargetType.valueOf(rs.getString(2)), rs.getBoolean(3)));
        }
      }
      return AgencyScore.of(profile, scored);
    } catch (SQLException e) {
      throw new StoreException("cannot score agency " + deptCode, e);
    }
  }
}
