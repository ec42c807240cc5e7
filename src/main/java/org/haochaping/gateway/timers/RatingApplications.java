package org.haochaping.gateway.timers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.haochaping.gateway.policy.RatingScope;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * Ratings the gateway applied from another (batch visit, theme): {@code rating_applications}, written
 * before the applied rating is published, so every consumer of {@code ratings} can tell an applied
 * rating from one a person gave (no second work order, no second fan-out).
 */
public final class RatingApplications {

  private final Database db;
  private final Clock clock;

  public RatingApplications(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public void record(String ratingId, String appliedFrom, String caseNo, RatingScope.Scope scope) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("insert into rating_applications (rating_id, applied_from, case_no, scope, created_at) "
            + "values (?,?,?,?,?) on conflict do nothing")) {
      ps.setString(1, ratingId);
      ps.setString(2, appliedFrom);
      ps.setString(3, caseNo);
      ps.setString(4, scope.name());
      ps.setObject(5, OffsetDateTime.now(clock));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot record an applied rating", e);
    }
  }

  /** The rating {@code ratingId} was applied from, or null when a person gave it. */
  public String appliedFrom(String ratingId) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select applied_from from rating_applications where rating_id = ?")) {
      ps.setString(1, ratingId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read applied ratings", e);
    }
  }
}
