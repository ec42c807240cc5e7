package org.haochaping.gateway.policy;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.model.CaseEvent;
import org.haochaping.gateway.model.CaseStatus;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.ProjectType;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.model.Target;

/**
 * What happens to a case after it is accepted or completed, for one profile: which timers start
 * (reminder, default rating), which rating stops them, what the default rating is, and which bad
 * ratings have their text reviewed. Pure: no clock is read here, times are given.
 */
public final class LifecyclePolicy {

  /** A timer to start: its kind, the case (and stage), when it falls due. */
  public record TimerStart(TimerKind kind, String caseNo, Stage stage, OffsetDateTime dueAt) {
    /** The timer's key among its kind: one reminder per case, one default per case and stage. */
    public String subject() {
      return subjectOf(kind, caseNo, stage);
    }
  }

  private final PolicyProfile profile;
  private final Deadlines deadlines;

  public LifecyclePolicy(PolicyProfile profile, Deadlines deadlines) {
    this.profile = profile;
    this.deadlines = deadlines;
  }

  public PolicyProfile profile() {
    return profile;
  }

  public static String subjectOf(TimerKind kind, String caseNo, Stage stage) {
    return kind == TimerKind.DEFAULT_RATING ? caseNo + "|" + stage : caseNo;
  }

  /** The timers a case event starts. The time is the event's: when the gateway learned of the change. */
  public List<TimerStart> onCaseEvent(CaseEvent e) {
    List<TimerStart> out = new ArrayList<>();
    PolicyProfile.Reminder reminder = profile.reminder();
    PolicyProfile.DefaultRating def = profile.defaultRating();
    if (e.isCompletion()) {
      if (reminder != null && reminder.enabled() && reminder.maxPerCase() > 0) {
        // 000 第二十条: 对已办结服务事项，评价人24小时内未做出评价的 ... 发送短信提醒.
        out.add(new TimerStart(TimerKind.REMINDER, e.caseNo(), Stage.OVERALL, deadlines.end(e.at(), reminder.after())));
      }
      if (def != null && def.enabled()) {
        // 000 第二十条: 7 个自然日内未做出评价的，默认为"非常满意"; 002 第八条: 受理或服务办结后 7 个自然日.
        out.add(new TimerStart(TimerKind.DEFAULT_RATING, e.caseNo(), Stage.OVERALL, deadlines.end(e.at(), def.after())));
      }
    }
    if (def != null && def.enabled() && def.from() == PolicyProfile.DefaultFrom.ACCEPTANCE_OR_COMPLETION && e.from() == null
        && profile.rating().stages().contains(Stage.ACCEPT)) {
      // 002 第八条 (受理 ... 后 7 个自然日) with 第九条 (承诺件 rated at acceptance and completion): the acceptance
      // rating defaults 7 days after the case arrives. Whether the case is a 承诺件 is decided when it falls due.
      out.add(new TimerStart(TimerKind.DEFAULT_RATING, e.caseNo(), Stage.ACCEPT, deadlines.end(e.at(), def.after())));
    }
    return out;
  }

  /** Whether {@code r} rates the case so that its reminder and the default of its stage stop. */
  public boolean ratesTheCase(Rating r) {
    if (r.assessNumber() != 1) {
      return false;
    }
    // 000 第二十条 defaults the item; 002 rates the window staff (第四条, 第八条): stoppedByStaffRating.
    return r.target().type().ratesItem() || profile.defaultRating().stoppedByStaffRating();
  }

  /** The timers {@code r} stops: the case's reminder and the default of the rating's stage. */
  public List<TimerStart> stoppedBy(Rating r) {
    if (!ratesTheCase(r)) {
      return List.of();
    }
    List<TimerStart> out = new ArrayList<>();
    out.add(new TimerStart(TimerKind.REMINDER, r.caseNo(), Stage.OVERALL, null));
    out.add(new TimerStart(TimerKind.DEFAULT_RATING, r.caseNo(), r.stage(), null));
    return out;
  }

  /** Whether the default of {@code stage} applies to the case when it falls due. */
  public boolean defaultApplies(Stage stage, ServiceCase c) {
    if (stage == Stage.ACCEPT) {
      // 002 第九条: 即办件 当场办结，只产生 1 次评价; 承诺件 不少于 2 次 (acceptance and completion).
      return c.projectType() == ProjectType.PROMISED;
    }
    return c.status() == CaseStatus.COMPLETED;
  }

  /**
   * The default rating of an unrated case (000 第二十条, 002 第八条): 非常满意, channel SYSTEM_DEFAULT,
   * rated at the moment the period ended, the applicant as evaluator. The id is assigned on submission.
   */
  public Rating defaultRating(ServiceCase c, Stage stage, OffsetDateTime dueAt, OffsetDateTime now) {
    var level = profile.defaultRating().level();
    Target target = new Target(null, null, null, null, null, null, null, null, null).completedFrom(c);
    return new Rating(null, null, c.caseNo(), 1, stage, Channel.SYSTEM_DEFAULT, level, level.score(), List.of(), null,
        target, c.applicant(), null, dueAt, now, true);
  }

  /** When the rating window of a completed case closes: the end of the default period. */
  public OffsetDateTime ratingWindowEnd(OffsetDateTime completedAt) {
    return deadlines.end(completedAt, profile.defaultRating().after());
  }

  /**
   * Whether the text of {@code r} is reviewed (002 第八条: a 不满意/非常不满意 rating whose evaluator wrote
   * content has the text reviewed within 15 natural days).
   */
  public boolean needsContentReview(Rating r) {
    PolicyProfile.ContentReview review = profile.contentReview();
    return review != null && review.enabled() && r.isBad() && r.comment() != null && !r.comment().isBlank();
  }

  /** 002 第八条: 审核时间不能超过 15 个自然日，如超过时限未审核此条评价，视为同意该条评价. */
  public OffsetDateTime contentReviewDue(OffsetDateTime receivedAt) {
    return deadlines.end(receivedAt, profile.contentReview().within());
  }
}
