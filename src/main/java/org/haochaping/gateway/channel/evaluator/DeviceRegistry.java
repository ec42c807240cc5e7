package org.haochaping.gateway.channel.evaluator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * The window evaluators the gateway knows (table {@code evaluator_devices}): which hall and window
 * each stands at, its MQTT password (salted hash), whether it is enabled, online, last seen.
 * Every node reads and writes the same table, so any node can answer for any device.
 */
public final class DeviceRegistry {

  /** A device and the password it was just given (shown once, never stored in clear). */
  public record Issued(EvaluatorDevice device, String password) {}

  /** Why a change was refused. */
  public static final class Conflict extends RuntimeException {
    private final String code;

    Conflict(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** Device counts for health and metrics; {@code offline} lists enabled devices that are not online. */
  public record Summary(int registered, int enabled, int online, List<String> offline) {}

  private static final String COLUMNS =
      "device_id, name, hall_code, window_no, enabled, online, last_seen_at, status_changed_at, created_at, updated_at";

  private final Database db;
  private final Clock clock;

  public DeviceRegistry(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Registers a device at a window with a new password; refused when the id exists or the window has an enabled evaluator. */
  public Issued create(String deviceId, String name, String hallCode, String windowNo) {
    String password = DeviceSecret.generate();
    DeviceSecret.Stored secret = DeviceSecret.store(password);
    OffsetDateTime now = now();
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        if (find(c, deviceId).isPresent()) {
          throw new Conflict("DEVICE_EXISTS", "评价器 " + deviceId + " 已存在 / evaluator " + deviceId + " already exists");
        }
        requireWindowFree(c, hallCode, windowNo, deviceId);
        try (PreparedStatement ps = c.prepareStatement("insert into evaluator_devices (device_id, name, hall_code, window_no, "
            + "window_key, enabled, secret_salt, secret_hash, online, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?)")) {
          ps.setString(1, deviceId);
          ps.setString(2, name);
          ps.setString(3, hallCode);
          ps.setString(4, windowNo);
          ps.setString(5, windowKey(hallCode, windowNo));
          ps.setBoolean(6, true);
          ps.setString(7, secret.salt());
          ps.setString(8, secret.hash());
          ps.setBoolean(9, false);
          ps.setObject(10, now);
          ps.setObject(11, now);
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw duplicateAsConflict(e, deviceId, hallCode, windowNo);
      }
      return new Issued(find(c, deviceId).orElseThrow(), password);
    } catch (SQLException e) {
      throw new StoreException("cannot register evaluator " + deviceId, e);
    }
  }

  /** Moves or renames a device; null leaves a field as it is. */
  public Optional<EvaluatorDevice> update(String deviceId, String name, String hallCode, String windowNo) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        Optional<EvaluatorDevice> found = find(c, deviceId);
        if (found.isEmpty()) {
          c.rollback();
          return Optional.empty();
        }
        EvaluatorDevice d = found.get();
        String hall = hallCode == null ? d.hallCode() : hallCode;
        String window = windowNo == null ? d.windowNo() : windowNo;
        if (d.enabled()) {
          requireWindowFree(c, hall, window, deviceId);
        }
        try (PreparedStatement ps = c.prepareStatement("update evaluator_devices set name = ?, hall_code = ?, window_no = ?, "
            + "window_key = ?, updated_at = ? where device_id = ?")) {
          ps.setString(1, name == null ? d.name() : name);
          ps.setString(2, hall);
          ps.setString(3, window);
          ps.setString(4, d.enabled() ? windowKey(hall, window) : null);
          ps.setObject(5, now());
          ps.setString(6, deviceId);
          ps.executeUpdate();
        }
        c.commit();
        return find(c, deviceId);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw duplicateAsConflict(e, deviceId, hallCode, windowNo);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot update evaluator " + deviceId, e);
    }
  }

