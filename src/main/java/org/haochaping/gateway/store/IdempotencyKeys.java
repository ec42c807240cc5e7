package org.haochaping.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The natural key of every accepted rating, claimed in the database before the 202 so that every
 * node agrees: an identical replay gets the same ratingId, different content under the same key
 * is a conflict (DESIGN §4).
 */
public final class IdempotencyKeys {

  /** The answer to a claim. */
  public record Claim(Kind kind, String ratingId) {
    public enum Kind { NEW, REPLAY, CONFLICT }
  }

  private final Database db;
  private final Clock clock;

  public IdempotencyKeys(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Claims {@code naturalKey} for {@code ratingId}, or says who holds it. */
  public Claim claim(String naturalKey, String contentHash, String ratingId) {
    try (Connection c = db.connection()) {
      try (PreparedStatement ps = c.prepareStatement(
          "insert into idempotency_keys (natural_key, content_hash, rating_id, created_at) values (?,?,?,?) on conflict do nothing")) {
        ps.setString(1, naturalKey);
        ps.setString(2, contentHash);
        ps.setString(3, ratingId);
        Sql.setTime(ps, 4, OffsetDateTime.now(clock));
        if (ps.executeUpdate() == 1) {
          return new Claim(Claim.Kind.NEW, ratingId);
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "select content_hash, rating_id from idempotency_keys where natural_key = ?")) {
        ps.setString(1, naturalKey);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new StoreException("idempotency key vanished while claiming it", null);
          }
          String holder = rs.getString("rating_id");
          return new Claim(contentHash.equals(rs.getString("content_hash")) ? Claim.Kind.REPLAY : Claim.Kind.CONFLICT, holder);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot claim idempotency key", e);
    }
  }

  /** When the rating was claimed, if it was: a rating accepted but not yet in the ledger. */
  public Optional<OffsetDateTime> claimedAt(String ratingId) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select created_at from idempotency_keys where rating_id = ?")) {
      ps.setString(1, ratingId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(Sql.time(rs, "created_at")) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read idempotency key", e);
    }
  }
}
