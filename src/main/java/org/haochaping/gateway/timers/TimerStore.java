package org.haochaping.gateway.timers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.policy.TimerKind;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * Persistent timers: one row per (kind, subject) in {@code lifecycle_timers} with the moment it falls
 * due. Rows are never deleted: a timer ends FIRED or CANCELLED with its outcome, which is the record
 * of what the gateway did (one reminder per case, one default per case and stage).
 *
 * <p>Due timers are taken with {@code FOR UPDATE SKIP LOCKED} inside the transaction that fires them:
 * with several gateway nodes on one PostgreSQL, a row locked by one node is skipped by the others,
 * and once that node commits the row is no longer PENDING, so no timer fires twice.
 */
public final class TimerStore {

  /** Where a timer stands. */
  public enum State { PENDING, FIRED, CANCELLED }

  /** A timer as stored. */
  public record Timer(TimerKind kind, String subject, String caseNo, OffsetDateTime dueAt, String payload) {}

  private final Database db;
  private final Clock clock;

  public TimerStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public Database database() {
    return db;
  }

  /** Starts the timer unless one of its kind and subject exists (a redelivered event starts nothing twice). */
  public boolean schedule(Connection c, Timer t) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("insert into lifecycle_timers (kind, subject, case_no, due_at, state, payload, "
        + "created_at) values (?,?,?,?,?,?,?) on conflict do nothing")) {
      ps.setString(1, t.kind().name());
      ps.setString(2, t.subject());
      ps.setString(3, t.caseNo());
      ps.setObject(4, t.dueAt());
      ps.setString(5, State.PENDING.name());
      ps.setString(6, t.payload());
      ps.setObject(7, OffsetDateTime.now(clock));
      return ps.executeUpdate() == 1;
    }
  }

  /** Cancels the timer if it is still pending; false when it fired, was cancelled or never existed. */
  public boolean cancel(Connection c, TimerKind kind, String subject, String outcome) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("update lifecycle_timers set state = ?, closed_at = ?, outcome = ? "
        + "where kind = ? and subject = ? and state = ?")) {
      ps.setString(1, State.CANCELLED.name());
      ps.setObject(2, OffsetDateTime.now(clock));
      ps.setString(3, clip(outcome));
      ps.setString(4, kind.name());
      ps.setString(5, subject);
      ps.setString(6, State.PENDING.name());
      return ps.executeUpdate() == 1;
    }
  }

  /** Moves a pending timer to a new due time (e.g. a rectification deadline extended by an explanation). */
  public boolean reschedule(Connection c, TimerKind kind, String subject, OffsetDateTime dueAt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("update lifecycle_timers set due_at = ? where kind = ? and subject = ? and state = ?")) {
      ps.setObject(1, dueAt);
      ps.setString(2, kind.name());
      ps.setString(3, subject);
      ps.setString(4, State.PENDING.name());
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Locks up to {@code limit} pending timers due at {@code now}, earliest first, skipping rows another
   * transaction holds. The locks last until {@code c} commits or rolls back.
   */
  public List<Timer> lockDue(Connection c, OffsetDateTime now, int limit) throws SQLException {
    List<Timer> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("select kind, subject, case_no, due_at, payload from lifecycle_timers "
        + "where state = ? and due_at <= ? order by due_at, kind, subject limit ? for update skip locked")) {
      ps.setString(1, State.PENDING.name());
      ps.setObject(2, now);
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Timer(TimerKind.valueOf(rs.getString("kind")), rs.getString("subject"), rs.getString("case_no"),
              ChinaTime.of(rs.getObject("due_at", OffsetDateTime.class)), rs.getString("payload")));
        }
      }
    }
    return out;
  }

  /** Ends a locked timer. */
  public void close(Connection c, Timer t, State state, String outcome) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("update lifecycle_timers set state = ?, closed_at = ?, outcome = ? "
        + "where kind = ? and subject = ?")) {
      ps.setString(1, state.name());
      ps.setObject(2, OffsetDateTime.now(clock));
      ps.setString(3, clip(outcome));
      ps.setString(4, t.kind().name());
      ps.setString(5, t.subject());
      ps.executeUpdate();
    }
  }

  /** Leaves a locked timer pending until {@code retryAt}, noting why it could not fire now. */
  public void postpone(Connection c, Timer t, OffsetDateTime retryAt, String outcome) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("update lifecycle_timers set due_at = ?, outcome = ? where kind = ? and subject = ?")) {
      ps.setObject(1, retryAt);
      ps.setString(2, clip(outcome));
      ps.setString(3, t.kind().name());
      ps.setString(4, t.subject());
      ps.executeUpdate();
    }
  }

  /** How many timers of {@code kind} are in {@code state}; for health details and tests. */
  public long count(TimerKind kind, State state) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select count(*) from lifecycle_timers where kind = ? and state = ?")) {
      ps.setString(1, kind.name());
      ps.setString(2, state.name());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot count timers", e);
    }
  }

  /** The state of one timer, or null when there is none. */
  public State stateOf(TimerKind kind, String subject) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select state from lifecycle_timers where kind = ? and subject = ?")) {
      ps.setString(1, kind.name());
      ps.setString(2, subject);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? State.valueOf(rs.getString(1)) : null;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read a timer", e);
    }
  }

  private static String clip(String s) {
    return s == null || s.length() <= 400 ? s : s.substring(0, 400);
  }
}
