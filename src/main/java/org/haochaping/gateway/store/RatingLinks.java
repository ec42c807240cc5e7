package org.haochaping.gateway.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Links to the H5 rating page, one per case and channel (SMS prompt, dynamic QR): a random token
 * that expires when the rating window closes and can be used once (000 第十三条, 第十四条).
 */
public final class RatingLinks {

  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int LENGTH = 12;

  /** A link as stored. */
  public record Link(String token, String caseNo, String channel, String targetType, String staffId,
      OffsetDateTime createdAt, OffsetDateTime expiresAt, OffsetDateTime usedAt, String ratingId) {

    public boolean usable(OffsetDateTime now) {
      return usedAt == null && now.isBefore(expiresAt);
    }
  }

  private final SecureRandom random = new SecureRandom();
  private final Database db;
  private final Clock clock;

  public RatingLinks(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A new link for {@code caseNo} from {@code channel} (e.g. SMS, QR_DYNAMIC), valid until {@code expiresAt}. */
  public Link issue(String caseNo, String channel, String targetType, String staffId, OffsetDateTime expiresAt) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    for (int attempt = 0; attempt < 5; attempt++) {
      String token = token();
      try (Connection c = db.connection();
          PreparedStatement ps = c.prepareStatement("insert into rating_links (token, case_no, channel, target_type, staff_id, "
              + "created_at, expires_at) values (?,?,?,?,?,?,?) on conflict do nothing")) {
        ps.setString(1, token);
        ps.setString(2, caseNo);
        ps.setString(3, channel);
        ps.setString(4, targetType);
        ps.setString(5, staffId);
        Sql.setTime(ps, 6, now);
        Sql.setTime(ps, 7, expiresAt);
        if (ps.executeUpdate() == 1) {
          return new Link(token, caseNo, channel, targetType, staffId, now, expiresAt, null, null);
        }
      } catch (SQLException e) {
        throw new StoreException("cannot issue a rating link for case " + caseNo, e);
      }
    }
    throw new StoreException("cannot find a free rating link token", null);
  }

  public Optional<Link> find(String token) {
    if (token == null || !token.matches("[0-9A-Za-z]{" + LENGTH + "}")) {
      return Optional.empty();
    }
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select * from rating_links where token = ?")) {
      ps.setString(1, token);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Link(rs.getString("token"), rs.getString("case_no"), rs.getString("channel"),
            rs.getString("target_type"), rs.getString("staff_id"), Sql.time(rs, "created_at"), Sql.time(rs, "expires_at"),
            Sql.time(rs, "used_at"), rs.getString("rating_id")));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read rating link", e);
    }
  }

  /**
   * A link for {@code caseNo} from {@code channel} that can still be used, if one was issued: a
   * terminal that reports the same completion twice gets the same QR code, not a second one.
   */
  public Optional<Link> findUsable(String caseNo, String channel) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select token from rating_links where case_no = ? and channel = ? "
            + "and used_at is null and expires_at > ? order by created_at desc")) {
      ps.setString(1, caseNo);
      ps.setString(2, channel);
      Sql.setTime(ps, 3, OffsetDateTime.now(clock));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? find(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read rating links of case " + caseNo, e);
    }
  }

  /** Marks the link used by {@code ratingId}; false when it was already used or has expired (single use). */
  public boolean redeem(String token, String ratingId) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(
            "update rating_links set used_at = ?, rating_id = ? where token = ? and used_at is null and expires_at > ?")) {
      OffsetDateTime now = OffsetDateTime.now(clock);
      Sql.setTime(ps, 1, now);
      ps.setString(2, ratingId);
      ps.setString(3, token);
      Sql.setTime(ps, 4, now);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("cannot redeem rating link", e);
    }
  }

  private String token() {
    StringBuilder b = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }
}
