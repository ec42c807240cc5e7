package org.haochaping.gateway.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * The 政务服务大厅 that 大厅推广率 counts (000 第二十二条: 有评价的大厅数/总大厅数). Halls are registered over
 * {@code /api/v1/stats/hall-registry} with their area and, for an agency's own 业务服务大厅 (000 第三条), the
 * agency; a hall code seen on a case and not registered joins as {@code DISCOVERED}. A hall that closes is
 * made inactive, not deleted, and no longer counts.
 */
public final class HallRegistry {

  /** A hall: {@code deptCode} is the agency that runs it (null for a comprehensive center). */
  public record Hall(String hallCode, String name, String areaCode, String deptCode, boolean active, String source,
      OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

  private final Database db;
  private final Clock clock;

  public HallRegistry(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public List<Hall> list() {
    List<Hall> out = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select hall_code, name, area_code, dept_code, active, source, created_at, updated_at "
            + "from stats_halls order by area_code, hall_code");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(hall(rs));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the hall registry", e);
    }
    return out;
  }

  public Optional<Hall> find(String hallCode) {
    return list().stream().filter(h -> h.hallCode().equals(hallCode)).findFirst();
  }

  /** Registers or changes a hall; answers whether it was new. */
  public boolean put(String hallCode, String name, String areaCode, String deptCode, boolean active) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        int updated;
        try (PreparedStatement ps = c.prepareStatement("update stats_halls set name = ?, area_code = ?, dept_code = ?, active = ?, "
            + "source = 'REGISTERED', updated_at = ? where hall_code = ?")) {
          ps.setString(1, name);
          ps.setString(2, areaCode);
          ps.setString(3, deptCode);
          ps.setBoolean(4, active);
          ps.setObject(5, now);
          ps.setString(6, hallCode);
          updated = ps.executeUpdate();
        }
        if (updated == 0) {
          try (PreparedStatement ps = c.prepareStatement("insert into stats_halls (hall_code, name, area_code, dept_code, active, source, "
              + "created_at, updated_at) values (?,?,?,?,?,'REGISTERED',?,?)")) {
            ps.setString(1, hallCode);
            ps.setString(2, name);
            ps.setString(3, areaCode);
            ps.setString(4, deptCode);
            ps.setBoolean(5, active);
            ps.setObject(6, now);
            ps.setObject(7, now);
            ps.executeUpdate();
          }
        }
        c.commit();
        return updated == 0;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot register hall " + hallCode, e);
    }
  }

  private static Hall hall(ResultSet rs) throws SQLException {
    return new Hall(rs.getString("hall_code"), rs.getString("name"), rs.getString("area_code"), rs.getString("dept_code"),
        rs.getBoolean("active"), rs.getString("source"), ChinaTime.of(rs.getObject("created_at", OffsetDateTime.class)),
        ChinaTime.of(rs.getObject("updated_at", OffsetDateTime.class)));
  }
}
