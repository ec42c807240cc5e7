package org.haochaping.gateway.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.province.ProvinceCodeTables;

/**
 * The rules a rating must meet when it arrives, for one profile. Pure: given a rating, its case
 * (or none), the profile, the code tables and a clock, it answers with every broken rule.
 */
public final class RatingPolicy {

  /** Clocks of phones and terminals drift; a rating up to this far in the future is accepted. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final PolicyProfile profile;
  private final ProvinceCodeTables codes;
  private final Clock clock;
  private final CaseRules caseRules;
  private final Deadlines deadlines;

  public RatingPolicy(PolicyProfile profile, ProvinceCodeTables codes, Clock clock) {
    this(profile, codes, clock, WorkingDayCalendar.fromClasspath());
  }

  public RatingPolicy(PolicyProfile profile, ProvinceCodeTables codes, Clock clock, WorkingDayCalendar calendar) {
    this.profile = profile;
    this.codes = codes;
    this.clock = clock;
    this.caseRules = new CaseRules(codes, clock);
    this.deadlines = new Deadlines(calendar);
  }

  /** How the profile's periods are counted, on the calendar the gateway was started with. */
  public Deadlines deadlines() {
    return deadlines;
  }

  public WorkingDayCalendar calendar() {
    return deadlines.calendar();
  }

  public CaseRules caseRules() {
    return caseRules;
  }

  public PolicyProfile profile() {
    return profile;
  }

  public ProvinceCodeTables codes() {
    return codes;
  }

  public Clock clock() {
    return clock;
  }

