package org.haochaping.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The natural key of every accepted rating, claimed in the database before the 202 so that every
 * node agrees: an identical replay gets the same ratingId, different content under the same key
 * is a conflict (DESIGN §4). Concurrent claims are written together, one transaction per batch.
 */
public final class IdempotencyKeys implements AutoCloseable {

  /** The answer to a claim. */
  public record Claim(Kind kind, String ratingId) {
    public enum Kind { NEW, REPLAY, CONFLICT }
  }

  private final Database db;
  private final Clock clock;
  private final GroupCommit<Request, Claim> group;

  public IdempotencyKeys(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
    this.group = new GroupCommit<>("hcp-idempotency-writer", 512, this::write);
  }

  /** Claims {@code naturalKey} for {@code ratingId}, or says who holds it; returns once committed. */
  public Claim claim(String naturalKey, String contentHash, String ratingId) {
    return claim(new Request(naturalKey, contentHash, ratingId));
  }

  /** {@link #claim(String, String, String)} of a request made beforehand. */
  public Claim claim(Request request) {
    try {
      return group.write(request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while claiming an idempotency key", e);
    }
  }

  /** A claim to make with {@link #claim(Request)} or {@link #claimAll}. */
  public record Request(String naturalKey, String contentHash, String ratingId) {}

  /**
   * Claims many keys, in this order (of two with the same key the first holds it, the second is its
   * replay or conflict), in as few commits as the batch allows; returns once all are committed.
   */
  public List<Claim> claimAll(List<Request> requests) {
    try {
      return group.writeAll(requests);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while claiming idempotency keys", e);
    }
  }

  private List<Claim> write(List<Request> requests) {
    List<Claim> claims = new ArrayList<>(requests.size());
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        int[] inserted;
        try (PreparedStatement ps = c.prepareStatement(
            "insert into idempotency_keys (natural_key, content_hash, rating_id, created_at) values (?,?,?,?) on conflict do nothing")) {
          OffsetDateTime now = OffsetDateTime.now(clock);
          for (Request r : requests) {
            ps.setString(1, r.naturalKey());
            ps.setString(2, r.contentHash());
            ps.setString(3, r.ratingId());
            Sql.setTime(ps, 4, now);
            ps.addBatch();
          }
          inserted = ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("select content_hash, rating_id from idempotency_keys where natural_key = ?")) {
          for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            if (inserted[i] == 1) {
              claims.add(new Claim(Claim.Kind.NEW, r.ratingId()));
              continue;
            }
            ps.setString(1, r.naturalKey());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                throw new StoreException("idempotency key vanished while claiming it", null);
              }
              String holder = rs.getString("rating_id");
              claims.add(new Claim(r.contentHash().equals(rs.getString("content_hash")) ? Claim.Kind.REPLAY : Claim.Kind.CONFLICT, holder));
            }
          }
        }
        c.commit();
        return claims;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot claim idempotency keys", e);
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

  @Override
  public void close() {
    group.close();
  }
}
