package org.haochaping.gateway.integrity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.haochaping.gateway.broker.RatingCodec;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.Target;
import org.haochaping.gateway.policy.WorkingDayCalendar;
import org.haochaping.gateway.store.CaseStore;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.GroupCommit;
import org.haochaping.gateway.store.PersonalDataCipher;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of {@code ratings::integrity}: each rating a person gave is kept in {@code integrity_ratings}
 * (no personal data: the evaluator and the applicant as keyed hashes) and the five signals of docs/integrity.md
 * are computed against the database, so every gateway node sees the same windows. A signal opens a flag for its
 * subject (or joins the open one) and lists the ratings it is about; nothing is refused or held back
 * (002 第十二条 asks the agencies not to manufacture good ratings and the supervisors to investigate; the
 * ratings themselves are forwarded as the rules require).
 *
 * <p>The consumers hand their ratings to one writer, which observes whatever has gathered in one transaction
 * (in order, each seeing the ones before it): a marker, the signals and the flags of every rating commit together,
 * so a redelivered rating adds nothing, and a busy gateway pays one commit per batch, not per rating. A failure
 * (also two nodes opening the same flag at once: {@code open_key} is unique) rolls the batch back and the broker
 * brings its ratings again.
 */
public final class IntegritySignals implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IntegritySignals.class);

  private final Database db;
  private final RatingCodec codec;
  private final CaseStore cases;
  private final PersonalDataCipher cipher;
  private final IntegrityRules rules;
  private final WorkingDayCalendar calendar;
  private final Clock clock;
  private final IntegrityMetrics metrics;
  /** When the rate jump of a hall or staff member was last checked (rating time), on this node. */
  private final Map<String, OffsetDateTime> jumpCheckedAt = new java.util.concurrent.ConcurrentHashMap<>();
  private static final Duration JUMP_RECHECK = Duration.ofMinutes(1);
  private final GroupCommit<Observed, Void> group = new GroupCommit<>("hcp-integrity-writer", 200, GroupCommit.BEHIND_BROKER_LINGER_MICROS, this::observeAll);

  public IntegritySignals(Database db, RatingCodec codec, CaseStore cases, PersonalDataCipher cipher, IntegrityRules rules,
      WorkingDayCalendar calendar, Clock clock, IntegrityMetrics metrics) {
    this.db = db;
    this.codec = codec;
    this.cases = cases;
    this.cipher = cipher;
    this.rules = rules;
    this.calendar = calendar;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** What a signal needs of a rating. Evaluator and applicant as keyed hashes only. */
  record Observed(String ratingId, String caseNo, Channel channel, String level, boolean good, OffsetDateTime ratedAt,
      OffsetDateTime completedAt, String deviceId, String hallCode, String windowKey, String staffId, String evaluatorIndex,
      String applicantIndex) {}

  /**
   * Where a signal fired: the flag's subject and which ratings it lists ({@code where} over
   * integrity_ratings); a null detail (a rating joining an open flag's cluster) keeps the flag's.
   */
  record Hit(IntegrityReason reason, String kind, String subject, String detail, String detailEn, String where, List<Object> args) {}

  /** {@code ratings::integrity}: returns once the rating is observed; throws (and the broker redelivers) when it cannot be. */
  public void onRating(byte[] body) {
    Rating r = codec.decode(body);
    if (r.defaulted() || r.channel() == Channel.SYSTEM_DEFAULT || (r.sourceRef() != null && r.sourceRef().startsWith("applied:"))) {
      return; // given by the system, or a batch/theme rating applied from one a person gave: nobody rated it again
    }
    ServiceCase serviceCase = cases.find(r.caseNo()).orElse(null);
    try {
      group.write(observed(r, serviceCase));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while observing rating " + r.ratingId(), e);
    }
  }

  @Override
  public void close() {
    group.close();
  }

  Observed observed(Rating r, ServiceCase c) {
    Target t = r.target();
    String hall = t == null ? null : blankToNull(t.hallCode());
    String window = t == null || hall == null || blankToNull(t.windowNo()) == null ? null : hall + "/" + t.windowNo();
    Person applicant = c == null ? null : c.applicant();
    // Whole microseconds, as the database keeps them: a window's edge compares the same on both sides.
    return new Observed(r.ratingId(), r.caseNo(), r.channel(), r.level().name(), rules.isGood(r.level()), micros(r.ratedAt()),
        c == null ? null : micros(c.completedAt()), deviceOf(r), hall, window, t == null ? null : blankToNull(t.staffId()),
        r.evaluator() == null ? null : cipher.mobileIndex(r.evaluator().mobile()),
        applicant == null ? null : cipher.mobileIndex(applicant.mobile()));
  }

  private static OffsetDateTime micros(OffsetDateTime t) {
    return t == null ? null : t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  /** The device a rating came from: a window evaluator (sourceRef evaluator:{deviceId}:{msgId}) or a self-service terminal. */
  static String deviceOf(Rating r) {
    String ref = r.sourceRef();
    if (ref == null) {
      return null;
    }
    if (r.channel() == Channel.EVALUATOR && ref.startsWith("evaluator:")) {
      int end = ref.indexOf(':', 10);
      return end > 10 ? ref.substring(10, end) : null;
    }
    if (r.channel() == Channel.SELF_SERVICE_TERMINAL && ref.startsWith("terminal:")) {
      int end = ref.indexOf(':', 9);
      return end > 9 ? ref.substring(0, end) : null;
    }
    return null;
  }

  /** Observes one rating in a transaction of its own (tests; the consumer goes through the group writer). */
  void observe(Observed o) {
    observeAll(List.of(o));
  }

  private List<Void> observeAll(List<Observed> batch) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<String> listed = new ArrayList<>();
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        // (4), the rate jump, is a finding about a hall or a staff member, not about one rating, and
        // reads a month of their ratings: within a batch it is checked once for each, at its last
        // good rating, when every rating of the batch before it is in.
        Map<String, Observed> lastGood = new HashMap<>();
        for (Observed o : batch) {
          if (o.good()) {
            lastGood.put(jumpKey("hall_code", o.hallCode()), o);
            lastGood.put(jumpKey("staff_id", o.staffId()), o);
          }
        }
        for (Observed o : batch) {
          if (!insert(c, o, now)) {
            continue; // redelivered: its signals were computed with it
          }
          List<Hit> hits = signals(c, o, (column, key) -> lastGood.get(jumpKey(column, key)) == o);
          for (Hit h : hits) {
            flag(c, o, h, now);
          }
          if (!hits.isEmpty()) {
            listed.add(o.ratingId() + " " + hits.stream().map(h -> h.reason().name()).toList());
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot compute the integrity signals of " + batch.size() + " rating(s), first "
          + batch.get(0).ratingId(), e);
    }
    if (!listed.isEmpty()) {
      metrics.changed();
      listed.forEach(l -> LOG.info("Rating listed for integrity review: {}", l));
    }
    return java.util.Collections.nCopies(batch.size(), null);
  }

  private boolean insert(Connection c, Observed o, OffsetDateTime now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select 1 from integrity_ratings where rating_id = ?")) {
      ps.setString(1, o.ratingId());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return false;
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("insert into integrity_ratings (rating_id, case_no, channel, level, good, rated_at, "
        + "completed_at, device_id, hall_code, window_key, staff_id, evaluator_index, applicant_index, recorded_at) "
        + "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, o.ratingId());
      ps.setString(2, o.caseNo());
      ps.setString(3, o.channel().name());
      ps.setString(4, o.level());
      ps.setBoolean(5, o.good());
      ps.setObject(6, o.ratedAt());
      ps.setObject(7, o.completedAt());
      ps.setString(8, o.deviceId());
      ps.setString(9, o.hallCode());
      ps.setString(10, o.windowKey());
      ps.setString(11, o.staffId());
      ps.setString(12, o.evaluatorIndex());
      ps.setString(13, o.applicantIndex());
      ps.setObject(14, now);
      ps.executeUpdate();
    }
    return true;
  }

  // --- the five signals ------------------------------------------------------------------------

  private static String jumpKey(String column, String key) {
    return column + '\u0000' + key;
  }

  /**
   * @param checkJump whether the rate jump of a hall or staff member ({@code column}, {@code key})
   *     is to be checked at this rating
   */
  List<Hit> signals(Connection c, Observed o, java.util.function.BiPredicate<String, String> checkJump) throws SQLException {
    List<Hit> hits = new ArrayList<>();
    OffsetDateTime at = o.ratedAt();
    // (1) many good ratings from one device / one service window / one evaluator
    if (o.good()) {
      var v = rules.goodVolume();
      OffsetDateTime from = at.minus(v.window());
      volume(c, hits, o, IntegrityReason.GOOD_VOLUME_DEVICE, "DEVICE", "device_id", o.deviceId(), from, at, v.window(), v.perDevice(),
          "评价器 " + o.deviceId(), "device " + o.deviceId());
      volume(c, hits, o, IntegrityReason.GOOD_VOLUME_WINDOW, "WINDOW", "window_key", o.windowKey(), from, at, v.window(),
          v.perServiceWindow(), "窗口 " + o.windowKey(), "service window " + o.windowKey());
      volume(c, hits, o, IntegrityReason.GOOD_VOLUME_EVALUATOR, "EVALUATOR", "evaluator_index", o.evaluatorIndex(),
          at.minus(v.evaluatorWindow()), at, v.evaluatorWindow(), v.perEvaluator(), "评价人 " + pseudonym(o.evaluatorIndex()),
          "evaluator " + pseudonym(o.evaluatorIndex()));
    }
    // (2) faster than a person: seconds after the completion, or a burst from one source
    var s = rules.speed();
    String[] source = source(o);
    if (o.completedAt() != null && !at.isBefore(o.completedAt()) && Duration.between(o.completedAt(), at).compareTo(s.minAfterCompletion()) < 0) {
      long secs = Duration.between(o.completedAt(), at).toSeconds();
      hits.add(new Hit(IntegrityReason.TOO_FAST_AFTER_COMPLETION, source[0], source[1],
          "办件 " + o.caseNo() + " 办结后 " + secs + " 秒即评价（阈值 " + s.minAfterCompletion().toSeconds() + " 秒）",
          "case " + o.caseNo() + " rated " + secs + " s after completion (threshold " + s.minAfterCompletion().toSeconds() + " s)",
          "rating_id = ?", List.of(o.ratingId())));
    }
    if (!"CASE".equals(source[0])) {
      String column = switch (source[0]) {
        case "DEVICE" -> "device_id";
        case "EVALUATOR" -> "evaluator_index";
        default -> "window_key";
      };
      String key = switch (source[0]) {
        case "DEVICE" -> o.deviceId();
        case "EVALUATOR" -> o.evaluatorIndex();
        default -> o.windowKey();
      };
      OffsetDateTime from = at.minus(s.burstWindow());
      long cap = cap(s.burstCount());
      long n = bounded(c, "select 1 from integrity_ratings where " + column + " = ? and rated_at > ? and rated_at <= ?", key, from, at, cap);
      if (n >= s.burstCount()) {
        hits.add(new Hit(IntegrityReason.BURST, source[0], source[1],
            source[2] + " 在 " + minutes(s.burstWindow()) + " 内提交评价 " + shown(n, cap) + " 条（阈值 " + s.burstCount() + " 条）",
            source[3] + ": " + shown(n, cap) + " ratings within " + minutesEn(s.burstWindow()) + " (threshold " + s.burstCount() + ")",
            column + " = ? and rated_at > ? and rated_at <= ?", List.of(key, from, at.plus(s.burstWindow()))));
      } else {
        absorb(c, hits, IntegrityReason.BURST, source[0], key, o,
            "select 1 from integrity_ratings where " + column + " = ? and rated_at > ? and rated_at <= ?", s.burstWindow(), s.burstCount());
      }
    }
    // (3) one evaluator, the cases of many different applicants (002 第十一条: real-name, so it can be checked)
    var m = rules.manyApplicants();
    OffsetDateTime from = at.minus(m.window());
    if (o.evaluatorIndex() != null && countsTowardsManyApplicants(c, o, from, at)) {
      String where = "evaluator_index = ? and rated_at > ? and rated_at <= ? and applicant_index is not null and applicant_index <> evaluator_index";
      long cap = cap(m.applicants());
      long n = bounded(c, "select distinct applicant_index from integrity_ratings where " + where, o.evaluatorIndex(), from, at, cap);
      if (n >= m.applicants()) {
        String who = pseudonym(o.evaluatorIndex());
        hits.add(new Hit(IntegrityReason.MANY_APPLICANTS, "EVALUATOR", o.evaluatorIndex(),
            "评价人 " + who + " 在 " + days(m.window()) + " 天内评价了 " + shown(n, cap) + " 名不同申请人的办件（阈值 " + m.applicants() + " 名）",
            "evaluator " + who + " rated the cases of " + shown(n, cap) + " different applicants within " + days(m.window()) + " days (threshold "
                + m.applicants() + ")",
            where, List.of(o.evaluatorIndex(), from, at)));
      }
    }
    // (4) a sudden rise of a hall's or a staff member's good-rating rate against its own baseline
    if (o.good()) {
      if (checkJump.test("hall_code", o.hallCode())) {
        jump(c, hits, IntegrityReason.RATE_JUMP_HALL, "HALL", "hall_code", o.hallCode(), at, "大厅 ", "hall ");
      }
      if (checkJump.test("staff_id", o.staffId())) {
        jump(c, hits, IntegrityReason.RATE_JUMP_STAFF, "STAFF", "staff_id", o.staffId(), at, "工作人员 ", "staff member ");
      }
    }
    // (5) a device rating outside its hall's opening hours
    if (o.deviceId() != null && !OpeningHoursCheck.open(rules.openingHours(), o.hallCode(), at, calendar)) {
      var local = ChinaTime.of(at);
      hits.add(new Hit(IntegrityReason.OUTSIDE_OPENING_HOURS, "DEVICE", o.deviceId(),
          "评价器 " + o.deviceId() + " 于 " + local.toLocalDate() + " " + local.toLocalTime().withNano(0) + " 评价，大厅 " + o.hallCode()
              + " 不在办公时间",
          "device " + o.deviceId() + " rated at " + local.toLocalDate() + " " + local.toLocalTime().withNano(0) + ", outside the opening hours of hall "
              + o.hallCode(),
          "rating_id = ?", List.of(o.ratingId())));
    }
    return hits;
  }

  /**
   * Whether a rating can change the evaluator's count of different applicants, or must join the open
   * flag: a rating of the evaluator's own case or of a case without an applicant is not counted at all;
   * a rating of an applicant this evaluator already rated within the window adds no one, so it is
   * checked only while the evaluator is flagged (and then listed). Counting distinct applicants reads
   * every rating of the evaluator in the window (days long): an agent filing hundreds of cases for one
   * company, or a citizen rating many of their own, made that a read of the whole history per rating.
   */
  private static boolean countsTowardsManyApplicants(Connection c, Observed o, OffsetDateTime from, OffsetDateTime at)
      throws SQLException {
    if (o.applicantIndex() == null || o.applicantIndex().equals(o.evaluatorIndex())) {
      return false;
    }
    try (PreparedStatement ps = c.prepareStatement("select 1 from integrity_ratings where evaluator_index = ? and applicant_index = ? "
        + "and rated_at > ? and rated_at <= ? and rating_id <> ? limit 1")) {
      ps.setString(1, o.evaluatorIndex());
      ps.setString(2, o.applicantIndex());
      ps.setObject(3, from);
      ps.setObject(4, at);
      ps.setString(5, o.ratingId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return true; // a new applicant for this evaluator
        }
      }
    }
    return openFlag(c, openKey(IntegrityReason.MANY_APPLICANTS, "EVALUATOR", o.evaluatorIndex()));
  }

  private void volume(Connection c, List<Hit> hits, Observed o, IntegrityReason reason, String kind, String column, String key,
      OffsetDateTime from, OffsetDateTime to, Duration window, int threshold, String who, String whoEn) throws SQLException {
    if (key == null || threshold <= 0) {
      return;
    }
    String where = column + " = ? and good = true and rated_at > ? and rated_at <= ?";
    long cap = cap(threshold);
    long n = bounded(c, "select 1 from integrity_ratings where " + where, key, from, to, cap);
    if (n >= threshold) {
      hits.add(new Hit(reason, kind, key, who + " 在 " + minutes(window) + " 内好评 " + shown(n, cap) + " 条（阈值 " + threshold + " 条）",
          whoEn + ": " + shown(n, cap) + " good ratings within " + minutesEn(window) + " (threshold " + threshold + ")", where,
          // the ratings of the cluster either side: one processed before the threshold was reached is listed too
          List.of(key, from, to.plus(window))));
    } else {
      absorb(c, hits, reason, kind, key, o, "select 1 from integrity_ratings where " + where, window, threshold);
    }
  }

  /**
   * A rating that does not reach the threshold looking back, but is one of the threshold within a
   * window either side and its subject has an open flag of this reason, joins that flag: it was
   * rated early in the burst and observed late (ratings reach this consumer in any order, from
   * several nodes and batches), so the ratings after it were counted and those before it not yet.
   * The flag keeps its detail. (Joining needs the density either side, not mere nearness to the
   * flag, so that an open flag does not go on taking every later rating of its subject.)
   */
  private static void absorb(Connection c, List<Hit> hits, IntegrityReason reason, String kind, String key, Observed o,
      String rowsSql, Duration window, int threshold) throws SQLException {
    if (key == null) {
      return;
    }
    if (!openFlag(c, openKey(reason, kind, key))) {
      return;
    }
    if (bounded(c, rowsSql, key, o.ratedAt().minus(window), o.ratedAt().plus(window), threshold) >= threshold) {
      hits.add(new Hit(reason, kind, key, null, null, "rating_id = ?", List.of(o.ratingId())));
    }
  }

  private void jump(Connection c, List<Hit> hits, IntegrityReason reason, String kind, String column, String key, OffsetDateTime at,
      String who, String whoEn) throws SQLException {
    var j = rules.rateJump();
    if (key == null) {
      return;
    }
    // A trend over a day against a month: checked again for the same hall or staff member only when
    // a good rating a minute or more later comes, not for every rating of a busy hall.
    OffsetDateTime checked = jumpCheckedAt.get(jumpKey(column, key));
    if (checked != null && !at.isBefore(checked) && at.isBefore(checked.plus(JUMP_RECHECK))) {
      return;
    }
    jumpCheckedAt.put(jumpKey(column, key), at);
    OffsetDateTime recentFrom = at.minus(j.recent());
    OffsetDateTime baseFrom = recentFrom.minus(j.baseline());
    long[] recent = goodOf(c, column, key, recentFrom, at);
    if (recent[0] < j.minRecent()) {
      return;
    }
    long[] base = goodOf(c, column, key, baseFrom, recentFrom);
    if (base[0] < j.minBaseline()) {
      return;
    }
    double recentRate = 100.0 * recent[1] / recent[0];
    double baseRate = 100.0 * base[1] / base[0];
    if (recentRate - baseRate >= j.jumpPoints()) {
      hits.add(new Hit(reason, kind, key,
          who + key + " 近 " + days(j.recent()) + " 天好评率 " + Math.round(recentRate) + "%（" + recent[0] + " 条），此前 " + days(j.baseline())
              + " 天为 " + Math.round(baseRate) + "%（" + base[0] + " 条），升幅达 " + j.jumpPoints() + " 个百分点",
          whoEn + key + ": good-rating rate " + Math.round(recentRate) + "% over the last " + days(j.recent()) + " days (" + recent[0]
              + " ratings) against " + Math.round(baseRate) + "% over the " + days(j.baseline()) + " days before (" + base[0]
              + "), a rise of " + j.jumpPoints() + " points or more",
          column + " = ? and good = true and rated_at > ? and rated_at <= ?", List.of(key, recentFrom, at)));
    }
  }

  private static long[] goodOf(Connection c, String column, String key, OffsetDateTime from, OffsetDateTime to) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select count(*), coalesce(sum(case when good then 1 else 0 end), 0) from integrity_ratings where "
        + column + " = ? and rated_at > ? and rated_at <= ?")) {
      ps.setString(1, key);
      ps.setObject(2, from);
      ps.setObject(3, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /** The source of a rating for the burst and speed signals: its device, else its evaluator, else its window, else its case. */
  private static String[] source(Observed o) {
    if (o.deviceId() != null) {
      return new String[] {"DEVICE", o.deviceId(), "评价器 " + o.deviceId(), "device " + o.deviceId()};
    }
    if (o.evaluatorIndex() != null) {
      String who = pseudonym(o.evaluatorIndex());
      return new String[] {"EVALUATOR", o.evaluatorIndex(), "评价人 " + who, "evaluator " + who};
    }
    if (o.windowKey() != null) {
      return new String[] {"WINDOW", o.windowKey(), "窗口 " + o.windowKey(), "service window " + o.windowKey()};
    }
    return new String[] {"CASE", o.caseNo(), "办件 " + o.caseNo(), "case " + o.caseNo()};
  }

  // --- flags ------------------------------------------------------------------------------------

  /**
   * Opens the flag of this reason and subject, or joins the open one, and lists the ratings the signal is about —
   * leaving out those a reviewer already decided on for the same reason and subject.
   */
  private void flag(Connection c, Observed o, Hit h, OffsetDateTime now) throws SQLException {
    String openKey = openKey(h.reason(), h.kind(), h.subject());
    String flagId = null;
    try (PreparedStatement ps = c.prepareStatement("select flag_id from integrity_flags where open_key = ? for update")) {
      ps.setString(1, openKey);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          flagId = rs.getString(1);
        }
      }
    }
    boolean joined = flagId != null;
    if (!joined) {
      flagId = UUID.randomUUID().toString();
      try (PreparedStatement ps = c.prepareStatement("insert into integrity_flags (flag_id, reason, subject_kind, subject, open_key, status, "
          + "hall_code, device_id, staff_id, detail, detail_en, first_rated_at, last_rated_at, created_at, updated_at) "
          + "values (?,?,?,?,?,'OPEN',?,?,?,?,?,?,?,?,?)")) {
        ps.setString(1, flagId);
        ps.setString(2, h.reason().name());
        ps.setString(3, h.kind());
        ps.setString(4, h.subject());
        ps.setString(5, openKey);
        ps.setString(6, o.hallCode());
        ps.setString(7, "DEVICE".equals(h.kind()) ? h.subject() : o.deviceId());
        ps.setString(8, "STAFF".equals(h.kind()) ? h.subject() : o.staffId());
        ps.setString(9, cut(h.detail()));
        ps.setString(10, cut(h.detailEn()));
        ps.setObject(11, o.ratedAt());
        ps.setObject(12, o.ratedAt());
        ps.setObject(13, now);
        ps.setObject(14, now);
        ps.executeUpdate();
      }
    } else {
      try (PreparedStatement ps = c.prepareStatement("update integrity_flags set detail = coalesce(?, detail), detail_en = coalesce(?, detail_en), updated_at = ?, "
          + "last_rated_at = case when last_rated_at < ? then ? else last_rated_at end, "
          + "first_rated_at = case when first_rated_at > ? then ? else first_rated_at end where flag_id = ?")) {
        ps.setString(1, h.detail() == null ? null : cut(h.detail()));
        ps.setString(2, h.detailEn() == null ? null : cut(h.detailEn()));
        ps.setObject(3, now);
        ps.setObject(4, o.ratedAt());
        ps.setObject(5, o.ratedAt());
        ps.setObject(6, o.ratedAt());
        ps.setObject(7, o.ratedAt());
        ps.setString(8, flagId);
        ps.executeUpdate();
      }
    }
    // A new flag lists the whole cluster the signal counted; an open one that this rating joins
    // only takes this rating (the others are listed already): re-listing the window for every
    // rating of a long burst made each one cost as much as all before it.
    String where = joined ? "rating_id = ?" : h.where();
    List<Object> args = joined ? List.of(o.ratingId()) : h.args();
    String sql = "insert into integrity_flag_ratings (flag_id, rating_id, added_at) select cast(? as varchar(36)), r.rating_id, cast(? as timestamp with time zone) from integrity_ratings r where "
        + where.replace("rating_id", "r.rating_id")
        + " and not exists (select 1 from integrity_flag_ratings x join integrity_flags f on f.flag_id = x.flag_id"
        + " where x.rating_id = r.rating_id and (x.flag_id = ? or (f.reason = ? and f.subject_kind = ? and f.subject = ?)))";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, flagId);
      ps.setObject(i++, now);
      for (Object a : args) {
        ps.setObject(i++, a);
      }
      ps.setString(i++, flagId);
      ps.setString(i++, h.reason().name());
      ps.setString(i++, h.kind());
      ps.setString(i, h.subject());
      ps.executeUpdate();
    }
  }

  // --- helpers ------------------------------------------------------------------------------------

  /**
   * The rows {@code rowsSql} selects, counted up to {@code cap}: a threshold only needs to know
   * "at least", and an unbounded count made every rating of a long burst (one window rated
   * thousands of times) read all the ratings before it.
   */
  private static long bounded(Connection c, String rowsSql, String key, OffsetDateTime from, OffsetDateTime to, long cap)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select count(*) from (" + rowsSql + " limit ?) bounded")) {
      ps.setString(1, key);
      ps.setObject(2, from);
      ps.setObject(3, to);
      ps.setLong(4, cap);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * How far a count is taken: twice the threshold (at least 20). A signal needs only to know the
   * threshold is reached; the detail then says "40+" and the flag lists every rating. Counting a
   * busy window to the end would read hundreds of rows for every rating.
   */
  private static long cap(int threshold) {
    return Math.max(2L * threshold, 20);
  }

  private static boolean openFlag(Connection c, String openKey) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select 1 from integrity_flags where open_key = ?")) {
      ps.setString(1, openKey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The key an open flag of this reason and subject holds (unique while it is open). */
  private static String openKey(IntegrityReason reason, String kind, String subject) {
    return reason.name() + "|" + kind + "|" + subject;
  }

  private static String shown(long n, long cap) {
    return n >= cap ? cap + "+" : String.valueOf(n);
  }

  /** An evaluator as the review shows it: 8 characters of the keyed hash, never the mobile (002 第十一条). */
  static String pseudonym(String index) {
    return index == null ? null : "#" + index.substring(0, Math.min(8, index.length()));
  }

  private static String minutes(Duration d) {
    return d.toMinutes() + " 分钟";
  }

  private static String minutesEn(Duration d) {
    return d.toMinutes() + " min";
  }

  private static long days(Duration d) {
    return Math.max(1, d.toDays());
  }

  private static String cut(String s) {
    return s.length() <= 1000 ? s : s.substring(0, 1000);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
