package org.haochaping.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.haochaping.gateway.model.CaseMode;
import org.haochaping.gateway.model.CaseStatus;
import org.haochaping.gateway.model.ProjectType;
import org.haochaping.gateway.model.ServiceCase;

/** Cases (办件) as departmental systems pushed them, with the applicant sealed. */
public final class CaseStore {

  /** What an upsert did. */
  public enum Outcome { CREATED, UPDATED }

  private static final String COLUMNS = "case_no, task_code, item_name, dept_code, dept_name, area_code, hall_code, "
      + "window_no, staff_id, staff_name, business_line, mode, project_type, status, accepted_at, completed_at, "
      + "promise_days, visit_id, theme_id, applicant_sealed, applicant_mobile_hash";

  private final Database db;
  private final PersonalDataCipher cipher;
  private final Clock clock;

  public CaseStore(Database db, PersonalDataCipher cipher, Clock clock) {
    this.db = db;
    this.cipher = cipher;
    this.clock = clock;
  }

  public Optional<ServiceCase> find(String caseNo) {
    try (Connection c = db.connection()) {
      return find(c, caseNo, false);
    } catch (SQLException e) {
      throw new StoreException("cannot read case " + caseNo, e);
    }
  }

  /** The cases among {@code caseNos} the gateway holds, read in one query (forwarding reads a batch's cases at once). */
  public java.util.Map<String, ServiceCase> findAll(java.util.Collection<String> caseNos) {
    java.util.Map<String, ServiceCase> found = new java.util.HashMap<>();
    if (caseNos.isEmpty()) {
      return found;
    }
    String marks = String.join(",", java.util.Collections.nCopies(caseNos.size(), "?"));
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from cases where case_no in (" + marks + ")")) {
      int i = 1;
      for (String caseNo : caseNos) {
        ps.setString(i++, caseNo);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ServiceCase sc = read(rs);
          found.put(sc.caseNo(), sc);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read " + caseNos.size() + " cases", e);
    }
    return found;
  }

  /** Inserts the case or replaces it, in one transaction; concurrent pushes of one case serialise on its row. */
  public Outcome upsert(ServiceCase sc) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        Outcome outcome = find(c, sc.caseNo(), true).isPresent() ? update(c, sc) : insertOrUpdate(c, sc);
        c.commit();
        return outcome;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot store case " + sc.caseNo(), e);
    }
  }

  private Outcome insertOrUpdate(Connection c, ServiceCase sc) throws SQLException {
    OffsetDateTime now = OffsetDateTime.now(clock);
    String sql = "insert into cases (" + COLUMNS + ", created_at, updated_at) values "
        + "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) on conflict do nothing";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = bind(ps, sc);
      Sql.setTime(ps, i++, now);
      Sql.setTime(ps, i, now);
      if (ps.executeUpdate() == 1) {
        return Outcome.CREATED;
      }
    }
    // Another node inserted it between our read and our insert: lock it and update.
    find(c, sc.caseNo(), true);
    return update(c, sc);
  }

  private Outcome update(Connection c, ServiceCase sc) throws SQLException {
    String sql = "update cases set case_no = ?, task_code = ?, item_name = ?, dept_code = ?, dept_name = ?, area_code = ?, "
        + "hall_code = ?, window_no = ?, staff_id = ?, staff_name = ?, business_line = ?, mode = ?, project_type = ?, "
        + "status = ?, accepted_at = ?, completed_at = ?, promise_days = ?, visit_id = ?, theme_id = ?, "
        + "applicant_sealed = ?, applicant_mobile_hash = ?, updated_at = ? where case_no = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = bind(ps, sc);
      Sql.setTime(ps, i++, OffsetDateTime.now(clock));
      ps.setString(i, sc.caseNo());
      ps.executeUpdate();
    }
    return Outcome.UPDATED;
  }

  private int bind(PreparedStatement ps, ServiceCase sc) throws SQLException {
    int i = 1;
    ps.setString(i++, sc.caseNo());
    ps.setString(i++, sc.taskCode());
    ps.setString(i++, sc.itemName());
    ps.setString(i++, sc.deptCode());
    ps.setString(i++, sc.deptName());
    ps.setString(i++, sc.areaCode());
    ps.setString(i++, sc.hallCode());
    ps.setString(i++, sc.windowNo());
    ps.setString(i++, sc.staffId());
    ps.setString(i++, sc.staffName());
    ps.setString(i++, sc.businessLine());
    ps.setString(i++, sc.mode().name());
    ps.setString(i++, sc.projectType() == null ? null : sc.projectType().name());
    ps.setString(i++, sc.status().name());
    Sql.setTime(ps, i++, sc.acceptedAt());
    Sql.setTime(ps, i++, sc.completedAt());
    Sql.setInt(ps, i++, sc.promiseDays());
    ps.setString(i++, sc.visitId());
    ps.setString(i++, sc.themeId());
    ps.setString(i++, cipher.seal(sc.applicant()));
    ps.setString(i++, sc.applicant() == null ? null : cipher.mobileIndex(sc.applicant().mobile()));
    return i;
  }

  private Optional<ServiceCase> find(Connection c, String caseNo, boolean forUpdate) throws SQLException {
    String sql = "select " + COLUMNS + " from cases where case_no = ?" + (forUpdate ? " for update" : "");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, caseNo);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private ServiceCase read(ResultSet rs) throws SQLException {
    return new ServiceCase(
        rs.getString("case_no"),
        rs.getString("task_code"),
        rs.getString("item_name"),
        rs.getString("dept_code"),
        rs.getString("dept_name"),
        rs.getString("area_code"),
        rs.getString("hall_code"),
        rs.getString("window_no"),
        rs.getString("staff_id"),
        rs.getString("staff_name"),
        rs.getString("business_line"),
        Sql.enumOf(CaseMode.class, rs.getString("mode")),
        Sql.enumOf(ProjectType.class, rs.getString("project_type")),
        cipher.openPerson(rs.getString("applicant_sealed")),
        Sql.enumOf(CaseStatus.class, rs.getString("status")),
        Sql.time(rs, "accepted_at"),
        Sql.time(rs, "completed_at"),
        Sql.integer(rs, "promise_days"),
        rs.getString("visit_id"),
        rs.getString("theme_id"));
  }
}
