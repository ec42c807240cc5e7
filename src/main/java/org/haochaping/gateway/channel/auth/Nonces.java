package org.haochaping.gateway.channel.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/** Nonces seen within the timestamp window, in the database so that a replay is refused on every node. */
public final class Nonces {

  private final Database db;
  private final Clock clock;

  public Nonces(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** True the first time {@code nonce} is seen for {@code appKey}; false for a replay. */
  public boolean firstUse(String appKey, String nonce) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(
            "insert into request_nonces (app_key, nonce, seen_at) values (?,?,?) on conflict do nothing")) {
      ps.setString(1, appKey);
      ps.setString(2, nonce);
      ps.setObject(3, OffsetDateTime.now(clock));
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("cannot record nonce", e);
    }
  }

  /** Forgets nonces whose timestamps would be refused anyway (twice the allowed skew); housekeeping route. */
  public int forgetExpired() {
    return forgetOlderThan(AccessGuard.SKEW.multipliedBy(2));
  }

  /** Forgets nonces older than {@code window}. */
  public int forgetOlderThan(Duration window) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("delete from request_nonces where seen_at < ?")) {
      ps.setObject(1, OffsetDateTime.now(clock).minus(window));
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot forget nonces", e);
    }
  }
}
