package org.haochaping.gateway.channel.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/** Every administrative action, kept: who, what, on what, with which outcome. Never personal data. */
public final class AuditLog {

  private final Database db;
  private final Clock clock;

  public AuditLog(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public void record(String actor, String role, String action, String target, String detail, String outcome) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(
            "insert into audit_log (at, actor, role, action, target, detail, outcome) values (?,?,?,?,?,?,?)")) {
      ps.setObject(1, OffsetDateTime.now(clock));
      ps.setString(2, actor);
      ps.setString(3, role);
      ps.setString(4, action);
      ps.setString(5, target == null ? null : truncate(target, 256));
      ps.setString(6, detail == null ? null : truncate(detail, 2000));
      ps.setString(7, outcome);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot write the audit log", e);
    }
  }

  public List<Map<String, Object>> recent(int limit) {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select at, actor, role, action, target, detail, outcome from audit_log order by id desc")) {
      ps.setMaxRows(limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("at", rs.getObject(1, OffsetDateTime.class));
          m.put("actor", rs.getString(2));
          m.put("role", rs.getString(3));
          m.put("action", rs.getString(4));
          m.put("target", rs.getString(5));
          m.put("detail", rs.getString(6));
          m.put("outcome", rs.getString(7));
          out.add(m);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the audit log", e);
    }
    return out;
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
