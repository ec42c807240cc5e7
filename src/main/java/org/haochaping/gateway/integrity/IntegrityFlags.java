package org.haochaping.gateway.integrity;

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
import java.util.Optional;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.model.AppealReason;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;
import org.haochaping.gateway.workorder.RatingCorrections;
import org.haochaping.gateway.workorder.Refused;

/**
 * The review of integrity flags: list, read, confirm, dismiss. Answers carry no evaluator data: an evaluator
 * subject is shown as a pseudonym (8 characters of its keyed hash), never a mobile or a name (002 第十一条).
 *
 * <p>Confirming a flag is 002 第十二条's 查处 found true: each listed rating is corrected through the same path
 * as an upheld appeal ({@link RatingCorrections}, reason {@link AppealReason#MANIPULATED}): the ledger row stays,
 * marked, RATING_CORRECTED goes out on {@code lifecycle-events}, and the statistics take the rating out once.
 */
public final class IntegrityFlags {

  public static final int MAX_RATINGS_SHOWN = 500;

  private final Database db;
  private final RatingCorrections corrections;
  private final IntegrityMetrics metrics;
  private final Clock clock;

  public IntegrityFlags(Database db, RatingCorrections corrections, IntegrityMetrics metrics, Clock clock) {
    this.db = db;
    this.corrections = corrections;
    this.metrics = metrics;
    this.clock = clock;
  }

  public record Filter(String status, String reason, String hallCode, String deviceId) {}

