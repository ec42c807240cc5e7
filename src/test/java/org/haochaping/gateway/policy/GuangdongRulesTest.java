package org.haochaping.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.haochaping.gateway.policy.RuleFixtures.NOW;
import static org.haochaping.gateway.policy.RuleFixtures.at;
import static org.haochaping.gateway.policy.RuleFixtures.completion;
import static org.haochaping.gateway.policy.RuleFixtures.onlineCase;
import static org.haochaping.gateway.policy.RuleFixtures.rating;
import static org.haochaping.gateway.policy.RuleFixtures.rules;
import static org.haochaping.gateway.policy.RuleFixtures.serviceCase;
import static org.haochaping.gateway.policy.RuleFixtures.windowCase;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.haochaping.gateway.model.AppealReason;
import org.haochaping.gateway.model.CaseMode;
import org.haochaping.gateway.model.CaseStatus;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.ProjectType;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.model.WorkOrderState;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN §6, column guangdong (seed 000, 廉江市实施细则), one row per rule, on a fixed clock: Tue
 * 2026-11-24 10:00 China time. Each row is named as the rule and cites its article.
 */
class GuangdongRulesTest {

  private static final RuleFixtures gd = new RuleFixtures("guangdong");

  static Stream<Arguments> table() {
    return Stream.of(
        row("levelsScoreTenEightSixThreeZero", () -> {
          // 000 第六条
          assertThat(Stream.of(Level.values()).map(Level::score)).containsExactly(10, 8, 6, 3, 0);
        }),
        row("badRatingWithoutTagOrTextIsRejected", () -> {
          // 000 第七条
          ServiceCase c = windowCase("GD-BAD", CaseStatus.COMPLETED);
          assertThat(rules(gd.policy.check(rating("GD-BAD", Level.DISSATISFIED, TargetType.ITEM), c))).containsExactly("badRatingNeedsReason");
          assertThat(gd.policy.check(rating("GD-BAD", 1, Stage.OVERALL, Level.VERY_DISSATISFIED, TargetType.ITEM, null, List.of("517"), null), c)).isEmpty();
          assertThat(gd.policy.check(rating("GD-BAD", 1, Stage.OVERALL, Level.DISSATISFIED, TargetType.ITEM, null, List.of(), "等了两小时"), c)).isEmpty();
          // Seed 000 has no content review: the text is not held back.
          assertThat(gd.lifecycle.needsContentReview(rating("GD-BAD", 1, Stage.OVERALL, Level.DISSATISFIED, TargetType.ITEM, null, List.of(), "等了两小时"))).isFalse();
        }),
        row("reminderIsDue24HoursAfterCompletionUnlessRated", () -> {
          // 000 第二十条: 对已办结服务事项，评价人24小时内未做出评价的 ... 短信提醒
          var starts = gd.lifecycle.onCaseEvent(completion("GD-R", at("2026-11-24T10:00:00")));
          assertThat(starts).filteredOn(t -> t.kind() == TimerKind.REMINDER).singleElement()
              .satisfies(t -> assertThat(t.dueAt()).isEqualTo(at("2026-11-25T10:00:00")));
          assertThat(gd.lifecycle.stoppedBy(rating("GD-R", Level.SATISFIED, TargetType.ITEM_AND_STAFF)))
              .extracting(LifecyclePolicy.TimerStart::subject).contains("GD-R");
          // A rating of the staff alone does not rate the 服务事项; a follow-up never stops anything.
          assertThat(gd.lifecycle.stoppedBy(rating("GD-R", Level.SATISFIED, TargetType.STAFF))).isEmpty();
          // Acceptance starts nothing in Guangdong.
          assertThat(gd.lifecycle.onCaseEvent(RuleFixtures.arrival("GD-R", CaseStatus.ACCEPTED, NOW))).isEmpty();
        }),
        row("unratedCaseIsRatedVerySatisfiedAfter7NaturalDays", () -> {
          // 000 第二十条: 7 个自然日内未做出评价的，该笔业务默认为"非常满意"; the 7 days are Nov 25 .. Dec 1.
          var def = gd.lifecycle.onCaseEvent(completion("GD-D", at("2026-11-24T10:00:00"))).stream()
              .filter(t -> t.kind() == TimerKind.DEFAULT_RATING).toList();
          assertThat(def).singleElement().satisfies(t -> {
            assertThat(t.stage()).isEqualTo(Stage.OVERALL);
            assertThat(t.dueAt()).isEqualTo(at("2026-12-02T00:00:00"));
          });
          ServiceCase c = windowCase("GD-D", CaseStatus.COMPLETED);
          Rating r = gd.lifecycle.defaultRating(c, Stage.OVERALL, at("2026-12-02T00:00:00"), at("2026-12-02T00:00:01"));
          assertThat(r.channel()).isEqualTo(Channel.SYSTEM_DEFAULT);
          assertThat(r.level()).isEqualTo(Level.VERY_SATISFIED);
          assertThat(r.score()).isEqualTo(10);
          assertThat(r.defaulted()).isTrue();
          // The same identity as any rating of the item: a case rated meanwhile keeps its rating.
          assertThat(RatingIdentity.naturalKey(r)).isEqualTo(RatingIdentity.naturalKey(rating("GD-D", Level.BASIC, TargetType.ITEM)));
        }),
        row("followUpIsAllowedOnceWithin60NaturalDaysOfTheFirstRating", () -> {
          // 000 第二十一条
          ServiceCase c = onlineCase("GD-F", CaseStatus.COMPLETED);
          Rating followUp = rating("GD-F", 2, Stage.OVERALL, Level.BASIC, TargetType.ITEM, null, List.of(), null);
          assertThat(gd.policy.check(followUp, c)).isEmpty();
          RuleFixtures.History none = new RuleFixtures.History();
          assertThat(rules(gd.policy.checkHistory(followUp, c, none))).containsExactly("followUpNeedsFirstRating");
          // First rated Sep 25: the 60 days are Sep 26 .. Nov 24, so today is the last day.
          Rating first = rating("GD-F", Level.SATISFIED, TargetType.ITEM);
          assertThat(gd.policy.checkHistory(followUp, c, new RuleFixtures.History().claim(first, at("2026-09-25T09:00:00")))).isEmpty();
          // First rated Sep 24: the window closed at the end of Nov 23.
          List<Violation> late = gd.policy.checkHistory(followUp, c, new RuleFixtures.History().claim(first, at("2026-09-24T23:00:00")));
          assertThat(rules(late)).containsExactly("followUpWindowClosed");
          assertThat(late.get(0).message()).contains("60 个自然日").contains("2026-11-23");
          // Once: a second follow-up has the key of the first (replay or 409).
          assertThat(RatingIdentity.naturalKey(followUp))
              .isEqualTo(RatingIdentity.naturalKey(rating("GD-F", 2, Stage.OVERALL, Level.DISSATISFIED, TargetType.ITEM, null, List.of(), "x")));
        }),
        row("onlineItemIsRatedOnceAfterCompletion", () -> {
          // 000 第十七条: 全程网上办理的事项办结后，评价人对服务事项进行 1 次评价
          assertThat(rules(gd.policy.check(rating("GD-O", Level.SATISFIED, TargetType.ITEM), onlineCase("GD-O", CaseStatus.IN_PROGRESS))))
              .containsExactly("caseNotCompleted");
          assertThat(RatingIdentity.naturalKey(rating("GD-O", Level.SATISFIED, TargetType.ITEM)))
              .isEqualTo(RatingIdentity.naturalKey(rating("GD-O", Level.BASIC, TargetType.ITEM)));
        }),
        row("windowStaffIsRatedEachVisitAndTheItemOnce", () -> {
          // 000 第十七条: 每次到窗口办理后均可对服务人员进行 1 次评价，事项办结后可对服务事项进行 1 次评价
          ServiceCase open = windowCase("GD-W", CaseStatus.IN_PROGRESS);
          Rating visit1 = rating("GD-W", 1, Stage.OVERALL, Level.SATISFIED, TargetType.STAFF, "V1", List.of(), null);
          Rating visit2 = rating("GD-W", 1, Stage.OVERALL, Level.SATISFIED, TargetType.STAFF, "V2", List.of(), null);
          assertThat(gd.policy.check(visit1, open)).isEmpty();
          assertThat(RatingIdentity.naturalKey(visit1)).isNotEqualTo(RatingIdentity.naturalKey(visit2));
          assertThat(RatingIdentity.naturalKey(rating("GD-W", Level.SATISFIED, TargetType.ITEM)))
              .isEqualTo(RatingIdentity.naturalKey(rating("GD-W", Level.BASIC, TargetType.ITEM_AND_STAFF)));
        }),
        row("batchVisitIsRatedOnceForAllItsCases", () -> {
          // 000 第十八条: 同一事项 2 笔及以上 ... 实行"一次评价"。评价的结果适用于本次批量办理的所有业务
          ServiceCase a = serviceCase("GD-B1", "T-100", CaseMode.WINDOW, ProjectType.IMMEDIATE, CaseStatus.COMPLETED, "V9", null);
          ServiceCase b = serviceCase("GD-B2", "T-100", CaseMode.WINDOW, ProjectType.IMMEDIATE, CaseStatus.COMPLETED, "V9", null);
          ServiceCase other = serviceCase("GD-B3", "T-200", CaseMode.WINDOW, ProjectType.IMMEDIATE, CaseStatus.COMPLETED, "V9", null);
          Rating ra = rating("GD-B1", Level.SATISFIED, TargetType.ITEM_AND_STAFF);
          assertThat(gd.scope.scopeOf(ra, a)).isEqualTo(RatingScope.Scope.BATCH_VISIT);
          assertThat(gd.scope.appliesTo(RatingScope.Scope.BATCH_VISIT, a, List.of(a, b, other))).containsExactly(b);
          Rating applied = gd.scope.applied(ra, b, RatingScope.Scope.BATCH_VISIT);
          assertThat(applied.caseNo()).isEqualTo("GD-B2");
          assertThat(applied.level()).isEqualTo(Level.SATISFIED);
          assertThat(applied.sourceRef()).isEqualTo("applied:" + ra.ratingId());
          RuleFixtures.History h = new RuleFixtures.History().add(a, b, other).claim(ra, NOW);
          assertThat(rules(gd.policy.checkHistory(rating("GD-B2", Level.DISSATISFIED, TargetType.ITEM), b, h))).containsExactly("batchVisitRatedOnce");
          // A different item in the same visit is rated on its own.
          assertThat(gd.policy.checkHistory(rating("GD-B3", Level.SATISFIED, TargetType.ITEM), other, h)).isEmpty();
        }),
        row("themeIsRatedOverallForEveryItemOrEachItemSeparately", () -> {
          // 000 第十九条: 总体评价 ... 结果适用于主题业务关联的所有事项；分别评价时 ... 分别进行评价
          ServiceCase theme = serviceCase("TH-1", "T-000", CaseMode.WINDOW, ProjectType.IMMEDIATE, CaseStatus.COMPLETED, null, "TH-1");
          ServiceCase item1 = serviceCase("TH-1-A", "T-300", CaseMode.WINDOW, ProjectType.IMMEDIATE, CaseStatus.COMPLETED, null, "TH-1");
          ServiceCase item2 = serviceCase("TH-1-B", "T-400", CaseMode.ONLINE, ProjectType.IMMEDIATE, CaseStatus.COMPLETED, null, "TH-1");
          Rating overall = rating("TH-1", Level.VERY_SATISFIED, TargetType.ITEM);
          assertThat(gd.scope.scopeOf(overall, theme)).isEqualTo(RatingScope.Scope.THEME);
          assertThat(gd.scope.appliesTo(RatingScope.Scope.THEME, theme, List.of(theme, item1, item2))).containsExactly(item1, item2);
          assertThat(gd.scope.applied(overall, item2, RatingScope.Scope.THEME).target().deptCode()).isEqualTo("D-T-400");
          // Separately: an item's own rating applies to itself only.
          assertThat(gd.scope.scopeOf(rating("TH-1-A", Level.SATISFIED, TargetType.ITEM), item1)).isNull();
          RuleFixtures.History h = new RuleFixtures.History().add(theme, item1, item2);
          assertThat(gd.policy.checkHistory(rating("TH-1-A", Level.SATISFIED, TargetType.ITEM), item1, h)).isEmpty();
          h.claim(overall, NOW);
          assertThat(rules(gd.policy.checkHistory(rating("TH-1-B", Level.SATISFIED, TargetType.ITEM), item2, h))).containsExactly("themeRatedOverall");
        }),
        row("workOrderIsRectifiedWithin10WorkingDaysAndReportedWithin5", () -> {
          // 000 第二十三条: verified Tue Nov 24 -> 10 working days Nov 25 .. Dec 8; rectified Dec 8 -> report by Dec 15.
          assertThat(Deadlines.dayOf(gd.workOrders.rectifyDue(NOW))).isEqualTo(LocalDate.parse("2026-12-08"));
          assertThat(Deadlines.dayOf(gd.workOrders.reportDue(at("2026-12-08T16:00:00")))).isEqualTo(LocalDate.parse("2026-12-15"));
          assertThat(gd.workOrders.next(WorkOrderState.PENDING_VERIFICATION))
              .containsExactly(WorkOrderState.VERIFIED, WorkOrderState.UNFOUNDED, WorkOrderState.MALICIOUS);
          assertThat(gd.workOrders.checkTransition(WorkOrderState.RECTIFYING, WorkOrderState.RECTIFIED)).isNull();
          Violation skip = gd.workOrders.checkTransition(WorkOrderState.PENDING_VERIFICATION, WorkOrderState.RECTIFIED);
          assertThat(skip.message()).contains("待核实").contains("已整改");
          assertThat(skip.messageEn()).contains("PENDING_VERIFICATION").contains("RECTIFIED");
          assertThat(rules(gd.workOrders.checkFields(WorkOrderState.RECTIFIED, " ", null))).containsExactly("requiredWhenRectified");
          assertThat(gd.workOrders.overdueWhenDue(TimerKind.WORK_ORDER_RECTIFY, WorkOrderState.RECTIFYING)).isTrue();
          assertThat(gd.workOrders.overdueWhenDue(TimerKind.WORK_ORDER_RECTIFY, WorkOrderState.RECTIFIED)).isFalse();
          assertThat(gd.workOrders.overdueWhenDue(TimerKind.WORK_ORDER_REPORT, WorkOrderState.REVISITED)).isTrue();
          assertThat(gd.workOrders.explanationAllowed()).isFalse();
        }),
        row("staffAppealWithin5WorkingDaysIsVerifiedWithin5", () -> {
          // 000 第二十五条: received Fri Nov 20 -> appeal by Fri Nov 27; received Mon Nov 16 -> closed after Mon Nov 23.
          assertThat(gd.appeals.checkFiling("MALICIOUS", at("2026-11-20T09:00:00"), false, false, NOW)).isEmpty();
          assertThat(gd.appeals.checkFiling("误评", at("2026-11-20T09:00:00"), false, false, NOW)).isEmpty();
          assertThat(rules(gd.appeals.checkFiling("MALICIOUS", at("2026-11-16T09:00:00"), false, false, NOW))).containsExactly("appealWindowClosed");
          assertThat(rules(gd.appeals.checkFiling("SYSTEM_CAUSED", at("2026-11-20T09:00:00"), false, false, NOW))).containsExactly("reasonNotInProfile");
          assertThat(rules(gd.appeals.checkFiling("MALICIOUS", at("2026-11-20T09:00:00"), true, false, NOW))).containsExactly("appealOnce");
          assertThat(Deadlines.dayOf(gd.appeals.verifyDeadline(NOW))).isEqualTo(LocalDate.parse("2026-12-01"));
          assertThat(gd.appeals.reasons()).containsExactly(AppealReason.MISJUDGED, AppealReason.MALICIOUS);
          assertThat(gd.workOrders.maliciousCorrectsRating()).isTrue();
        }),
        row("agencyScoreIsTheMeanOfAllItsRatingsWithoutCorrectedOnes", () -> {
          // 000 第六条 (mean of every rating) with 第二十五条 (误评/恶意评价 corrected)
          var r = AgencyScore.of(gd.profile, List.of(new AgencyScore.Scored(10, TargetType.ITEM, false),
              new AgencyScore.Scored(6, TargetType.ITEM_AND_STAFF, false), new AgencyScore.Scored(0, TargetType.ITEM, true)));
          assertThat(r.mean()).isEqualTo(8.0);
          assertThat(r.counted()).isEqualTo(2);
          assertThat(r.corrected()).isEqualTo(1);
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void rule(String rule, Executable check) throws Throwable {
    check.execute();
  }

  private static Arguments row(String rule, Executable check) {
    return Arguments.of(rule, check);
  }
}
