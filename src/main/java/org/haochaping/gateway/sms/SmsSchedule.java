package org.haochaping.gateway.sms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * Prompts, reminders and feedback waiting for their time (table {@code sms_schedule}). A trigger
 * (case completed, REMINDER_DUE, WORK_ORDER_FEEDBACK) adds a row with a stable id, so a trigger
 * delivered twice schedules once; the poller takes due rows with {@code FOR UPDATE SKIP LOCKED},
 * so that of several gateway nodes exactly one handles each.
 */
public final class SmsSchedule {

  /** A row that is due. {@code detail} is the trigger's JSON (work order id and result). */
  public record Due(String scheduleId, String caseNo, SmsKind kind, OffsetDateTime dueAt, String detail, OffsetDateTime createdAt) {}

  /** What became of a due row: done with an outcome, or due again later (quiet hours). */
  public sealed interface Decision permits Done, Later {}

  public record Done(String outcome) implements Decision {}

  public record Later(OffsetDateTime dueAt) implements Decision {}

  /** A row as stored, for tests and people. */
  public record Row(String scheduleId, String caseNo, SmsKind kind, OffsetDateTime dueAt, OffsetDateTime doneAt, String outcome) {}

  private final Database db;
  private final Clock clock;

  public SmsSchedule(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Schedules once per id; false when this id was scheduled before. */
  public boolean add(String scheduleId, String caseNo, SmsKind kind, OffsetDateTime dueAt, String detail) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("insert into sms_schedule (schedule_id, case_no, kind, due_at, detail, created_at) "
            + "values (?,?,?,?,?,?) on conflict do nothing")) {
      ps.setString(1, scheduleId);
      ps.setString(2, caseNo);
      ps.setString(3, kind.name());
      SmsSql.setTime(ps, 4, dueAt);
      ps.setString(5, detail);
      SmsSql.setTime(ps, 6, OffsetDateTime.now(clock));
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("cannot schedule " + kind + " for case " + caseNo, e);
    }
  }

  /**
   * Takes up to {@code limit} due rows, decides each with {@code decide} and records the decisions,
   * all in one transaction that holds the rows' locks. A failing decision rolls the batch back: the
   * rows stay due and are tried at the next poll. Returns how many rows were handled.
   */
  public int runDue(int limit, Function<Due, Decision> decide) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        List<Due> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select schedule_id, case_no, kind, due_at, detail, created_at from sms_schedule "
            + "where done_at is null and due_at <= ? order by due_at, schedule_id limit ? for update skip locked")) {
          SmsSql.setTime(ps, 1, now);
          ps.setInt(2, limit);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              due.add(new Due(rs.getString(1), rs.getString(2), SmsKind.valueOf(rs.getString(3)), SmsSql.time(rs, "due_at"),
                  rs.getString(5), SmsSql.time(rs, "created_at")));
            }
          }
        }
        for (Due d : due) {
          Decision decision = decide.apply(d);
          if (decision instanceof Later later) {
            try (PreparedStatement ps = c.prepareStatement("update sms_schedule set due_at = ? where schedule_id = ?")) {
              SmsSql.setTime(ps, 1, later.dueAt());
              ps.setString(2, d.scheduleId());
              ps.executeUpdate();
            }
          } else if (decision instanceof Done done) {
            try (PreparedStatement ps = c.prepareStatement("update sms_schedule set done_at = ?, outcome = ? where schedule_id = ?")) {
              SmsSql.setTime(ps, 1, OffsetDateTime.now(clock));
              ps.setString(2, done.outcome());
              ps.setString(3, d.scheduleId());
              ps.executeUpdate();
            }
          }
        }
        c.commit();
        return due.size();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot run due SMS", e);
    }
  }

  public Optional<Row> find(String scheduleId) {
    return rows("select * from sms_schedule where schedule_id = ?", scheduleId).stream().findFirst();
  }

  public List<Row> forCase(String caseNo) {
    return rows("select * from sms_schedule where case_no = ? order by created_at, schedule_id", caseNo);
  }

  private List<Row> rows(String sql, String arg) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      List<Row> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Row(rs.getString("schedule_id"), rs.getString("case_no"), SmsKind.valueOf(rs.getString("kind")),
              SmsSql.time(rs, "due_at"), SmsSql.time(rs, "done_at"), rs.getString("outcome")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read the SMS schedule", e);
    }
  }
}