  /** {total, limit, offset, items}, newest first. */
  public Map<String, Object> list(Filter f, int limit, int offset) {
    StringBuilder where = new StringBuilder(" where 1 = 1");
    List<String> args = new ArrayList<>();
    add(where, args, "status", f.status());
    add(where, args, "reason", f.reason());
    add(where, args, "hall_code", f.hallCode());
    add(where, args, "device_id", f.deviceId());
    try (Connection c = db.connection()) {
      long total;
      try (PreparedStatement ps = c.prepareStatement("select count(*) from integrity_flags f" + where)) {
        bind(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      List<Map<String, Object>> items = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(SELECT + where + " order by f.created_at desc, f.flag_id limit ? offset ?")) {
        int i = bind(ps, args);
        ps.setInt(i++, limit);
        ps.setInt(i, offset);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            items.add(view(rs));
          }
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("total", total);
      out.put("limit", limit);
      out.put("offset", offset);
      out.put("items", items);
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot list the integrity flags", e);
    }
  }

  /** The flag with the ratings it lists (at most {@value #MAX_RATINGS_SHOWN}, oldest first). */
  public Optional<Map<String, Object>> find(String flagId) {
    try (Connection c = db.connection()) {
      Map<String, Object> flag;
      try (PreparedStatement ps = c.prepareStatement(SELECT + " where f.flag_id = ?")) {
        ps.setString(1, flagId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          flag = view(rs);
        }
      }
      List<Map<String, Object>> ratings = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("select r.rating_id, r.case_no, r.channel, r.level, r.rated_at, r.completed_at, r.device_id, "
          + "r.hall_code, r.window_key, r.staff_id, l.corrected, l.correction_reason from integrity_flag_ratings x "
          + "join integrity_ratings r on r.rating_id = x.rating_id left join ratings l on l.rating_id = x.rating_id "
          + "where x.flag_id = ? order by r.rated_at, r.rating_id")) {
        ps.setString(1, flagId);
        ps.setMaxRows(MAX_RATINGS_SHOWN);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ratingId", rs.getString(1));
            r.put("caseNo", rs.getString(2));
            r.put("channel", rs.getString(3));
            r.put("level", rs.getString(4));
            r.put("ratedAt", rs.getObject(5, OffsetDateTime.class));
            r.put("completedAt", rs.getObject(6, OffsetDateTime.class));
            r.put("deviceId", rs.getString(7));
            r.put("hallCode", rs.getString(8));
            r.put("serviceWindow", rs.getString(9));
            r.put("staffId", rs.getString(10));
            r.put("corrected", rs.getBoolean(11));
            r.put("correctionReason", rs.getString(12));
            r.values().removeIf(java.util.Objects::isNull);
            ratings.add(r);
          }
        }
      }
      flag.put("ratings", ratings);
      return Optional.of(flag);
    } catch (SQLException e) {
      throw new StoreException("cannot read integrity flag " + flagId, e);
    }
  }

  /**
   * Confirmed manipulation: every listed rating not corrected yet is corrected (MANIPULATED, the reviewer's note),
   * in one transaction with the flag's decision. Returns the flag as it is now.
   */
  public Map<String, Object> confirm(String flagId, String actor, String note) {
    decide(flagId, actor, note, true);
    return find(flagId).orElseThrow();
  }

  /** Not manipulation: the flag is closed, its ratings stay as they are. */
  public Map<String, Object> dismiss(String flagId, String actor, String note) {
    decide(flagId, actor, note, false);
    return find(flagId).orElseThrow();
  }

  private void decide(String flagId, String actor, String note, boolean confirmed) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        String status;
        try (PreparedStatement ps = c.prepareStatement("select status from integrity_flags where flag_id = ? for update")) {
          ps.setString(1, flagId);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw Refused.notFound("没有完整性标记 " + flagId, "no integrity flag " + flagId);
            }
            status = rs.getString(1);
          }
        }
        if (!"OPEN".equals(status)) {
          throw new Refused(Problem.of(409, "STATE_CONFLICT", "当前状态不允许该操作", "The current state does not allow this",
              List.of(org.haochaping.gateway.policy.Violation.notAllowed("status", "flagNotOpen",
                  "该标记已复核（" + status + "），不能再" + (confirmed ? "确认" : "驳回"),
                  "the flag was reviewed already (" + status + "); it cannot be " + (confirmed ? "confirmed" : "dismissed")))));
        }
        int corrected = 0;
        if (confirmed) {
          List<String[]> open = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement("select r.rating_id, r.case_no, l.corrected from integrity_flag_ratings x "
              + "join integrity_ratings r on r.rating_id = x.rating_id left join ratings l on l.rating_id = x.rating_id "
              + "where x.flag_id = ? order by r.rating_id")) {
            ps.setString(1, flagId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                boolean done = rs.getBoolean(3);
                if (!done) {
                  open.add(new String[] {rs.getString(1), rs.getString(2)});
                }
              }
            }
          }
          for (String[] r : open) {
            // 002 第十二条: 弄虚作假刷"好评" found true -> the rating leaves the statistics, recorded as such.
            corrections.correct(c, r[0], r[1], AppealReason.MANIPULATED, "完整性标记 integrity flag " + flagId + ": " + note, actor, null);
            corrected++;
          }
        }
        try (PreparedStatement ps = c.prepareStatement("update integrity_flags set status = ?, open_key = null, reviewed_by = ?, "
            + "reviewed_at = ?, review_note = ?, corrected = ?, updated_at = ? where flag_id = ?")) {
          ps.setString(1, confirmed ? "CONFIRMED" : "DISMISSED");
          ps.setString(2, actor);
          ps.setObject(3, now);
          ps.setString(4, note);
          ps.setInt(5, corrected);
          ps.setObject(6, now);
          ps.setString(7, flagId);
          ps.executeUpdate();
        }
        c.commit();
        metrics.changed();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot decide integrity flag " + flagId, e);
    }
  }

  private static final String SELECT = "select f.flag_id, f.reason, f.subject_kind, f.subject, f.status, f.hall_code, f.device_id, f.staff_id, "
      + "f.detail, f.detail_en, f.first_rated_at, f.last_rated_at, f.created_at, f.updated_at, f.reviewed_by, f.reviewed_at, f.review_note, "
      + "f.corrected, (select count(*) from integrity_flag_ratings x where x.flag_id = f.flag_id) from integrity_flags f";

  private static Map<String, Object> view(ResultSet rs) throws SQLException {
    Map<String, Object> v = new LinkedHashMap<>();
    IntegrityReason reason = IntegrityReason.parse(rs.getString(2));
    String kind = rs.getString(3);
    v.put("flagId", rs.getString(1));
    v.put("reason", rs.getString(2));
    v.put("reasonLabel", reason == null ? null : reason.label());
    v.put("reasonLabelEn", reason == null ? null : reason.labelEn());
    v.put("status", rs.getString(5));
    v.put("subjectKind", kind);
    // An evaluator is a keyed hash of a mobile: shown shortened, as a pseudonym, never in full.
    v.put("subject", "EVALUATOR".equals(kind) ? IntegritySignals.pseudonym(rs.getString(4)) : rs.getString(4));
    v.put("hallCode", rs.getString(6));
    v.put("deviceId", rs.getString(7));
    v.put("staffId", rs.getString(8));
    v.put("detail", rs.getString(9));
    v.put("detailEn", rs.getString(10));
    v.put("ratingCount", rs.getLong(19));
    v.put("firstRatedAt", rs.getObject(11, OffsetDateTime.class));
    v.put("lastRatedAt", rs.getObject(12, OffsetDateTime.class));
    v.put("createdAt", rs.getObject(13, OffsetDateTime.class));
    v.put("updatedAt", rs.getObject(14, OffsetDateTime.class));
    v.put("reviewedBy", rs.getString(15));
    v.put("reviewedAt", rs.getObject(16, OffsetDateTime.class));
    v.put("reviewNote", rs.getString(17));
    int corrected = rs.getInt(18);
    v.put("correctedRatings", rs.wasNull() ? null : corrected);
    v.values().removeIf(java.util.Objects::isNull);
    return v;
  }

  private static void add(StringBuilder where, List<String> args, String column, String value) {
    if (value != null) {
      where.append(" and f.").append(column).append(" = ?");
      args.add(value);
    }
  }

  private static int bind(PreparedStatement ps, List<String> args) throws SQLException {
    int i = 1;
    for (String a : args) {
      ps.setString(i++, a);
    }
    return i;
  }
}
