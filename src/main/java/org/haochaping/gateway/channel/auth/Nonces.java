package org.haochaping.gateway.channel.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.store.GroupCommit;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * Nonces seen within the timestamp window, in the database so that a replay is refused on every
 * node. Concurrent requests record their nonces together, one transaction per batch.
 */
public final class Nonces implements AutoCloseable {

  private record Seen(String appKey, String nonce) {}

  private final Database db;
  private final Clock clock;
  private final GroupCommit<Seen, Boolean> group;

  public Nonces(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
    this.group = new GroupCommit<>("hcp-nonce-writer", 512, this::recordAll);
  }

  /** True the first time {@code nonce} is seen for {@code appKey}; false for a replay. */
  public boolean firstUse(String appKey, String nonce) {
    try {
      return group.write(new Seen(appKey, nonce));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while recording a nonce", e);
    }
  }

  private List<Boolean> recordAll(List<Seen> seen) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "insert into request_nonces (app_key, nonce, seen_at) values (?,?,?) on conflict do nothing")) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        for (Seen s : seen) {
          ps.setString(1, s.appKey());
          ps.setString(2, s.nonce());
          ps.setObject(3, now);
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        c.commit();
        List<Boolean> first = new ArrayList<>(counts.length);
        for (int count : counts) {
          first.add(count == 1);
        }
        return first;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot record nonces", e);
    }
  }

  @Override
  public void close() {
    group.close();
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
