package org.haochaping.gateway.sms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/** Numbers that replied {@code TD} / {@code 退订}, by keyed hash: no prompt or reminder reaches them again. */
public final class SmsOptOuts {

  private final Database db;
  private final Clock clock;

  public SmsOptOuts(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Records the opt-out; false when the number had opted out before. */
  public boolean optOut(String mobileHash) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("insert into sms_opt_outs (mobile_hash, opted_out_at) values (?,?) on conflict do nothing")) {
      ps.setString(1, mobileHash);
      SmsSql.setTime(ps, 2, OffsetDateTime.now(clock));
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("cannot record an SMS opt-out", e);
    }
  }

  public boolean optedOut(String mobileHash) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select 1 from sms_opt_outs where mobile_hash = ?")) {
      ps.setString(1, mobileHash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read SMS opt-outs", e);
    }
  }
}
