package org.haochaping.gateway.timers;

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
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.policy.LifecyclePolicy;
import org.haochaping.gateway.policy.TimerKind;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;
import org.haochaping.gateway.workorder.Refused;

/**
 * 002 第八条: when a 不满意/非常不满意 rating comes with written content, the supervising department
 * reviews the text within 15 natural days; not reviewed in time, it is approved (视为同意该条评价).
 * A review is opened by the ratings consumer, decided by a person over REST or by its timer.
 */
public final class ContentReviews {

  /** Where a review stands. */
  public enum State { PENDING, APPROVED, REJECTED }

  /** A review as the API shows it. */
  public record Review(String ratingId, String caseNo, String level, String comment, State state, OffsetDateTime dueAt,
      OffsetDateTime createdAt, OffsetDateTime decidedAt, String decidedBy, boolean byDefault, String notes) {}

  private final Database db;
  private final TimerStore timers;
  private final LifecycleOutbox outbox;
  private final LifecyclePolicy policy;
  private final Clock clock;

  public ContentReviews(Database db, TimerStore timers, LifecycleOutbox outbox, LifecyclePolicy policy, Clock clock) {
    this.db = db;
    this.timers = timers;
    this.outbox = outbox;
    this.policy = policy;
    this.clock = clock;
  }

  /** Opens the review of {@code r}'s text in the caller's transaction (once per rating) and starts its timer. */
  public void open(Connection c, Rating r) throws SQLException {
    OffsetDateTime due = policy.contentReviewDue(r.receivedAt());
    try (PreparedStatement ps = c.prepareStatement("insert into content_reviews (rating_id, case_no, level, comment_text, state, "
        + "due_at, created_at) values (?,?,?,?,?,?,?) on conflict do nothing")) {
      ps.setString(1, r.ratingId());
      ps.setString(2, r.caseNo());
      ps.setString(3, r.level().name());
      ps.setString(4, r.comment());
      ps.setString(5, State.PENDING.name());
      ps.setObject(6, due);
      ps.setObject(7, OffsetDateTime.now(clock));
      if (ps.executeUpdate() == 0) {
        return;
      }
    }
    timers.schedule(c, new TimerStore.Timer(TimerKind.CONTENT_REVIEW, r.ratingId(), r.caseNo(), due, null));
    outbox.add(c, outbox.event("CONTENT_REVIEW_DUE", r.ratingId(), r.caseNo(),
        Map.of("ratingId", r.ratingId(), "level", r.level(), "dueAt", due)));
  }

  /** A person's decision: APPROVED or REJECTED. */
  public Review decide(String ratingId, String decision, String actor, String notes) {
    List<Violation> bad = new ArrayList<>();
    State to = "APPROVED".equalsIgnoreCase(decision) || "通过".equals(decision) ? State.APPROVED
        : "REJECTED".equalsIgnoreCase(decision) || "不通过".equals(decision) ? State.REJECTED : null;
    if (to == null) {
      bad.add(Violation.invalid("decision", "enum", "decision 必须是 APPROVED（通过）或 REJECTED（不通过）",
          "decision must be APPROVED or REJECTED"));
    }
    if (actor == null || actor.isBlank()) {
      bad.add(Violation.invalid("actor", "required", "须填写审核人 actor", "actor (who reviewed) is required"));
    }
    if (!bad.isEmpty()) {
      throw Refused.of(bad);
    }
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        // Lock order: timer, then review, as the poller does when it approves by default.
        timers.cancel(c, TimerKind.CONTENT_REVIEW, ratingId, "decided by " + actor);
        Review current = find(c, ratingId, true);
        if (current == null) {
          throw Refused.notFound("没有评价 " + ratingId + " 的文字审核", "no content review for rating " + ratingId);
        }
        if (current.state() != State.PENDING) {
          throw new Refused(Problem.of(409, "STATE_CONFLICT", "当前状态不允许该操作", "The current state does not allow this",
              List.of(Violation.notAllowed("decision", "alreadyDecided",
                  "该文字评价已审核（" + current.state() + (current.byDefault() ? "，超期视为同意" : "") + "）",
                  "the review was already decided: " + current.state() + (current.byDefault() ? " by default" : "")))));
        }
        close(c, ratingId, to, actor, notes, false);
        c.commit();
        return find(ratingId);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot decide content review " + ratingId, e);
    }
  }

  /** The timer's handler: reviews still pending when their 15 days are over are approved. */
  public List<TimerPoller.Fired> approveWhenDue(Connection c, List<TimerStore.Timer> due) throws SQLException {
    List<TimerPoller.Fired> out = new ArrayList<>();
    for (TimerStore.Timer t : due) {
      Review r = find(c, t.subject(), true);
      if (r == null || r.state() != State.PENDING) {
        out.add(TimerPoller.Fired.cancelled(r == null ? "no review" : "already " + r.state()));
      } else {
        close(c, t.subject(), State.APPROVED, "system", "超过15个自然日未审核，视为同意 (002 第八条)", true);
        out.add(TimerPoller.Fired.fired("approved by default"));
      }
    }
    return out;
  }

  private void close(Connection c, String ratingId, State to, String actor, String notes, boolean byDefault) throws SQLException {
    OffsetDateTime now = OffsetDateTime.now(clock);
    String caseNo;
    try (PreparedStatement ps = c.prepareStatement("update content_reviews set state = ?, decided_at = ?, decided_by = ?, "
        + "by_default = ?, notes = ? where rating_id = ?")) {
      ps.setString(1, to.name());
      ps.setObject(2, now);
      ps.setString(3, actor);
      ps.setBoolean(4, byDefault);
      ps.setString(5, notes);
      ps.setString(6, ratingId);
      ps.executeUpdate();
    }
    caseNo = find(c, ratingId, false).caseNo();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("ratingId", ratingId);
    data.put("byDefault", byDefault);
    data.put("decidedBy", actor);
    outbox.add(c, outbox.event(to == State.APPROVED ? "CONTENT_REVIEW_APPROVED" : "CONTENT_REVIEW_REJECTED", ratingId, caseNo, data));
  }

  public Review find(String ratingId) {
    try (Connection c = db.connection()) {
      return find(c, ratingId, false);
    } catch (SQLException e) {
      throw new StoreException("cannot read content review " + ratingId, e);
    }
  }

  /** Reviews in {@code state} (all when null), the earliest due first. */
  public List<Review> list(State state, int limit, int offset) {
    String sql = "select * from content_reviews" + (state == null ? "" : " where state = ?") + " order by due_at, rating_id limit ? offset ?";
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (state != null) {
        ps.setString(i++, state.name());
      }
      ps.setInt(i++, limit);
      ps.setInt(i, offset);
      List<Review> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot list content reviews", e);
    }
  }

  private Review find(Connection c, String ratingId, boolean lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select * from content_reviews where rating_id = ?" + (lock ? " for update" : ""))) {
      ps.setString(1, ratingId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? read(rs) : null;
      }
    }
  }

  private static Review read(ResultSet rs) throws SQLException {
    return new Review(rs.getString("rating_id"), rs.getString("case_no"), rs.getString("level"), rs.getString("comment_text"),
        State.valueOf(rs.getString("state")), time(rs, "due_at"), time(rs, "created_at"), time(rs, "decided_at"),
        rs.getString("decided_by"), rs.getBoolean("by_default"), rs.getString("notes"));
  }

  static OffsetDateTime time(ResultSet rs, String column) throws SQLException {
    return ChinaTime.of(rs.getObject(column, OffsetDateTime.class));
  }
}
