package org.haochaping.gateway.channel.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.PersonalDataCipher;
import org.haochaping.gateway.store.StoreException;

/**
 * The server-to-server clients (portal, apps, departmental systems, terminals, 12345) and their
 * secrets, sealed at rest. Read through a short cache so that a rotation or a disable made on one
 * node is in force on every node within {@link #CACHE_TTL}, without a restart.
 */
public final class Clients {

  static final Duration CACHE_TTL = Duration.ofSeconds(5);

  /** A client as the guard needs it. */
  public record Client(String appKey, String name, String status, int ratePerSecond, List<String> secrets,
      OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    public boolean active() {
      return "ACTIVE".equals(status);
    }
  }

  private record Cached(Optional<Client> client, Instant at) {}

  private final Database db;
  private final PersonalDataCipher cipher;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public Clients(Database db, PersonalDataCipher cipher, Clock clock) {
    this.db = db;
    this.cipher = cipher;
    this.clock = clock;
  }

  public Optional<Client> find(String appKey) {
    Cached c = cache.get(appKey);
    Instant now = clock.instant();
    if (c != null && c.at().plus(CACHE_TTL).isAfter(now)) {
      return c.client();
    }
    Optional<Client> loaded = load(appKey);
    cache.put(appKey, new Cached(loaded, now));
    return loaded;
  }

  /** Creates the client unless it exists (used to install the demo client from the credentials file). */
  public void ensure(String appKey, String name, String secret, int ratePerSecond) {
    if (load(appKey).isPresent()) {
      return;
    }
    create(appKey, name, secret, ratePerSecond);
  }

  public void create(String appKey, String name, String secret, int ratePerSecond) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("insert into clients (app_key, name, secret_sealed, status, rate_per_second, "
            + "created_at, updated_at) values (?,?,?,?,?,?,?)")) {
      ps.setString(1, appKey);
      ps.setString(2, name);
      ps.setString(3, cipher.seal(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      ps.setString(4, "ACTIVE");
      ps.setInt(5, ratePerSecond);
      ps.setObject(6, now);
      ps.setObject(7, now);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot create client " + appKey, e);
    } finally {
      cache.remove(appKey);
    }
  }

  /** A new secret; the old one stays valid for {@code overlap} so callers can switch without an outage. */
  public void rotate(String appKey, String newSecret, Duration overlap) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    update("update clients set previous_secret_sealed = secret_sealed, previous_valid_until = ?, secret_sealed = ?, "
        + "updated_at = ? where app_key = ?", ps -> {
          ps.setObject(1, now.plus(overlap));
          ps.setString(2, cipher.seal(newSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
          ps.setObject(3, now);
          ps.setString(4, appKey);
        }, appKey);
  }

  public void setStatus(String appKey, String status) {
    update("update clients set status = ?, updated_at = ? where app_key = ?", ps -> {
      ps.setString(1, status);
      ps.setObject(2, OffsetDateTime.now(clock));
      ps.setString(3, appKey);
    }, appKey);
  }

  public void setRate(String appKey, int ratePerSecond) {
    update("update clients set rate_per_second = ?, updated_at = ? where app_key = ?", ps -> {
      ps.setInt(1, ratePerSecond);
      ps.setObject(2, OffsetDateTime.now(clock));
      ps.setString(3, appKey);
    }, appKey);
  }

  /** Every client, without secrets, for the admin API. */
  public List<Client> list() {
    List<Client> out = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select app_key from clients order by app_key");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        load(rs.getString(1)).ifPresent(cl -> out.add(new Client(cl.appKey(), cl.name(), cl.status(), cl.ratePerSecond(),
            List.of(), cl.createdAt(), cl.updatedAt())));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot list clients", e);
    }
    return out;
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private void update(String sql, Binder binder, String appKey) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      if (ps.executeUpdate() == 0) {
        throw new IllegalArgumentException("no client " + appKey);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot update client " + appKey, e);
    } finally {
      cache.remove(appKey);
    }
  }

  private Optional<Client> load(String appKey) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select * from clients where app_key = ?")) {
      ps.setString(1, appKey);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        List<String> secrets = new ArrayList<>();
        secrets.add(new String(cipher.open(rs.getString("secret_sealed")), java.nio.charset.StandardCharsets.UTF_8));
        Timestamp until = rs.getTimestamp("previous_valid_until");
        if (rs.getString("previous_secret_sealed") != null && until != null && until.toInstant().isAfter(clock.instant())) {
          secrets.add(new String(cipher.open(rs.getString("previous_secret_sealed")), java.nio.charset.StandardCharsets.UTF_8));
        }
        return Optional.of(new Client(appKey, rs.getString("name"), rs.getString("status"), rs.getInt("rate_per_second"),
            List.copyOf(secrets), rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class)));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read client " + appKey, e);
    }
  }
}
