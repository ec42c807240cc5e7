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
import org.haochaping.gateway.channel.RatingIntake;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.policy.LifecyclePolicy;
import org.haochaping.gateway.policy.RatingHistory;
import org.haochaping.gateway.policy.RatingIdentity;
import org.haochaping.gateway.store.CaseStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the reminder and the default-rating timers do when they fall due. Both look again at whether
 * the case was rated meanwhile (the ratings consumer normally cancels them first; this closes the gap
 * when it has not caught up yet).
 */
public final class LifecycleTimers {

  private static final Logger LOG = LoggerFactory.getLogger(LifecycleTimers.class);

  private final LifecyclePolicy policy;
  private final CaseStore cases;
  private final RatingHistory history;
  private final RatingIntake intake;
  private final LifecycleOutbox outbox;
  private final Clock clock;

  public LifecycleTimers(LifecyclePolicy policy, CaseStore cases, RatingHistory history, RatingIntake intake, LifecycleOutbox outbox,
      Clock clock) {
    this.policy = policy;
    this.cases = cases;
    this.history = history;
    this.intake = intake;
    this.outbox = outbox;
    this.clock = clock;
  }

  /** 000 第二十条: unrated 24 hours after completion -> REMINDER_DUE, which the SMS module turns into a text. */
  public List<TimerPoller.Fired> reminders(Connection c, List<TimerStore.Timer> due) throws SQLException {
    List<TimerPoller.Fired> out = new ArrayList<>();
    for (TimerStore.Timer t : due) {
      String rated = ratedBy(c, t.caseNo(), Stage.OVERALL);
      if (rated != null) {
        out.add(TimerPoller.Fired.cancelled("rated by " + rated));
        continue;
      }
      ServiceCase sc = cases.find(t.caseNo()).orElse(null);
      if (sc == null) {
        out.add(TimerPoller.Fired.cancelled("case unknown"));
        continue;
      }
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("completedAt", sc.completedAt());
      data.put("dueAt", t.dueAt());
      // The timer carries the moment the completion was learned: the rating window runs from it too.
      OffsetDateTime completed = t.payload() != null ? OffsetDateTime.parse(t.payload()) : sc.completedAt();
      data.put("ratingWindowEndsAt", policy.ratingWindowEnd(completed));
      data.put("reminderNo", 1);
      data.put("mode", sc.mode());
      data.put("itemName", sc.itemName());
      data.put("deptCode", sc.deptCode());
      data.put("hallCode", sc.hallCode());
      data.put("windowNo", sc.windowNo());
      outbox.add(c, outbox.event("REMINDER_DUE", t.caseNo(), t.caseNo(), data));
      out.add(TimerPoller.Fired.fired("REMINDER_DUE"));
    }
    return out;
  }

  /**
   * 000 第二十条 / 002 第八条: unrated 7 natural days after completion (Guangxi: or acceptance) -> a
   * 非常满意 rating of channel SYSTEM_DEFAULT, published to {@code ratings} like any other, and DEFAULT_RATED.
   */
  public List<TimerPoller.Fired> defaults(Connection c, List<TimerStore.Timer> due) throws SQLException {
    TimerPoller.Fired[] out = new TimerPoller.Fired[due.size()];
    List<RatingIntake.Prepared> prepared = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    OffsetDateTime now = OffsetDateTime.now(clock);
    for (int i = 0; i < due.size(); i++) {
      TimerStore.Timer t = due.get(i);
      Stage stage = Stage.valueOf(t.subject().substring(t.subject().lastIndexOf('|') + 1));
      ServiceCase sc = cases.find(t.caseNo()).orElse(null);
      if (sc == null) {
        out[i] = TimerPoller.Fired.cancelled("case unknown");
        continue;
      }
      if (!policy.defaultApplies(stage, sc)) {
        out[i] = TimerPoller.Fired.cancelled("no " + stage + " rating for a " + sc.projectType() + " case");
        continue;
      }
      String rated = ratedBy(c, t.caseNo(), stage);
      if (rated != null) {
        out[i] = TimerPoller.Fired.cancelled("rated by " + rated);
        continue;
      }
      Rating rating = policy.defaultRating(sc, stage, t.dueAt(), now);
      RatingIntake.Step step = intake.prepareOwn(rating);
      if (step instanceof RatingIntake.Prepared p) {
        prepared.add(p);
        positions.add(i);
      } else {
        RatingIntake.Outcome o = (RatingIntake.Outcome) step;
        out[i] = o.status() == RatingIntake.Outcome.Status.CONFLICT
            ? TimerPoller.Fired.cancelled("rated by " + o.ratingId())
            : TimerPoller.Fired.retry(o.status() + " " + o.detail());
      }
    }
    List<RatingIntake.Outcome> sent = intake.sendAll(prepared);
    for (int k = 0; k < sent.size(); k++) {
      int i = positions.get(k);
      TimerStore.Timer t = due.get(i);
      RatingIntake.Outcome o = sent.get(k);
      if (o.accepted()) {
        Rating r = prepared.get(k).rating();
        outbox.add(c, outbox.event("DEFAULT_RATED", t.subject(), t.caseNo(), Map.of("ratingId", o.ratingId(), "stage", r.stage(),
            "level", r.level(), "score", r.score(), "ratedAt", r.ratedAt())));
        out[i] = TimerPoller.Fired.fired("default rating " + o.ratingId());
      } else {
        out[i] = TimerPoller.Fired.retry(o.status() + " " + o.detail());
      }
    }
    if (!prepared.isEmpty()) {
      LOG.info("Default ratings (非常满意, SYSTEM_DEFAULT) given to {} unrated case(s)", prepared.size());
    }
    return List.of(out);
  }

  /**
   * Who rated the case at this stage, if anyone: the item key (claimed before every 202), or when staff
   * ratings count (002) any first rating of the stage in the ledger.
   */
  private String ratedBy(Connection c, String caseNo, Stage stage) throws SQLException {
    var held = history.claimed(RatingIdentity.itemKey(caseNo, 1, stage));
    if (held.isPresent()) {
      return held.get().ratingId();
    }
    if (policy.profile().defaultRating().stoppedByStaffRating()) {
      try (PreparedStatement ps = c.prepareStatement(
          "select rating_id from ratings where case_no = ? and stage = ? and assess_number = 1 order by rating_id limit 1")) {
        ps.setString(1, caseNo);
        ps.setString(2, stage.name());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    }
    return null;
  }
}
