package org.haochaping.gateway.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.haochaping.gateway.model.Masking;

/**
 * 000 第十五条: the 12345 hotline calls back every caller who rated 不满意 or 非常不满意. One row per
 * such rating, PENDING until the operator records the call; the caller's number and the notes are
 * sealed at rest.
 */
public final class HotlineRevisits {

  /** A revisit as an operator sees it: the caller masked, the notes opened. */
  public record Revisit(String ratingId, String caseNo, String flowsn, String level, String callerMasked, String status,
      String operator, Boolean reached, String outcome, String notes, OffsetDateTime calledAt, OffsetDateTime createdAt) {}

  /** The result of a call as the operator records it. */
  public record Result(String operator, boolean reached, String outcome, String notes, OffsetDateTime calledAt) {}

  private final Database db;
  private final PersonalDataCipher cipher;
  private final Clock clock;

  public HotlineRevisits(Database db, PersonalDataCipher cipher, Clock clock) {
    this.db = db;
    this.cipher = cipher;
    this.clock = clock;
  }

  /** Opens the revisit of a bad hotline rating; nothing when it is already open (a replayed callback). */
  public void open(String ratingId, String caseNo, String flowsn, String level, String callerMobile) {
    String sql = "insert into hotline_revisits (rating_id, case_no, flowsn, level, caller_sealed, status, created_at, updated_at) "
        + "values (?,?,?,?,?,?,?,?) on conflict do nothing";
    OffsetDateTime now = OffsetDateTime.now(clock);
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, ratingId);
      ps.setString(2, caseNo);
      ps.setString(3, flowsn);
      ps.setString(4, level);
      ps.setString(5, callerMobile == null ? null : cipher.seal(callerMobile.getBytes(StandardCharsets.UTF_8)));
      ps.setString(6, "PENDING");
      Sql.setTime(ps, 7, now);
      Sql.setTime(ps, 8, now);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot open the revisit of rating " + ratingId, e);
    }
  }

  /** Records the call; false when there is no such revisit or it was recorded already. */
  public boolean record(String ratingId, Result r) {
    String sql = "update hotline_revisits set status = 'DONE', operator = ?, reached = ?, outcome = ?, notes_sealed = ?, "
        + "called_at = ?, updated_at = ? where rating_id = ? and status = 'PENDING'";
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, r.operator());
      ps.setBoolean(2, r.reached());
      ps.setString(3, r.outcome());
      ps.setString(4, r.notes() == null ? null : cipher.seal(r.notes().getBytes(StandardCharsets.UTF_8)));
      Sql.setTime(ps, 5, r.calledAt());
      Sql.setTime(ps, 6, OffsetDateTime.now(clock));
      ps.setString(7, ratingId);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("cannot record the revisit of rating " + ratingId, e);
    }
  }

  public Optional<Revisit> find(String ratingId) {
    List<Revisit> r = query("select * from hotline_revisits where rating_id = ?", ratingId, 1);
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  /** Revisits in {@code status} (PENDING or DONE), oldest first. */
  public List<Revisit> list(String status, int limit) {
    return query("select * from hotline_revisits where status = ? order by created_at", status, limit);
  }

  private List<Revisit> query(String sql, String arg, int limit) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      ps.setMaxRows(limit);
      List<Revisit> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String caller = open(rs.getString("caller_sealed"));
          String notes = open(rs.getString("notes_sealed"));
          boolean reached = rs.getBoolean("reached");
          out.add(new Revisit(rs.getString("rating_id"), rs.getString("case_no"), rs.getString("flowsn"), rs.getString("level"),
              caller == null ? null : Masking.mobile(caller), rs.getString("status"), rs.getString("operator"),
              rs.wasNull() ? null : reached, rs.getString("outcome"), notes, Sql.time(rs, "called_at"), Sql.time(rs, "created_at")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read hotline revisits", e);
    }
  }

  private String open(String sealed) {
    return sealed == null ? null : new String(cipher.open(sealed), StandardCharsets.UTF_8);
  }
}
