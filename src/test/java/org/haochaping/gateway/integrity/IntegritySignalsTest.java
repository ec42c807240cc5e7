package org.haochaping.gateway.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.haochaping.gateway.model.CaseMode;
import org.haochaping.gateway.model.CaseStatus;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.model.ProjectType;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.model.Target;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.policy.WorkingDayCalendar;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.PersonalDataCipher;
import org.haochaping.gateway.support.TestDatabase;
import org.haochaping.gateway.timers.LifecycleOutbox;
import org.haochaping.gateway.workorder.RatingCorrections;
import org.haochaping.gateway.workorder.Refused;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The integrity signals (docs/integrity.md; 002 第十二条 不得弄虚作假刷"好评") on both sides of each threshold, against
 * a real database with the Flyway migrations applied (H2, or PostgreSQL with -Dhcp.test.db.url). Observations
 * go straight into {@link IntegritySignals#observe} in {@code ratedAt} order, as the consumer of
 * {@code ratings::integrity} would hand them over. The thresholds are read from
 * {@code mappings/policy/guangdong.integrity.yaml}, not copied. Each test uses subjects of its own (a fresh
 * prefix) in one database for the class, and asserts every flag raised on its subjects, not only the one it is
 * about.
 */
@Tag("db")
class IntegritySignalsTest {

  private static final IntegrityRules RULES = IntegrityRules.load("guangdong");
  private static final WorkingDayCalendar CALENDAR = WorkingDayCalendar.fromClasspath();
  /** Mon 2026-11-02, a working day, 10:00 China time: the halls are open. */
  private static final OffsetDateTime MON_TEN = OffsetDateTime.parse("2026-11-02T10:00:00+08:00");

  private static TestDatabase testDb;
  private static Database db;

  private final Clock clock = Clock.fixed(MON_TEN.plusDays(40).toInstant(), ChinaTime.ZONE);
  private PrometheusMeterRegistry meters;
  private IntegritySignals signals;
  private IntegrityFlags flags;
  private String p;

  @BeforeAll
  static void open() throws Exception {
    testDb = TestDatabase.create();
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "integrity-");
    db = Database.open(testDb.url(), testDb.user(), testDb.password(), dir, 4);
  }

  @AfterAll
  static void close() {
    db.close();
    testDb.close();
  }

  @BeforeEach
  void wire() {
    meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    IntegrityMetrics metrics = new IntegrityMetrics(db, meters);
    signals = signals(RULES, metrics);
    LifecycleOutbox outbox = new LifecycleOutbox(db, null, clock, Duration.ofSeconds(5), new SimpleMeterRegistry());
    flags = new IntegrityFlags(db, new RatingCorrections(outbox, clock), metrics, clock);
    p = "T" + UUID.randomUUID().toString().substring(0, 8);
  }

  private IntegritySignals signals(IntegrityRules rules, IntegrityMetrics metrics) {
    // The codec, the case store and the cipher are only used to build an observation from a rating; these
    // tests build the observations (evaluator and applicant as their keyed hashes) themselves.
    return new IntegritySignals(db, null, null, null, rules, CALENDAR, clock, metrics);
  }

  // --- (1) good volume ---------------------------------------------------------------------------

  @Test
  void goodRatingsFromOneDeviceAtTheThresholdWithinTheWindowAreFlagged() {
    var v = RULES.goodVolume();
    goodVolume(IntegrityReason.GOOD_VOLUME_DEVICE, p + "-dev", v.perDevice(), v.window(), r -> r.device(p + "-dev").hall(p + "-hall"));
  }

  @Test
  void goodRatingsAtOneServiceWindowAtTheThresholdWithinTheWindowAreFlagged() {
    var v = RULES.goodVolume();
    goodVolume(IntegrityReason.GOOD_VOLUME_WINDOW, p + "-hall/3", v.perServiceWindow(), v.window(), r -> r.window(p + "-hall", "3"));
  }

  @Test
  void goodRatingsFromOneEvaluatorAtTheThresholdWithinTheWindowAreFlagged() {
    var v = RULES.goodVolume();
    // The evaluator rates their own cases (applicant = evaluator), which is not MANY_APPLICANTS.
    goodVolume(IntegrityReason.GOOD_VOLUME_EVALUATOR, IntegritySignals.pseudonym(p + "-ev"), v.perEvaluator(), v.evaluatorWindow(),
        r -> r.evaluator(p + "-ev").applicant(p + "-ev"));
  }

  /**
   * {@code n - 1} good ratings within the window, one exactly at its start (outside: the window is
   * {@code (at - window, at]}), one 不满意 inside: no flag. The n-th good rating: a flag of this reason only,
   * listing the n good ratings of the window and neither the one at its edge nor the bad one.
   */
  private void goodVolume(IntegrityReason reason, String subject, int n, Duration window, UnaryOperator<R> source) {
    Duration step = per(window, n - 1);
    assertThat(step).as("spaced wider than a burst").isGreaterThan(per(RULES.speed().burstWindow(), RULES.speed().burstCount() - 1));
    OffsetDateTime last = MON_TEN.plus(window);
    String edge = source.apply(rating(MON_TEN)).observe();
    String bad = source.apply(rating(last.minus(step.multipliedBy(n - 2)).minus(step.dividedBy(2))).level(Level.DISSATISFIED)).observe();
    List<String> inside = new ArrayList<>();
    for (int k = n - 2; k >= 0; k--) { // the last of them exactly one window after the edge one
      inside.add(source.apply(rating(last.minus(step.multipliedBy(k)))).observe());
    }
    assertThat(raised()).as("%d good ratings in the window", n - 1).isEmpty();

    inside.add(source.apply(rating(last.plusSeconds(1))).observe());
    assertThat(raised()).isEqualTo(Map.of(reason.name(), 1));
    Map<String, Object> flag = only(reason, subject);
    assertThat(flag.get("status")).isEqualTo("OPEN");
    assertThat(listed(flag)).containsExactlyInAnyOrderElementsOf(inside).doesNotContain(edge, bad);
    assertThat((String) flag.get("detail")).contains("好评 " + n + " 条").contains("阈值 " + n + " 条");
  }

  /**
   * Ratings reach the consumer in any order (several nodes, batches checked in parallel): one rated
   * early in a burst but observed after the burst's flag was opened did not reach the threshold
   * looking back (the ratings after it were in, those before it not), and joins the open flag of its
   * device; the flag keeps its detail. One rated more than a window before the cluster does not.
   */
  @Test
  void aRatingOfTheBurstObservedAfterItsFlagWasOpenedJoinsIt() {
    var v = RULES.goodVolume();
    String device = p + "-dev";
    Duration step = per(v.window(), v.perDevice() * 2);
    List<String> burst = new ArrayList<>();
    OffsetDateTime first = MON_TEN.plus(v.window());
    for (int k = 0; k < v.perDevice(); k++) {
      burst.add(rating(first.plus(step.multipliedBy(k))).device(device).hall(p + "-hall").observe());
    }
    Map<String, Object> flag = only(IntegrityReason.GOOD_VOLUME_DEVICE, device);
    String detail = (String) flag.get("detail");

    burst.add(rating(first.minus(step)).device(device).hall(p + "-hall").observe());
    String farBefore = rating(first.minus(v.window()).minusSeconds(1)).device(device).hall(p + "-hall").observe();

    flag = only(IntegrityReason.GOOD_VOLUME_DEVICE, device);
    assertThat(listed(flag)).containsExactlyInAnyOrderElementsOf(burst).doesNotContain(farBefore);
    assertThat(flag.get("detail")).isEqualTo(detail);
  }

  // --- (2) speed ----------------------------------------------------------------------------------

  @Test
  void aRatingSoonerThanTheMinimumAfterTheCompletionIsFlaggedOneAtTheMinimumIsNot() {
    Duration min = RULES.speed().minAfterCompletion();
    OffsetDateTime completed = MON_TEN;
    String device = p + "-dev";
    rating(completed.plus(min)).completed(completed).device(device).level(Level.BASIC).observe();
    rating(completed.plusMinutes(5)).completed(completed.plusMinutes(5).plus(min)).device(device).level(Level.BASIC).observe(); // before it
    assertThat(raised()).isEmpty();

    String fast = rating(completed.plusMinutes(10).plus(min).minus(Duration.ofMillis(1))).completed(completed.plusMinutes(10)).device(device)
        .level(Level.BASIC).observe();
    assertThat(raised()).isEqualTo(Map.of("TOO_FAST_AFTER_COMPLETION", 1));
    Map<String, Object> flag = only(IntegrityReason.TOO_FAST_AFTER_COMPLETION, device);
    assertThat(flag.get("subjectKind")).isEqualTo("DEVICE");
    assertThat(listed(flag)).containsExactly(fast);
    assertThat((String) flag.get("detail")).contains("阈值 " + min.toSeconds() + " 秒");
  }

  @Test
  void aBurstOfRatingsOfAnyLevelFromOneDeviceIsFlaggedOneFewerIsNot() {
    int count = RULES.speed().burstCount();
    Duration window = RULES.speed().burstWindow();
    Duration step = per(window, count - 1);
    String device = p + "-dev";
    Level[] levels = {Level.BASIC, Level.DISSATISFIED, Level.VERY_DISSATISFIED};
    // One at 0, count - 1 more up to exactly one window later: the one at 0 is at the window's open edge then.
    String first = rating(MON_TEN).device(device).level(Level.BASIC).observe();
    List<String> burst = new ArrayList<>();
    for (int k = count - 2; k >= 0; k--) {
      burst.add(rating(MON_TEN.plus(window).minus(step.multipliedBy(k))).device(device).level(levels[k % levels.length]).observe());
    }
    assertThat(raised()).as("%d ratings within %s", count - 1, window).isEmpty();

    burst.add(rating(MON_TEN.plus(window).plus(Duration.ofMillis(1))).device(device).level(Level.BASIC).observe());
    assertThat(raised()).isEqualTo(Map.of("BURST", 1));
    Map<String, Object> flag = only(IntegrityReason.BURST, device);
    assertThat(listed(flag)).containsExactlyInAnyOrderElementsOf(burst).doesNotContain(first);
    assertThat((String) flag.get("detail")).contains("提交评价 " + count + " 条").contains("阈值 " + count + " 条");
  }

  @Test
  void withoutADeviceTheBurstIsCountedPerEvaluator() {
    int count = RULES.speed().burstCount();
    Duration step = per(RULES.speed().burstWindow(), count);
    String ev = p + "-ev";
    List<String> burst = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      burst.add(rating(MON_TEN.plus(step.multipliedBy(k))).evaluator(ev).applicant(ev).level(Level.BASIC).observe());
    }
    assertThat(raised()).isEqualTo(Map.of("BURST", 1));
    Map<String, Object> flag = only(IntegrityReason.BURST, IntegritySignals.pseudonym(ev));
    assertThat(flag.get("subjectKind")).isEqualTo("EVALUATOR");
    assertThat(listed(flag)).containsExactlyInAnyOrderElementsOf(burst);
  }

  // --- (3) many applicants ------------------------------------------------------------------------

  @Test
  void oneEvaluatorRatingTheCasesOfTheThresholdOfDifferentApplicantsIsFlaggedOneFewerIsNot() {
    int n = RULES.manyApplicants().applicants();
    Duration window = RULES.manyApplicants().window();
    String ev = p + "-ev";
    // 基本满意 throughout: what counts here is who rated whose case, not the level.
    // A different applicant exactly at the window's open edge when the later ratings arrive: not counted then.
    String edge = rating(MON_TEN).evaluator(ev).level(Level.BASIC).applicant(p + "-a-edge").observe();
    List<String> others = new ArrayList<>();
    for (int k = 0; k < n - 2; k++) {
      others.add(rating(MON_TEN.plusDays(1).plusHours(k)).evaluator(ev).level(Level.BASIC).applicant(p + "-a" + k).observe());
    }
    assertThat(raised()).as("%d different applicants with the edge one", n - 1).isEmpty();
    OffsetDateTime late = MON_TEN.plus(window);
    others.add(rating(late).evaluator(ev).level(Level.BASIC).applicant(p + "-a" + (n - 2)).observe()); // the edge one just left
    others.add(rating(late.plusMinutes(5)).evaluator(ev).level(Level.BASIC).applicant(p + "-a0").observe()); // the same applicant again
    String own = rating(late.plusMinutes(10)).evaluator(ev).level(Level.BASIC).applicant(ev).observe(); // the evaluator's own case
    String unknown = rating(late.plusMinutes(15)).evaluator(ev).level(Level.BASIC).observe(); // a case without an applicant mobile
    assertThat(raised()).as("%d different applicants within the window", n - 1).isEmpty();

    others.add(rating(late.plusMinutes(20)).evaluator(ev).level(Level.BASIC).applicant(p + "-a" + (n - 1)).observe());
    assertThat(raised()).isEqualTo(Map.of("MANY_APPLICANTS", 1));
    Map<String, Object> flag = only(IntegrityReason.MANY_APPLICANTS, IntegritySignals.pseudonym(ev));
    assertThat(listed(flag)).containsExactlyInAnyOrderElementsOf(others).doesNotContain(edge, own, unknown);
    assertThat((String) flag.get("detail")).contains(n + " 名不同申请人").contains("阈值 " + n + " 名").doesNotContain(ev);

    // While the evaluator is flagged, a case of an applicant already rated within the window joins the flag;
    // the evaluator's own case still does not.
    String again = rating(late.plusMinutes(25)).evaluator(ev).level(Level.BASIC).applicant(p + "-a1").observe();
    String ownAgain = rating(late.plusMinutes(30)).evaluator(ev).level(Level.BASIC).applicant(ev).observe();
    assertThat(raised()).isEqualTo(Map.of("MANY_APPLICANTS", 1));
    assertThat(listed(only(IntegrityReason.MANY_APPLICANTS, IntegritySignals.pseudonym(ev)))).contains(again).doesNotContain(ownAgain);
  }

  @Test
  void anApplicantRatedAgainAddsNoOneAndRaisesNothing() {
    int n = RULES.manyApplicants().applicants();
    String ev = p + "-ev2";
    // One applicant's cases, many times (an agent filing for one company): never more than one applicant.
    for (int k = 0; k < n + 2; k++) {
      rating(MON_TEN.plusHours(k)).evaluator(ev).level(Level.BASIC).applicant(p + "-company").observe();
    }
    assertThat(raised()).isEmpty();
  }

  // --- (4) rate jump ------------------------------------------------------------------------------

  @Test
  void aHallsGoodRatingRateRisingByTheJumpIsFlagged() {
    rateJump(IntegrityReason.RATE_JUMP_HALL, (r, key) -> r.hall(key));
  }

  @Test
  void aStaffMembersGoodRatingRateRisingByTheJumpIsFlagged() {
    rateJump(IntegrityReason.RATE_JUMP_STAFF, (r, key) -> r.staff(key));
  }

  /**
   * Four subjects, each with a baseline at a 50% good-rating rate: (a) a rise one rating short of the jump, (b) a
   * rise of the jump, (c) 100% with one rating fewer than {@code minRecent}, (d) 100% against a baseline one short
   * of {@code minBaseline}. Only (b) is flagged, listing the good ratings of its recent period.
   */
  private void rateJump(IntegrityReason reason, java.util.function.BiFunction<R, String, R> subject) {
    var j = RULES.rateJump();
    int nb = j.minBaseline();
    int gb = nb / 2;
    int nr = j.minRecent();
    // The fewest good ratings of nr reaching the jump: 100 gr / nr - 100 gb / nb >= jump, in integers.
    long num = (long) j.jumpPoints() * nr * nb + 100L * gb * nr;
    int gr = (int) ((num + 100L * nb - 1) / (100L * nb));
    assertThat(gr).as("the jump is reachable with %d recent ratings", nr).isBetween(2, nr);

    OffsetDateTime end = MON_TEN.plusDays(40);
    jumpSeries(subject, p + "-a", end, nb, gb, nr, gr - 1);
    List<String> flagged = jumpSeries(subject, p + "-b", end, nb, gb, nr, gr);
    jumpSeries(subject, p + "-c", end, nb, gb, nr - 1, nr - 1);
    jumpSeries(subject, p + "-d", end, nb - 1, gb, nr, nr);

    assertThat(raised()).isEqualTo(Map.of(reason.name(), 1));
    Map<String, Object> flag = only(reason, p + "-b");
    assertThat(listed(flag)).containsExactlyInAnyOrderElementsOf(flagged);
    assertThat((String) flag.get("detail")).contains("升幅达 " + j.jumpPoints() + " 个百分点");
  }

  /** Baseline of nb ratings (gb good) over the baseline period, then nr recent ratings ending at end, the last gr good. Returns the recent good ones. */
  private List<String> jumpSeries(java.util.function.BiFunction<R, String, R> subject, String key, OffsetDateTime end, int nb, int gb,
      int nr, int gr) {
    var j = RULES.rateJump();
    OffsetDateTime recentFrom = end.minus(j.recent());
    OffsetDateTime baseFrom = recentFrom.minus(j.baseline());
    Duration baseStep = per(j.baseline(), nb + 1);
    for (int k = 1; k <= nb; k++) {
      subject.apply(rating(baseFrom.plus(baseStep.multipliedBy(k))).level(k % 2 == 0 && k / 2 <= gb ? Level.VERY_SATISFIED : Level.BASIC),
          key).observe();
    }
    Duration recentStep = per(j.recent(), nr); // the last one at end: all nr within (end - recent, end]
    List<String> good = new ArrayList<>();
    for (int k = 1; k <= nr; k++) {
      boolean isGood = k > nr - gr;
      String id = subject.apply(rating(end.minus(recentStep.multipliedBy(nr - k))).level(isGood ? Level.SATISFIED : Level.BASIC), key)
          .observe();
      if (isGood) {
        good.add(id);
      }
    }
    return good;
  }

  // --- (5) opening hours --------------------------------------------------------------------------

  @Test
  void aDeviceRatingOutsideItsHallsHoursWithTheGraceIsFlaggedOneAtTheEdgeIsNot() {
    var h = RULES.openingHours();
    assertThat(h.days()).isEqualTo(IntegrityRules.Days.WORKING_DAYS);
    String device = p + "-dev";
    LocalDate monday = MON_TEN.toLocalDate();
    LocalDate saturday = LocalDate.of(2026, 11, 7);
    LocalDate adjustedSaturday = LocalDate.of(2026, 10, 10); // 国庆节 调休上班
    assertThat(CALENDAR.isWorkingDay(saturday)).isFalse();
    assertThat(CALENDAR.isWorkingDay(adjustedSaturday)).isTrue();

    LocalTime earliest = h.opens().minus(h.grace());
    LocalTime latest = h.closes().plus(h.grace());
    List<String> outside = new ArrayList<>();
    rating(china(adjustedSaturday, LocalTime.of(10, 0))).device(device).hall(p + "-hall").level(Level.BASIC).observe();
    outside.add(rating(china(monday, earliest.minusSeconds(1))).device(device).hall(p + "-hall").level(Level.BASIC).observe());
    rating(china(monday, earliest)).device(device).hall(p + "-hall").level(Level.BASIC).observe();
    rating(china(monday, latest)).device(device).hall(p + "-hall").level(Level.BASIC).observe();
    outside.add(rating(china(monday, latest.plusSeconds(1))).device(device).hall(p + "-hall").level(Level.BASIC).observe());
    outside.add(rating(china(saturday, LocalTime.of(10, 0))).device(device).hall(p + "-hall").level(Level.BASIC).observe());
    // Without a device (a portal rating at the hall) there is no opening-hours signal.
    rating(china(saturday, LocalTime.of(23, 0))).window(p + "-hall", "1").level(Level.BASIC).observe();

    assertThat(raised()).isEqualTo(Map.of("OUTSIDE_OPENING_HOURS", 1));
    Map<String, Object> flag = only(IntegrityReason.OUTSIDE_OPENING_HOURS, device);
    assertThat(listed(flag)).containsExactlyInAnyOrderElementsOf(outside);
  }

  @Test
  void aHallListedWithItsOwnHoursIsJudgedByThem() {
    var h = RULES.openingHours();
    String hall = p + "-late";
    IntegrityRules.Hours late = new IntegrityRules.Hours(LocalTime.of(9, 0), LocalTime.of(20, 0), IntegrityRules.Days.EVERY_DAY);
    IntegrityRules rules = new IntegrityRules(RULES.profile(), RULES.goodLevels(), RULES.goodVolume(), RULES.speed(), RULES.manyApplicants(),
        RULES.rateJump(), new IntegrityRules.OpeningHours(h.opens(), h.closes(), h.days(), h.grace(), Map.of(hall, late)));
    signals = signals(rules, new IntegrityMetrics(db, meters));
    LocalDate saturday = LocalDate.of(2026, 11, 7);
    String device = p + "-dev";
    rating(china(saturday, LocalTime.of(10, 0))).device(device).hall(hall).level(Level.BASIC).observe();
    rating(china(saturday, late.closes().plus(h.grace()))).device(device).hall(hall).level(Level.BASIC).observe();
    assertThat(raised()).isEmpty();
    String after = rating(china(saturday, late.closes().plus(h.grace()).plusSeconds(1))).device(device).hall(hall).level(Level.BASIC)
        .observe();
    String before = rating(china(saturday.plusDays(1), late.opens().minus(h.grace()).minusSeconds(1))).device(device).hall(hall)
        .level(Level.BASIC).observe();
    assertThat(raised()).isEqualTo(Map.of("OUTSIDE_OPENING_HOURS", 1));
    assertThat(listed(only(IntegrityReason.OUTSIDE_OPENING_HOURS, device))).containsExactlyInAnyOrder(after, before);
  }

  // --- review: dismiss, and the open-flags metric -------------------------------------------------

  @Test
  void aDismissedFlagLeavesTheGaugeAndItsRatingsAreNotListedAgainWhenTheSignalFiresOnceMore() {
    int n = RULES.goodVolume().perDevice();
    Duration step = per(RULES.goodVolume().window(), n);
    String device = p + "-dev";
    double before = openGauge(IntegrityReason.GOOD_VOLUME_DEVICE);
    for (int k = 0; k < n; k++) {
      rating(MON_TEN.plus(step.multipliedBy(k))).device(device).observe();
    }
    Map<String, Object> flag = only(IntegrityReason.GOOD_VOLUME_DEVICE, device);
    String id = (String) flag.get("flagId");
    assertThat(openGauge(IntegrityReason.GOOD_VOLUME_DEVICE)).isEqualTo(before + 1);
    assertThat(meters.scrape()).contains("hcp_integrity_flags_open{reason=\"GOOD_VOLUME_DEVICE\"} " + (before + 1));
    assertThat(flags.list(new IntegrityFlags.Filter("OPEN", "GOOD_VOLUME_DEVICE", null, device), 50, 0).get("total")).isEqualTo(1L);

    Map<String, Object> dismissed = flags.dismiss(id, "operator-1", "当日集中办理团体业务，已核实");
    assertThat(dismissed).containsEntry("status", "DISMISSED").containsEntry("reviewedBy", "operator-1")
        .containsEntry("reviewNote", "当日集中办理团体业务，已核实").containsEntry("correctedRatings", 0).containsEntry("ratingCount", (long) n);
    assertThat(openGauge(IntegrityReason.GOOD_VOLUME_DEVICE)).isEqualTo(before);
    assertThat(flags.list(new IntegrityFlags.Filter("OPEN", "GOOD_VOLUME_DEVICE", null, device), 50, 0).get("total")).isEqualTo(0L);
    assertThat(refusal(() -> flags.dismiss(id, "operator-1", "再次复核"))).isEqualTo(409);
    assertThat(refusal(() -> flags.confirm(id, "operator-1", "再次复核"))).isEqualTo(409);
    assertThat(refusal(() -> flags.dismiss(UUID.randomUUID().toString(), "operator-1", "没有这个标记"))).isEqualTo(404);

    // One more good rating from the device within the window: a new open flag, listing only the new rating.
    String next = rating(MON_TEN.plus(step.multipliedBy(n))).device(device).observe();
    List<Map<String, Object>> all = flagsOf(IntegrityReason.GOOD_VOLUME_DEVICE, device);
    assertThat(all).extracting(f -> f.get("status")).containsExactlyInAnyOrder("DISMISSED", "OPEN");
    Map<String, Object> reopened = all.stream().filter(f -> "OPEN".equals(f.get("status"))).findFirst().orElseThrow();
    assertThat(listed(reopened)).containsExactly(next);
    assertThat(openGauge(IntegrityReason.GOOD_VOLUME_DEVICE)).isEqualTo(before + 1);
  }

  @Test
  void aRedeliveredRatingAddsNothing() {
    String device = p + "-dev";
    R fast = rating(MON_TEN.plusSeconds(1)).completed(MON_TEN).device(device).level(Level.BASIC);
    fast.observe();
    signals.observe(fast.observed()); // the broker brings it again
    assertThat(scalar("select count(*) from integrity_ratings where device_id = '" + device + "'")).isEqualTo(1);
    assertThat(raised()).isEqualTo(Map.of("TOO_FAST_AFTER_COMPLETION", 1));
    assertThat(listed(only(IntegrityReason.TOO_FAST_AFTER_COMPLETION, device))).hasSize(1);
  }

  // --- what is observed of a rating ---------------------------------------------------------------

  @Test
  void anObservationHasTheDeviceTheServiceWindowAndThePeopleOnlyAsKeyedHashes() {
    PersonalDataCipher cipher = new PersonalDataCipher(Base64.getDecoder().decode(PersonalDataCipher.newKey()), List.of());
    IntegritySignals withCipher = new IntegritySignals(db, null, null, cipher, RULES, CALENDAR, clock, new IntegrityMetrics(db, meters));
    Person evaluator = new Person("李四", "111", "440881199001011234", "13900001111", "1");
    Person applicant = new Person("王五", "111", "440881199202022345", "13900002222", "1");
    ServiceCase c = new ServiceCase("C-OBS", "T-1", "事项", "D-1", "部门", "440881000000", "H-OBS", "5", "S-OBS", null, null, CaseMode.WINDOW,
        ProjectType.IMMEDIATE, applicant, CaseStatus.COMPLETED, MON_TEN.minusHours(1), MON_TEN.minusMinutes(30), null, null, null);
    Rating r = new Rating("r-obs", "evaluator:DEV-9:m1", "C-OBS", 1, Stage.OVERALL, Channel.EVALUATOR, Level.SATISFIED, 8, List.of(), null,
        new Target(TargetType.ITEM_AND_STAFF, "T-1", "事项", "D-1", "S-OBS", "H-OBS", "5", null, null, null), evaluator, null, MON_TEN,
        MON_TEN, false);

    IntegritySignals.Observed o = withCipher.observed(r, c);
    assertThat(o.deviceId()).isEqualTo("DEV-9");
    assertThat(o.windowKey()).isEqualTo("H-OBS/5");
    assertThat(o.staffId()).isEqualTo("S-OBS");
    assertThat(o.good()).isTrue();
    assertThat(o.completedAt()).isEqualTo(c.completedAt());
    assertThat(o.evaluatorIndex()).isEqualTo(cipher.mobileIndex("13900001111")).isNotEqualTo(o.applicantIndex());
    assertThat(o.applicantIndex()).isEqualTo(cipher.mobileIndex("13900002222"));
    assertThat(o.toString()).doesNotContain("13900001111", "13900002222", "李四", "王五", "440881199001011234");

    Rating basicAtABlankWindow = new Rating("r-obs2", null, "C-OBS2", 1, Stage.OVERALL, Channel.PORTAL, Level.BASIC, 6, List.of(), null,
        new Target(TargetType.ITEM, "T-1", "事项", "D-1", " ", "H-OBS", " ", null, null, null), null, null, MON_TEN, MON_TEN, false);
    IntegritySignals.Observed none = withCipher.observed(basicAtABlankWindow, null);
    assertThat(none.good()).isFalse();
    assertThat(none.windowKey()).isNull();
    assertThat(none.staffId()).isNull();
    assertThat(none.deviceId()).isNull();
    assertThat(none.evaluatorIndex()).isNull();
    assertThat(none.applicantIndex()).isNull();
    assertThat(none.completedAt()).isNull();
  }

  @Test
  void theDeviceIsReadFromTheSourceRefOfAnEvaluatorOrATerminalOnly() {
    assertThat(IntegritySignals.deviceOf(ref(Channel.EVALUATOR, "evaluator:DEV-1:m42"))).isEqualTo("DEV-1");
    assertThat(IntegritySignals.deviceOf(ref(Channel.SELF_SERVICE_TERMINAL, "terminal:T-3:17"))).isEqualTo("terminal:T-3");
    assertThat(IntegritySignals.deviceOf(ref(Channel.EVALUATOR, "evaluator::m42"))).isNull();
    assertThat(IntegritySignals.deviceOf(ref(Channel.EVALUATOR, "evaluator:DEV-1"))).isNull();
    assertThat(IntegritySignals.deviceOf(ref(Channel.PORTAL, "evaluator:DEV-1:m42"))).isNull();
    assertThat(IntegritySignals.deviceOf(ref(Channel.EVALUATOR, null))).isNull();
  }

  private static Rating ref(Channel channel, String sourceRef) {
    return new Rating("r", sourceRef, "C", 1, Stage.OVERALL, channel, Level.SATISFIED, 8, List.of(), null, null, null, null, MON_TEN,
        MON_TEN, false);
  }

  // --- helpers ------------------------------------------------------------------------------------

  /** A rating a person gave, as the signals see it; evaluator and applicant are stand-ins for their keyed hashes. */
  private final class R {
    final String ratingId = UUID.randomUUID().toString();
    final OffsetDateTime ratedAt;
    Level level = Level.VERY_SATISFIED;
    OffsetDateTime completedAt;
    String device;
    String hall;
    String windowNo;
    String staff;
    String evaluator;
    String applicant;

    R(OffsetDateTime ratedAt) {
      this.ratedAt = ratedAt;
    }

    R level(Level l) { level = l; return this; }
    R completed(OffsetDateTime t) { completedAt = t; return this; }
    R device(String d) { device = d; return this; }
    R hall(String h) { hall = h; return this; }
    R window(String h, String no) { hall = h; windowNo = no; return this; }
    R staff(String s) { staff = s; return this; }
    R evaluator(String e) { evaluator = e; return this; }
    R applicant(String a) { applicant = a; return this; }

    IntegritySignals.Observed observed() {
      return new IntegritySignals.Observed(ratingId, "C-" + ratingId, device == null ? Channel.PORTAL : Channel.EVALUATOR, level.name(),
          RULES.isGood(level), ratedAt, completedAt, device, hall, hall == null || windowNo == null ? null : hall + "/" + windowNo, staff,
          evaluator, applicant);
    }

    String observe() {
      signals.observe(observed());
      return ratingId;
    }
  }

  private R rating(OffsetDateTime ratedAt) {
    return new R(ratedAt);
  }

  /**
   * A period split in n, in whole seconds: ratedAt as a channel sends it. (A sub-microsecond ratedAt would be
   * rounded by the database and could fall outside its own window.)
   */
  private static Duration per(Duration period, long n) {
    return Duration.ofSeconds(period.getSeconds() / n);
  }

  private static OffsetDateTime china(LocalDate day, LocalTime time) {
    return day.atTime(time).atZone(ChinaTime.ZONE).toOffsetDateTime();
  }

  /** Reason -> number of flags, over every flag on this test's subjects (devices, windows, halls, staff, evaluators). */
  private Map<String, Integer> raised() {
    Map<String, Integer> out = new TreeMap<>();
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select reason from integrity_flags where subject like ?")) {
      ps.setString(1, p + "%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.merge(rs.getString(1), 1, Integer::sum);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** The flags of a reason and subject as the review API shows them (an evaluator as its pseudonym). */
  private List<Map<String, Object>> flagsOf(IntegrityReason reason, String subject) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items = (List<Map<String, Object>>) flags.list(new IntegrityFlags.Filter(null, reason.name(), null, null), 500, 0)
        .get("items");
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> f : items) {
      if (subject.equals(f.get("subject"))) {
        out.add(flags.find((String) f.get("flagId")).orElseThrow());
      }
    }
    return out;
  }

  private Map<String, Object> only(IntegrityReason reason, String subject) {
    List<Map<String, Object>> found = flagsOf(reason, subject);
    assertThat(found).as("flags %s of %s", reason, subject).hasSize(1);
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Set<String> listedSet(Map<String, Object> flag) {
    Set<String> ids = new java.util.HashSet<>();
    for (Map<String, Object> r : (List<Map<String, Object>>) flag.get("ratings")) {
      ids.add((String) r.get("ratingId"));
    }
    return ids;
  }

  @SuppressWarnings("unchecked")
  private static List<String> listed(Map<String, Object> flag) {
    List<String> ids = new ArrayList<>();
    for (Map<String, Object> r : (List<Map<String, Object>>) flag.get("ratings")) {
      ids.add((String) r.get("ratingId"));
    }
    assertThat(flag.get("ratingCount")).isEqualTo((long) ids.size());
    assertThat(listedSet(flag)).hasSize(ids.size());
    return ids;
  }

  private double openGauge(IntegrityReason reason) {
    return meters.get("hcp.integrity.flags.open").tag("reason", reason.name()).gauge().value();
  }

  private static int refusal(Runnable call) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call::run);
    assertThat(t).isInstanceOf(Refused.class);
    return ((Refused) t).problem().status();
  }

  private static long scalar(String sql) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
