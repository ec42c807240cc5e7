package org.haochaping.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Feedback that names no case (000 第十六条 意见箱、意见簿, mailboxes, a static QR code where no case
 * was found): kept for the hall or department, counted, never forwarded as a case rating.
 */
public final class ChannelFeedback {

  /** One entry. {@code sourceRef} is its identity: the same entry twice is stored once. */
  public record Entry(String sourceRef, String channel, String source, String hallCode, String windowNo, String deptCode,
      String caseNo, String level, List<String> tags, String comment, OffsetDateTime writtenAt, String enteredBy) {}

  private final Database db;
  private final Clock clock;

  public ChannelFeedback(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Stores the entry; false when an entry with the same sourceRef is already kept. */
  public boolean record(Entry e) {
    String sql = "insert into channel_feedback (source_ref, channel, source, hall_code, window_no, dept_code, case_no, level, "
        + "tags, comment_text, written_at, entered_by, received_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?) on conflict do nothing";
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, e.sourceRef());
      ps.setString(i++, e.channel());
      ps.setString(i++, e.source());
      ps.setString(i++, e.hallCode());
      ps.setString(i++, e.windowNo());
      ps.setString(i++, e.deptCode());
      ps.setString(i++, e.caseNo());
      ps.setString(i++, e.level());
      ps.setString(i++, e.tags() == null || e.tags().isEmpty() ? null : String.join(",", e.tags()));
      ps.setString(i++, e.comment());
      Sql.setTime(ps, i++, e.writtenAt());
      ps.setString(i++, e.enteredBy());
      Sql.setTime(ps, i, OffsetDateTime.now(clock));
      return ps.executeUpdate() == 1;
    } catch (SQLException ex) {
      throw new StoreException("cannot keep feedback " + e.sourceRef(), ex);
    }
  }

  /** Entries kept per hall (or department when no hall), channel and source: what the hall's report counts. */
  public Map<String, Long> countByHall() {
    Map<String, Long> out = new TreeMap<>();
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select coalesce(hall_code, dept_code), channel, source, count(*) "
            + "from channel_feedback group by coalesce(hall_code, dept_code), channel, source");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3), rs.getLong(4));
      }
    } catch (SQLException ex) {
      throw new StoreException("cannot count feedback", ex);
    }
    return out;
  }

  /** The entry kept under {@code sourceRef}, as columns; for tests and the console. */
  public Map<String, Object> find(String sourceRef) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select * from channel_feedback where source_ref = ?")) {
      ps.setString(1, sourceRef);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Map<String, Object> row = new TreeMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
        }
        return row;
      }
    } catch (SQLException ex) {
      throw new StoreException("cannot read feedback", ex);
    }
  }
}
