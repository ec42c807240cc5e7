package org.haochaping.gateway.channel.auth;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * Bearer tokens of operators ({@code OPERATOR}: may change things) and viewers ({@code VIEWER}:
 * may look). Only a SHA-256 of each token is stored; lookups go through a short cache so that a
 * revocation reaches every node within seconds.
 */
public final class AdminTokens {

  public enum Role { OPERATOR, VIEWER }

  /** Who holds a token. */
  public record Holder(String name, Role role) {}

  private record Cached(Optional<Holder> holder, Instant at) {}

  private final Database db;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public AdminTokens(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public Optional<Holder> holder(String token) {
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    String hash = RequestSignature.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
    Instant now = clock.instant();
    Cached c = cache.get(hash);
    if (c != null && c.at().plus(Clients.CACHE_TTL).isAfter(now)) {
      return c.holder();
    }
    Optional<Holder> loaded = load(hash);
    cache.put(hash, new Cached(loaded, now));
    return loaded;
  }

  /** Installs {@code token} for {@code name} unless a token with that hash exists. */
  public void ensure(String token, String name, Role role) {
    String hash = RequestSignature.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("insert into admin_tokens (token_hash, name, role, status, created_at) "
            + "values (?,?,?,?,?) on conflict do nothing")) {
      ps.setString(1, hash);
      ps.setString(2, name);
      ps.setString(3, role.name());
      ps.setString(4, "ACTIVE");
      ps.setObject(5, OffsetDateTime.now(clock));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot install admin token", e);
    }
  }

  /** Revokes every token of {@code name}. */
  public int revoke(String name) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("update admin_tokens set status = 'REVOKED' where name = ? and status = 'ACTIVE'")) {
      ps.setString(1, name);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot revoke admin token", e);
    } finally {
      cache.clear();
    }
  }

  /** Token holders, for the admin API (no hashes). */
  public List<Map<String, Object>> list() {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select name, role, status, created_at, last_used_at from admin_tokens order by name");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", rs.getString(1));
        m.put("role", rs.getString(2));
        m.put("status", rs.getString(3));
        m.put("createdAt", rs.getObject(4, OffsetDateTime.class));
        m.put("lastUsedAt", rs.getObject(5, OffsetDateTime.class));
        out.add(m);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot list admin tokens", e);
    }
    return out;
  }

  private Optional<Holder> load(String hash) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select name, role from admin_tokens where token_hash = ? and status = 'ACTIVE'")) {
      ps.setString(1, hash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Holder(rs.getString(1), Role.valueOf(rs.getString(2)))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read admin token", e);
    }
  }
}
