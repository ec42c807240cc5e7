package org.haochaping.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.haochaping.gateway.model.CaseMode;
import org.haochaping.gateway.model.CaseStatus;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.ProjectType;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.model.Target;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.province.ProvinceCodeTables;
import org.junit.jupiter.api.Test;

/** The intake rules of both profiles, one test per rule, with a fixed clock. */
class RatingPolicyTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T02:00:00Z"), ChinaTime.ZONE);
  private static final OffsetDateTime NOW = OffsetDateTime.now(CLOCK);

  private final RatingPolicy guangdong = policy("guangdong");
  private final RatingPolicy guangxi = policy("guangxi");

  private static RatingPolicy policy(String name) {
    PolicyProfile p = PolicyProfile.load(name);
    return new RatingPolicy(p, ProvinceCodeTables.load(p.codes()), CLOCK);
  }

  private static ServiceCase serviceCase(CaseStatus status) {
    return new ServiceCase("C1", "T1", "事项", "D1", "部门", "440881000000", "H1", "12", "S1", "李四", null, CaseMode.WINDOW,
        ProjectType.PROMISED, null, status, NOW.minusDays(3), status == CaseStatus.COMPLETED ? NOW.minusDays(1) : null, 5,
        null, null);
  }

  private static Rating rating(Level level, List<String> tags, String comment, TargetType type, Stage stage) {
    return new Rating("r1", null, "C1", 1, stage, Channel.PORTAL, level, level.score(), tags, comment,
        new Target(type, "T1", null, "D1", "S1", null, null, null, null), null, null, NOW.minusHours(1), NOW, false);
  }

  private static Rating rating(Level level) {
    return rating(level, List.of(), null, TargetType.ITEM, Stage.OVERALL);
  }

  private static List<String> rules(List<Violation> violations) {
    return violations.stream().map(Violation::rule).toList();
  }

  @Test
  void levelsScoreTenEightSixThreeZero() {
    // 000 第六条, 002 第八条
    assertThat(List.of(Level.values())).extracting(Level::score).containsExactly(10, 8, 6, 3, 0);
    assertThat(Level.fromFiveStars(5)).isEqualTo(Level.VERY_SATISFIED);
    assertThat(Level.fromFiveStars(1)).isEqualTo(Level.VERY_DISSATISFIED);
  }

  @Test
  void goodRatingNeedsNoTag() {
    assertThat(guangdong.check(rating(Level.BASIC), serviceCase(CaseStatus.COMPLETED))).isEmpty();
  }

  @Test
  void badRatingWithoutTagOrTextIsRejected() {
    for (RatingPolicy p : List.of(guangdong, guangxi)) {
      assertThat(rules(p.check(rating(Level.DISSATISFIED), serviceCase(CaseStatus.COMPLETED)))).containsExactly("badRatingNeedsReason");
      assertThat(rules(p.check(rating(Level.VERY_DISSATISFIED, List.of(), "  ", TargetType.ITEM, Stage.OVERALL),
          serviceCase(CaseStatus.COMPLETED)))).containsExactly("badRatingNeedsReason");
    }
  }

  @Test
  void badRatingWithABadTagOfItsProvinceIsAccepted() {
    assertThat(guangdong.check(rating(Level.DISSATISFIED, List.of("517"), null, TargetType.ITEM, Stage.OVERALL),
        serviceCase(CaseStatus.COMPLETED))).isEmpty();
    assertThat(guangxi.check(rating(Level.DISSATISFIED, List.of("B01"), null, TargetType.ITEM, Stage.OVERALL),
        serviceCase(CaseStatus.COMPLETED))).isEmpty();
  }

  @Test
  void badRatingWithAReasonInWordsIsAccepted() {
    assertThat(guangdong.check(rating(Level.VERY_DISSATISFIED, List.of(), "材料退回三次", TargetType.ITEM, Stage.OVERALL),
        serviceCase(CaseStatus.COMPLETED))).isEmpty();
  }

  @Test
  void tagOfAnotherProvinceIsUnknown() {
    assertThat(rules(guangdong.check(rating(Level.SATISFIED, List.of("B01"), null, TargetType.ITEM, Stage.OVERALL),
        serviceCase(CaseStatus.COMPLETED)))).containsExactly("unknownTag");
  }

  @Test
  void unknownCaseIsReported() {
    List<Violation> v = guangdong.check(rating(Level.SATISFIED), null);
    assertThat(v).extracting(Violation::kind).containsExactly(Violation.Kind.CASE_UNKNOWN);
  }

  @Test
  void itemRatingBeforeCompletionIsNotAllowed() {
    // 000 第十七条
    List<Violation> v = guangdong.check(rating(Level.SATISFIED), serviceCase(CaseStatus.IN_PROGRESS));
    assertThat(v).extracting(Violation::kind).containsExactly(Violation.Kind.NOT_ALLOWED);
    assertThat(rules(v)).containsExactly("caseNotCompleted");
  }

  @Test
  void staffMayBeRatedAfterEachVisitBeforeCompletion() {
    // 000 第十七条: 每次到窗口办理后均可对服务人员进行 1 次评价
    assertThat(guangdong.check(rating(Level.SATISFIED, List.of(), null, TargetType.STAFF, Stage.OVERALL),
        serviceCase(CaseStatus.IN_PROGRESS))).isEmpty();
  }

  @Test
  void guangxiPromisedCaseIsRatedAtAcceptance() {
    // 002 第九条: 承诺件应产生不少于 2 次评价 (acceptance and completion)
    assertThat(guangxi.check(rating(Level.SATISFIED, List.of(), null, TargetType.ITEM, Stage.ACCEPT),
        serviceCase(CaseStatus.ACCEPTED))).isEmpty();
    assertThat(rules(guangxi.check(rating(Level.SATISFIED, List.of(), null, TargetType.ITEM, Stage.DELIVER),
        serviceCase(CaseStatus.ACCEPTED)))).containsExactly("caseNotCompleted");
  }

  @Test
  void guangdongHasNoStages() {
    // 002 第十条 套餐式 stages are a Guangxi rule.
    assertThat(rules(guangdong.check(rating(Level.SATISFIED, List.of(), null, TargetType.ITEM, Stage.ACCEPT),
        serviceCase(CaseStatus.COMPLETED)))).contains("stageNotInProfile");
  }

  @Test
  void followUpRatingIsNotAllowedInGuangxi() {
    Rating followUp = new Rating("r2", null, "C1", 2, Stage.OVERALL, Channel.PORTAL, Level.SATISFIED, 8, List.of(), null,
        new Target(TargetType.ITEM, "T1", null, null, null, null, null, null, null), null, null, NOW, NOW, false);
    assertThat(rules(guangxi.check(followUp, serviceCase(CaseStatus.COMPLETED)))).containsExactly("followUpNotAllowed");
    assertThat(guangdong.check(followUp, serviceCase(CaseStatus.COMPLETED))).isEmpty();
  }

  @Test
  void systemDefaultChannelIsReserved() {
    Rating r = new Rating("r3", null, "C1", 1, Stage.OVERALL, Channel.SYSTEM_DEFAULT, Level.VERY_SATISFIED, 10, List.of(),
        null, new Target(TargetType.ITEM, null, null, null, null, null, null, null, null), null, null, NOW, NOW, false);
    assertThat(rules(guangdong.check(r, serviceCase(CaseStatus.COMPLETED)))).containsExactly("reservedChannel");
  }

  @Test
  void ratingFromTheFutureIsRejected() {
    Rating r = new Rating("r4", null, "C1", 1, Stage.OVERALL, Channel.APP, Level.SATISFIED, 8, List.of(), null,
        new Target(TargetType.ITEM, null, null, null, null, null, null, null, null), null, null, NOW.plusHours(1), NOW, false);
    assertThat(rules(guangdong.check(r, serviceCase(CaseStatus.COMPLETED)))).containsExactly("notInFuture");
  }

  @Test
  void commentLongerThanTheProfileAllowsIsRejected() {
    Rating r = rating(Level.SATISFIED, List.of(), "好".repeat(501), TargetType.ITEM, Stage.OVERALL);
    assertThat(rules(guangdong.check(r, serviceCase(CaseStatus.COMPLETED)))).containsExactly("maxLength");
  }

  @Test
  void staffRatingNeedsAStaffMember() {
    Rating r = new Rating("r5", null, "C1", 1, Stage.OVERALL, Channel.EVALUATOR, Level.SATISFIED, 8, List.of(), null,
        new Target(TargetType.STAFF, null, null, null, null, null, null, null, null), null, "V1", NOW, NOW, false);
    assertThat(rules(guangdong.check(r, serviceCase(CaseStatus.COMPLETED)))).containsExactly("required");
  }

  @Test
  void violationsSpeakChineseAndEnglish() {
    Violation v = guangdong.check(rating(Level.DISSATISFIED), serviceCase(CaseStatus.COMPLETED)).get(0);
    assertThat(v.message()).contains("不满意").contains("差评标签");
    assertThat(v.messageEn()).contains("dissatisfied").contains("tag");
  }
}