  /** Every rule {@code rating} breaks; {@code serviceCase} is null when the gateway does not know the case. */
  public List<Violation> check(Rating rating, ServiceCase serviceCase) {
    List<Violation> out = new ArrayList<>();
    PolicyProfile.RatingRules rules = profile.rating();

    if (rating.channel() == Channel.SYSTEM_DEFAULT) {
      // 000 第二十条 / 002 第八条: the default 非常满意 is the gateway's own decision, never a client's.
      out.add(Violation.invalid("channel", "reservedChannel",
          "SYSTEM_DEFAULT 渠道仅由网关在默认好评时使用，客户端不能提交",
          "SYSTEM_DEFAULT is used only by the gateway for default ratings; clients cannot send it"));
    }
    if (!rules.stages().contains(rating.stage())) {
      // 002 第十条: only 套餐式 profiles rate stages; others rate the case as a whole.
      out.add(Violation.invalid("stage", "stageNotInProfile",
          "本地规则（" + profile.profile() + "）只接受以下评价环节：" + rules.stages(),
          "profile " + profile.profile() + " accepts only the stages " + rules.stages()));
    }
    checkReason(rating, rules, out);
    checkTags(rating, out);
    out.addAll(caseRules.checkPerson(rating.evaluator(), "evaluator"));
    if (rating.comment() != null && rating.comment().codePointCount(0, rating.comment().length()) > rules.commentMaxLength()) {
      out.add(Violation.invalid("comment", "maxLength", "文字评价不能超过 " + rules.commentMaxLength() + " 个字",
          "comment must be at most " + rules.commentMaxLength() + " characters"));
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    if (rating.ratedAt() != null && rating.ratedAt().isAfter(now.plus(CLOCK_SKEW))) {
      out.add(Violation.invalid("ratedAt", "notInFuture", "评价时间不能晚于当前时间",
          "ratedAt must not be in the future"));
    }
    if (rating.target().type().ratesStaff() && blank(rating.target().staffId())) {
      out.add(Violation.invalid("target.staffId", "required", "评价服务人员时必须提供 target.staffId（办件中也没有）",
          "target.staffId is required when staff is rated (and the case has none)"));
    }
    if (rating.assessNumber() == 2 && !rules.followUp().enabled()) {
      // 002 has no 追加评价; 000 第二十一条 allows one within 60 natural days.
      out.add(Violation.notAllowed("assessNumber", "followUpNotAllowed",
          "本地规则（" + profile.profile() + "）不允许追加评价", "profile " + profile.profile() + " has no follow-up rating"));
    }
    if (serviceCase == null) {
      out.add(new Violation(Violation.Kind.CASE_UNKNOWN, "caseNo", "caseUnknown",
          "网关没有办件 " + rating.caseNo() + "：请先推送办件（POST /api/v1/cases），或在评价中携带 case",
          "the gateway does not know case " + rating.caseNo() + ": push it first (POST /api/v1/cases) or send it inline as case"));
      return out;
    }
    checkAgainstCase(rating, serviceCase, rules, out);
    return out;
  }

  /**
   * The rules that depend on ratings accepted before: a follow-up needs a first rating and its window
   * open; a batch visit and a theme rated overall are rated once. Empty for {@link RatingHistory#UNKNOWN}.
   */
  public List<Violation> checkHistory(Rating rating, ServiceCase serviceCase, RatingHistory history) {
    List<Violation> out = new ArrayList<>();
    if (history == RatingHistory.UNKNOWN) {
      return out;
    }
    PolicyProfile.RatingRules rules = profile.rating();
    if (rating.assessNumber() == 2 && rules.followUp().enabled()) {
      // 000 第二十一条: 评价人做出评价时，可在 60 个自然日内进行一次追加评价.
      var first = history.claimed(RatingIdentity.naturalKey(rating, 1));
      if (first.isEmpty()) {
        out.add(Violation.notAllowed("assessNumber", "followUpNeedsFirstRating",
            "追加评价须在首次评价之后：办件 " + rating.caseNo() + " 的该评价对象还没有首次评价",
            "a follow-up needs a first rating: case " + rating.caseNo() + " has no first rating of this target yet"));
      } else {
        OffsetDateTime closes = deadlines.end(first.get().at(), rules.followUp().within());
        if (!OffsetDateTime.now(clock).isBefore(closes)) {
          String last = Deadlines.dayOf(closes).toString();
          out.add(Violation.notAllowed("assessNumber", "followUpWindowClosed",
              "追加评价须在首次评价后 " + span(rules.followUp().within()) + "内提出，已于 " + last + " 截止",
              "a follow-up must come within " + spanEn(rules.followUp().within()) + " of the first rating; the window closed on " + last));
        }
      }
    }
    if (serviceCase == null || rating.assessNumber() != 1 || !rating.target().type().ratesItem()) {
      return out;
    }
    if (rules.batchVisitRatedOnce() && !blank(serviceCase.visitId())) {
      // 000 第十八条: 批量业务 实行"一次评价", the result applies to every case of the batch.
      for (String sibling : history.batchSiblings(serviceCase)) {
        var held = history.claimed(RatingIdentity.itemKey(sibling, 1, rating.stage()));
        if (held.isPresent()) {
          out.add(Violation.notAllowed("caseNo", "batchVisitRatedOnce",
              "办件 " + rating.caseNo() + " 与 " + sibling + " 属同一次批量办理（visitId " + serviceCase.visitId()
                  + "），已由评价 " + held.get().ratingId() + " 评价，结果适用于本批所有办件",
              "case " + rating.caseNo() + " belongs to the batch visit " + serviceCase.visitId() + " with " + sibling
                  + ", already rated by " + held.get().ratingId() + ", which applies to every case of the batch"));
          break;
        }
      }
    }
    if (rules.themeOverallAppliesToAll() && !blank(serviceCase.themeId()) && !serviceCase.themeId().equals(serviceCase.caseNo())
        && rating.stage() == Stage.OVERALL) {
      // 000 第十九条 / 002 第十条: an overall rating of the theme applies to every item of it.
      var held = history.claimed(RatingIdentity.itemKey(serviceCase.themeId(), 1, Stage.OVERALL));
      if (held.isPresent()) {
        out.add(Violation.notAllowed("caseNo", "themeRatedOverall",
            "办件 " + rating.caseNo() + " 属于“一件事”主题 " + serviceCase.themeId() + "，该主题已由评价 " + held.get().ratingId()
                + " 总体评价，结果适用于主题关联的所有事项",
            "case " + rating.caseNo() + " belongs to theme " + serviceCase.themeId() + ", already rated overall by "
                + held.get().ratingId() + ", which applies to every item of the theme"));
      }
    }
    return out;
  }

  static String span(PolicyProfile.Span s) {
    return s.amount() + switch (s.unit()) {
      case HOURS -> " 小时";
      case NATURAL_DAYS -> " 个自然日";
      case WORKING_DAYS -> " 个工作日";
    };
  }

  static String spanEn(PolicyProfile.Span s) {
    return s.amount() + switch (s.unit()) {
      case HOURS -> " hours";
      case NATURAL_DAYS -> " natural days";
      case WORKING_DAYS -> " working days";
    };
  }

  private void checkReason(Rating rating, PolicyProfile.RatingRules rules, List<Violation> out) {
    if (!rating.isBad() || !rules.badRatingNeedsTagOrComment()) {
      return;
    }
    // 000 第七条 / 002 第八条: 不满意 and 非常不满意 need a (bad-rating) tag or a reason in words.
    boolean hasBadTag = rating.tags().stream().anyMatch(codes::isBadTag);
    boolean hasComment = rating.comment() != null && !rating.comment().isBlank();
    if (!hasBadTag && !hasComment) {
      out.add(Violation.invalid("tags", "badRatingNeedsReason",
          "“" + rating.level().label() + "”评价必须选择差评标签或填写不满意原因（comment）",
          "a " + rating.level().labelEn() + " rating needs a bad-rating tag or a reason in comment"));
    }
  }

  private void checkTags(Rating rating, List<Violation> out) {
    for (int i = 0; i < rating.tags().size(); i++) {
      String tag = rating.tags().get(i);
      if (!codes.isTag(tag)) {
        out.add(Violation.invalid("tags[" + i + "]", "unknownTag",
            "评价标签 " + tag + " 不在 " + codes.province() + " 标签表中（mappings/codes/" + codes.province() + "/tags.csv）",
            "tag " + tag + " is not in the " + codes.province() + " tag table"));
      }
    }
  }

  private void checkAgainstCase(Rating rating, ServiceCase c, PolicyProfile.RatingRules rules, List<Violation> out) {
    if (!blank(c.taskCode()) && !blank(rating.target().taskCode()) && !c.taskCode().equals(rating.target().taskCode())) {
      out.add(Violation.invalid("target.taskCode", "matchesCase", "target.taskCode 与办件的事项编码不一致",
          "target.taskCode differs from the case's taskCode"));
    }
    if (c.acceptedAt() != null && rating.ratedAt() != null && rating.ratedAt().isBefore(c.acceptedAt())) {
      out.add(Violation.invalid("ratedAt", "afterAcceptance", "评价时间早于办件受理时间", "ratedAt is before the case was accepted"));
    }
    if (c.isCompleted()) {
      return;
    }
    boolean stageAllowedEarly = rules.stagesBeforeCompletion().contains(rating.stage());
    // 000 第十七条: the item is rated once after completion; staff may be rated after each window visit.
    // 002 第九条: a 承诺件 is rated at acceptance as well as at completion (stagesBeforeCompletion).
    if (rating.target().type().ratesItem() && rules.itemRatingNeedsCompletion() && !stageAllowedEarly) {
      out.add(Violation.notAllowed("caseNo", "caseNotCompleted",
          "办件 " + c.caseNo() + " 尚未办结（" + c.status().label() + "），办结后才能评价服务事项",
          "case " + c.caseNo() + " is not completed yet (" + c.status() + "); the item can be rated after completion"));
    } else if (rating.target().type() == TargetType.STAFF
        && rules.staffRatingNeedsCompletion() && !stageAllowedEarly) {
      out.add(Violation.notAllowed("caseNo", "caseNotCompleted",
          "办件 " + c.caseNo() + " 尚未办结，办结后才能评价服务人员",
          "case " + c.caseNo() + " is not completed yet; staff can be rated after completion"));
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
