package org.haochaping.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.haochaping.gateway.policy.RuleFixtures.NOW;
import static org.haochaping.gateway.policy.RuleFixtures.arrival;
import static org.haochaping.gateway.policy.RuleFixtures.at;
import static org.haochaping.gateway.policy.RuleFixtures.completion;
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
 * DESIGN §6, column guangxi (seed 002, 广西壮族自治区政务服务"好差评"制度（试行）), one row per rule, on a
 * fixed clock: Tue 2026-11-24 10:00 China time. Each row is named as the rule and cites its article.
 */
class GuangxiRulesTest {

  private static final RuleFixtures gx = new RuleFixtures("guangxi");

  static Stream<Arguments> table() {
    return Stream.of(
        row("levelsScoreTenEightSixThreeZero", () -> {
          // 002 第八条
          assertThat(Stream.of(Level.values()).map(Level::score)).containsExactly(10, 8, 6, 3, 0);
        }),
        row("badRatingNeedsTagOrTextAndItsTextIsReviewedWithin15NaturalDays", () -> {
          // 002 第八条: 审核时间不能超过 15 个自然日，如超过时限未审核此条评价，视为同意该条评价
          ServiceCase c = windowCase("GX-BAD", CaseStatus.COMPLETED);
          assertThat(rules(gx.policy.check(rating("GX-BAD", Level.DISSATISFIED, TargetType.ITEM_AND_STAFF), c))).containsExactly("badRatingNeedsReason");
          Rating withText = rating("GX-BAD", 1, Stage.OVERALL, Level.VERY_DISSATISFIED, TargetType.ITEM_AND_STAFF, null, List.of(), "推诿扯皮");
          Rating tagOnly = rating("GX-BAD", 1, Stage.OVERALL, Level.DISSATISFIED, TargetType.ITEM_AND_STAFF, null, List.of("B02"), null);
          Rating goodWithText = rating("GX-BAD", 1, Stage.OVERALL, Level.SATISFIED, TargetType.ITEM_AND_STAFF, null, List.of(), "很好");
          assertThat(gx.policy.check(withText, c)).isEmpty();
          assertThat(gx.lifecycle.needsContentReview(withText)).isTrue();
          assertThat(gx.lifecycle.needsContentReview(tagOnly)).isFalse();
          assertThat(gx.lifecycle.needsContentReview(goodWithText)).isFalse();
          // Received Nov 24 10:00: the 15 days are Nov 25 .. Dec 9; unreviewed, it is approved at Dec 10 00:00.
          assertThat(gx.lifecycle.contentReviewDue(NOW)).isEqualTo(at("2026-12-10T00:00:00"));
        }),
        row("thereIsNoReminder", () -> {
          // Seed 002 sets no SMS reminder.
          assertThat(gx.lifecycle.onCaseEvent(completion("GX-R", NOW))).noneMatch(t -> t.kind() == TimerKind.REMINDER);
        }),
        row("unratedIsVerySatisfied7NaturalDaysAfterAcceptanceOrCompletion", () -> {
          // 002 第八条: 办事人员在受理或服务办结后 7 个自然日内未作出评价的，默认为"非常满意"
          var onArrival = gx.lifecycle.onCaseEvent(arrival("GX-D", CaseStatus.ACCEPTED, NOW));
          assertThat(onArrival).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TimerKind.DEFAULT_RATING);
            assertThat(t.stage()).isEqualTo(Stage.ACCEPT);
            assertThat(t.dueAt()).isEqualTo(at("2026-12-02T00:00:00"));
          });
          var onCompletion = gx.lifecycle.onCaseEvent(completion("GX-D", at("2026-11-26T15:00:00")));
          assertThat(onCompletion).singleElement().satisfies(t -> {
            assertThat(t.stage()).isEqualTo(Stage.OVERALL);
            assertThat(t.dueAt()).isEqualTo(at("2026-12-04T00:00:00"));
          });
          // 002 rates the window staff: a staff rating rates the case too.
          assertThat(gx.lifecycle.stoppedBy(rating("GX-D", Level.SATISFIED, TargetType.STAFF))).isNotEmpty();
        }),
        row("thereIsNoFollowUpRating", () -> {
          // Seed 002 has no 追加评价.
          Rating followUp = rating("GX-F", 2, Stage.OVERALL, Level.BASIC, TargetType.ITEM_AND_STAFF, null, List.of(), null);
          assertThat(rules(gx.policy.check(followUp, windowCase("GX-F", CaseStatus.COMPLETED)))).containsExactly("followUpNotAllowed");
        }),
        row("immediateCaseIsRatedOncePromisedCaseAtLeastTwiceAtAcceptanceAndCompletion", () -> {
          // 002 第九条: 即办件当场办结，只产生 1 次评价。承诺件应产生不少于 2 次评价
          ServiceCase immediate = serviceCase("GX-I", "T-100", CaseMode.WINDOW, ProjectType.IMMEDIATE, CaseStatus.COMPLETED, null, null);
          ServiceCase promised = serviceCase("GX-P", "T-100", CaseMode.WINDOW, ProjectType.PROMISED, CaseStatus.ACCEPTED, null, null);
          assertThat(gx.lifecycle.defaultApplies(Stage.ACCEPT, immediate)).isFalse();
          assertThat(gx.lifecycle.defaultApplies(Stage.OVERALL, immediate)).isTrue();
          assertThat(gx.lifecycle.defaultApplies(Stage.ACCEPT, promised)).isTrue();
          Rating atAcceptance = rating("GX-P", 1, Stage.ACCEPT, Level.SATISFIED, TargetType.ITEM_AND_STAFF, null, List.of(), null);
          assertThat(gx.policy.check(atAcceptance, promised)).isEmpty();
          assertThat(rules(gx.policy.check(rating("GX-P", Level.SATISFIED, TargetType.ITEM_AND_STAFF), promised))).containsExactly("caseNotCompleted");
          assertThat(RatingIdentity.naturalKey(atAcceptance)).isNotEqualTo(RatingIdentity.naturalKey(rating("GX-P", Level.SATISFIED, TargetType.ITEM)));
        }),
        row("packageIsRatedByStageAndOnceOverallForEveryDepartment", () -> {
          // 002 第十条: 受理、审批、出件三个环节分别评价单项分数；同时 ... 评价一个综合分数，列入套餐涉及各地区各部门的得分
          ServiceCase pkg = serviceCase("PK-1", "T-000", CaseMode.WINDOW, ProjectType.PROMISED, CaseStatus.COMPLETED, null, "PK-1");
          ServiceCase part = serviceCase("PK-1-A", "T-500", CaseMode.WINDOW, ProjectType.PROMISED, CaseStatus.COMPLETED, null, "PK-1");
          for (Stage s : List.of(Stage.ACCEPT, Stage.APPROVE, Stage.DELIVER, Stage.OVERALL)) {
            assertThat(gx.policy.check(rating("PK-1", 1, s, Level.SATISFIED, TargetType.ITEM_AND_STAFF, null, List.of(), null), pkg)).isEmpty();
          }
          assertThat(gx.scope.scopeOf(rating("PK-1", Level.SATISFIED, TargetType.ITEM), pkg)).isEqualTo(RatingScope.Scope.THEME);
          assertThat(gx.scope.appliesTo(RatingScope.Scope.THEME, pkg, List.of(pkg, part))).containsExactly(part);
          assertThat(gx.scope.scopeOf(rating("PK-1", 1, Stage.APPROVE, Level.SATISFIED, TargetType.ITEM, null, List.of(), null), pkg)).isNull();
          // No batch-visit rule in seed 002.
          ServiceCase visit = serviceCase("GX-V", "T-100", CaseMode.WINDOW, ProjectType.IMMEDIATE, CaseStatus.COMPLETED, "V1", null);
          assertThat(gx.scope.scopeOf(rating("GX-V", Level.SATISFIED, TargetType.ITEM), visit)).isNull();
        }),
        row("verifiedBadRatingIsRectifiedWithin15NaturalDaysOrExplained", () -> {
          // 002 第十四条: 查实 Nov 24 -> rectify by Dec 9; 若在期限内无法整改，应说明理由和整改期限
          assertThat(Deadlines.dayOf(gx.workOrders.rectifyDue(NOW))).isEqualTo(LocalDate.parse("2026-12-09"));
          assertThat(gx.workOrders.reportDue(NOW)).isNull();
          assertThat(gx.workOrders.explanationAllowed()).isTrue();
          var due = gx.workOrders.rectifyDue(at("2026-11-20T10:00:00"));
          assertThat(gx.workOrders.checkExplanation(WorkOrderState.RECTIFYING, NOW, due, LocalDate.parse("2026-12-31"), "需要系统改造")).isEmpty();
          assertThat(rules(gx.workOrders.checkExplanation(WorkOrderState.RECTIFYING, NOW, due, LocalDate.parse("2026-12-01"), "x")))
              .containsExactly("laterThanDeadline");
          assertThat(rules(gx.workOrders.checkExplanation(WorkOrderState.RECTIFYING, at("2026-12-06T00:00:00"), due,
              LocalDate.parse("2026-12-31"), "x"))).containsExactly("explanationTooLate");
          assertThat(rules(gx.workOrders.checkExplanation(WorkOrderState.PENDING_VERIFICATION, NOW, null, LocalDate.parse("2026-12-31"), "x")))
              .containsExactly("explanationNotNow");
        }),
        row("systemCausedBadRatingIsRevokedOnceConfirmed", () -> {
          // 002 第十三条: 因政务服务信息系统原因或其他非窗口工作质量的客观原因引起"不满意"评价的 ... 撤销
          assertThat(gx.appeals.reasons()).containsExactly(AppealReason.SYSTEM_CAUSED);
          assertThat(gx.appeals.fileDeadline(NOW)).isNull();
          assertThat(gx.appeals.verifyDeadline(NOW)).isNull();
          assertThat(gx.appeals.checkFiling("SYSTEM_CAUSED", at("2026-01-05T09:00:00"), false, false, NOW)).isEmpty();
          assertThat(rules(gx.appeals.checkFiling("MALICIOUS", NOW, false, false, NOW))).containsExactly("reasonNotInProfile");
          assertThat(gx.workOrders.maliciousCorrectsRating()).isFalse();
        }),
        row("agencyScoreIsTheMeanOfItsStaffsDirectRatingsWithoutRevokedOnes", () -> {
          // 002 第四条: 机构派驻窗口所有工作人员所获直接评价的平均分
          var r = AgencyScore.of(gx.profile, List.of(new AgencyScore.Scored(10, TargetType.ITEM_AND_STAFF, false),
              new AgencyScore.Scored(8, TargetType.STAFF, false), new AgencyScore.Scored(0, TargetType.ITEM, false),
              new AgencyScore.Scored(3, TargetType.STAFF, true)));
          assertThat(r.mean()).isEqualTo(9.0);
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