  /** Enables or disables a device; a disabled device cannot log in and gets no prompts. */
  public Optional<EvaluatorDevice> setEnabled(String deviceId, boolean enabled) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        Optional<EvaluatorDevice> found = find(c, deviceId);
        if (found.isEmpty()) {
          c.rollback();
          return Optional.empty();
        }
        EvaluatorDevice d = found.get();
        if (enabled && !d.enabled()) {
          requireWindowFree(c, d.hallCode(), d.windowNo(), deviceId);
        }
        try (PreparedStatement ps = c.prepareStatement(
            "update evaluator_devices set enabled = ?, window_key = ?, updated_at = ? where device_id = ?")) {
          ps.setBoolean(1, enabled);
          ps.setString(2, enabled ? windowKey(d.hallCode(), d.windowNo()) : null);
          ps.setObject(3, now());
          ps.setString(4, deviceId);
          ps.executeUpdate();
        }
        c.commit();
        return find(c, deviceId);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw duplicateAsConflict(e, deviceId, null, null);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot change evaluator " + deviceId, e);
    }
  }

  /** Gives the device a new password (the old one stops working); empty when there is no such device. */
  public Optional<Issued> renewPassword(String deviceId) {
    String password = DeviceSecret.generate();
    DeviceSecret.Stored secret = DeviceSecret.store(password);
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(
            "update evaluator_devices set secret_salt = ?, secret_hash = ?, updated_at = ? where device_id = ?")) {
      ps.setString(1, secret.salt());
      ps.setString(2, secret.hash());
      ps.setObject(3, now());
      ps.setString(4, deviceId);
      if (ps.executeUpdate() == 0) {
        return Optional.empty();
      }
      return find(deviceId).map(d -> new Issued(d, password));
    } catch (SQLException e) {
      throw new StoreException("cannot renew the password of evaluator " + deviceId, e);
    }
  }

  /** The device when it is enabled and {@code password} is its password. */
  public Optional<EvaluatorDevice> login(String deviceId, String password) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select " + COLUMNS + ", secret_salt, secret_hash from evaluator_devices where device_id = ?")) {
      ps.setString(1, deviceId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        EvaluatorDevice d = read(rs);
        boolean ok = d.enabled() && DeviceSecret.matches(new DeviceSecret.Stored(rs.getString("secret_salt"), rs.getString("secret_hash")), password);
        return ok ? Optional.of(d) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot check evaluator " + deviceId, e);
    }
  }

  public Optional<EvaluatorDevice> find(String deviceId) {
    try (Connection c = db.connection()) {
      return find(c, deviceId);
    } catch (SQLException e) {
      throw new StoreException("cannot read evaluator " + deviceId, e);
    }
  }

  /** The enabled evaluator at a hall's window, if there is one. */
  public Optional<EvaluatorDevice> atWindow(String hallCode, String windowNo) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from evaluator_devices where window_key = ?")) {
      ps.setString(1, windowKey(hallCode, windowNo));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot find the evaluator of window " + hallCode + "/" + windowNo, e);
    }
  }

  /** Every device, by hall, window and id. */
  public List<EvaluatorDevice> list() {
    List<EvaluatorDevice> out = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from evaluator_devices order by hall_code, window_no, device_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(read(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot list evaluators", e);
    }
  }

  /**
   * Records what the device said on its status topic (or its last will said for it). Returns true
   * when the device is known. A status older than the one recorded is ignored.
   */
  public boolean recordStatus(String deviceId, boolean online, OffsetDateTime at) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("update evaluator_devices set online = ?, status_changed_at = ?, "
            + "last_seen_at = case when last_seen_at is null or last_seen_at < ? then ? else last_seen_at end "
            + "where device_id = ? and (status_changed_at is null or status_changed_at <= ?)")) {
      ps.setBoolean(1, online);
      ps.setObject(2, at);
      ps.setObject(3, at);
      ps.setObject(4, at);
      ps.setString(5, deviceId);
      ps.setObject(6, at);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("cannot record the status of evaluator " + deviceId, e);
    }
  }

  /** The device was heard from (a rating): it is online, and its last-seen time moves on. */
  public void seen(String deviceId, OffsetDateTime at) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(
            "update evaluator_devices set last_seen_at = ? where device_id = ? and (last_seen_at is null or last_seen_at < ?)")) {
      ps.setObject(1, at);
      ps.setString(2, deviceId);
      ps.setObject(3, at);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot record when evaluator " + deviceId + " was seen", e);
    }
  }

  public Summary summary(int listAtMost) {
    int registered = 0;
    int enabled = 0;
    int online = 0;
    List<String> offline = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select device_id, enabled, online from evaluator_devices order by device_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        registered++;
        if (rs.getBoolean("enabled")) {
          enabled++;
          if (rs.getBoolean("online")) {
            online++;
          } else if (offline.size() < listAtMost) {
            offline.add(rs.getString("device_id"));
          }
        }
      }
      return new Summary(registered, enabled, online, offline);
    } catch (SQLException e) {
      throw new StoreException("cannot count evaluators", e);
    }
  }

  private void requireWindowFree(Connection c, String hallCode, String windowNo, String deviceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select device_id from evaluator_devices where window_key = ?")) {
      ps.setString(1, windowKey(hallCode, windowNo));
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && !rs.getString(1).equals(deviceId)) {
          throw windowTaken(hallCode, windowNo, rs.getString(1));
        }
      }
    }
  }

  private static Conflict windowTaken(String hallCode, String windowNo, String holder) {
    return new Conflict("WINDOW_TAKEN", "大厅 " + hallCode + " 窗口 " + windowNo + " 已有启用的评价器" + (holder == null ? "" : " " + holder)
        + "，请先停用它 / window " + windowNo + " of hall " + hallCode + " already has an enabled evaluator"
        + (holder == null ? "" : " " + holder) + "; disable it first");
  }

  /** Two nodes racing to register one id or one window: the unique keys decide, the loser gets a conflict. */
  private static RuntimeException duplicateAsConflict(Exception e, String deviceId, String hallCode, String windowNo) {
    if (e instanceof SQLException sql && ("23505".equals(sql.getSQLState()) || "23001".equals(sql.getSQLState()))) {
      String message = sql.getMessage() == null ? "" : sql.getMessage().toLowerCase(java.util.Locale.ROOT);
      return message.contains("window_key")
          ? windowTaken(hallCode, windowNo, null)
          : new Conflict("DEVICE_EXISTS", "评价器 " + deviceId + " 已存在 / evaluator " + deviceId + " already exists");
    }
    if (e instanceof RuntimeException r) {
      return r;
    }
    return new StoreException("evaluator registry: " + e.getMessage(), e);
  }

  private Optional<EvaluatorDevice> find(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from evaluator_devices where device_id = ?")) {
      ps.setString(1, deviceId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static EvaluatorDevice read(ResultSet rs) throws SQLException {
    return new EvaluatorDevice(rs.getString("device_id"), rs.getString("name"), rs.getString("hall_code"),
        rs.getString("window_no"), rs.getBoolean("enabled"), rs.getBoolean("online"), time(rs, "last_seen_at"),
        time(rs, "status_changed_at"), time(rs, "created_at"), time(rs, "updated_at"));
  }

  private static OffsetDateTime time(ResultSet rs, String column) throws SQLException {
    return ChinaTime.of(rs.getObject(column, OffsetDateTime.class));
  }

  private static String windowKey(String hallCode, String windowNo) {
    return hallCode + "/" + windowNo;
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
  }
}
