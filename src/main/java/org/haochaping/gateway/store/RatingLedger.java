package org.haochaping.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.Target;

/**
 * The rating table: every rating the broker delivered to the {@code ledger} queue, with its
 * forwarding status. Writes are idempotent on ratingId, so a redelivery stores nothing twice.
 */
public final class RatingLedger {

  /** Where a rating stands, as {@code GET /api/v1/ratings/{id}} shows it. No personal data. */
  public record Entry(
      String ratingId, String status, String statusDetail, String caseNo, int assessNumber, String stage,
      String channel, String level, int score, boolean defaulted, OffsetDateTime ratedAt,
      OffsetDateTime receivedAt, OffsetDateTime forwardedAt) {}

  private final Database db;
  private final PersonalDataCipher cipher;
  private final Clock clock;
  private final QuestionnaireAnswers answers;

  public RatingLedger(Database db, PersonalDataCipher cipher, Clock clock) {
    this(db, cipher, clock, new QuestionnaireAnswers(db, org.haochaping.gateway.policy.Questionnaires.NONE));
  }

  /** @param answers where a rating's questionnaire answers go, in the rating's transaction (000 第八条) */
  public RatingLedger(Database db, PersonalDataCipher cipher, Clock clock, QuestionnaireAnswers answers) {
    this.db = db;
    this.cipher = cipher;
    this.clock = clock;
    this.answers = answers;
  }

  /** Stores the ratings in one transaction; ratings already stored are left as they are. Returns how many were new. */
  public int record(List<Rating> unordered, List<String> unorderedKeys) {
    // In natural-key order: two nodes storing overlapping ratings (the ledger consumer and forwarding,
    // or a redelivery) then take the key locks in the same order and never deadlock (chaos suite).
    List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, unordered.size()).boxed().toList());
    order.sort(java.util.Comparator.comparing(unorderedKeys::get));
    List<Rating> ratings = order.stream().map(unordered::get).toList();
    List<String> naturalKeys = order.stream().map(unorderedKeys::get).toList();
    String sql = "insert into ratings (rating_id, natural_key, source_ref, case_no, assess_number, stage, channel, level, "
        + "score, tags, comment_text, target_type, task_code, item_name, dept_code, staff_id, hall_code, window_no, "
        + "area_code, business_line, visit_id, evaluator_sealed, rated_at, received_at, defaulted, status, recorded_at) "
        + "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) on conflict do nothing";
    OffsetDateTime now = OffsetDateTime.now(clock);
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int n = 0; n < ratings.size(); n++) {
          Rating r = ratings.get(n);
          Target t = r.target();
          int i = 1;
          ps.setString(i++, r.ratingId());
          ps.setString(i++, naturalKeys.get(n));
          ps.setString(i++, r.sourceRef());
          ps.setString(i++, r.caseNo());
          ps.setInt(i++, r.assessNumber());
          ps.setString(i++, r.stage().name());
          ps.setString(i++, r.channel().name());
          ps.setString(i++, r.level().name());
          ps.setInt(i++, r.score());
          ps.setString(i++, r.tags().isEmpty() ? null : String.join(",", r.tags()));
          ps.setString(i++, r.comment());
          ps.setString(i++, t.type().name());
          ps.setString(i++, t.taskCode());
          ps.setString(i++, t.itemName());
          ps.setString(i++, t.deptCode());
          ps.setString(i++, t.staffId());
          ps.setString(i++, t.hallCode());
          ps.setString(i++, t.windowNo());
          ps.setString(i++, t.areaCode());
          ps.setString(i++, t.businessLine());
          ps.setString(i++, r.visitId());
          ps.setString(i++, cipher.seal(r.evaluator()));
          Sql.setTime(ps, i++, r.ratedAt());
          Sql.setTime(ps, i++, r.receivedAt());
          ps.setBoolean(i++, r.defaulted());
          ps.setString(i++, "ACCEPTED");
          Sql.setTime(ps, i, now);
          ps.addBatch();
        }
        int added = 0;
        for (int count : ps.executeBatch()) {
          added += count > 0 ? 1 : 0;
        }
        answers.insert(c, ratings);
        c.commit();
        return added;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot record " + ratings.size() + " ratings", e);
    }
  }

  public Optional<Entry> find(String ratingId) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select rating_id, status, status_detail, case_no, assess_number, stage, "
            + "channel, level, score, defaulted, rated_at, received_at, forwarded_at from ratings where rating_id = ?")) {
      ps.setString(1, ratingId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Entry(rs.getString("rating_id"), rs.getString("status"), rs.getString("status_detail"),
            rs.getString("case_no"), rs.getInt("assess_number"), rs.getString("stage"), rs.getString("channel"),
            rs.getString("level"), rs.getInt("score"), rs.getBoolean("defaulted"), Sql.time(rs, "rated_at"),
            Sql.time(rs, "received_at"), Sql.time(rs, "forwarded_at")));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read rating " + ratingId, e);
    }
  }

  /** Ratings stored since {@code since}, per channel: the console's "today". */
  public java.util.Map<String, Long> countByChannelSince(OffsetDateTime since) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select channel, count(*) from ratings where received_at >= ? group by channel")) {
      Sql.setTime(ps, 1, since);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot count today's ratings", e);
    }
    return out;
  }

  /** How many ratings the ledger holds; for tests, the soak and health. */
  public long count() {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select count(*) from ratings");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException("cannot count ratings", e);
    }
  }
}
