package org.haochaping.gateway.sms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.model.Target;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.policy.RatingIdentity;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.PersonalDataCipher;
import org.haochaping.gateway.store.StoreException;

/**
 * Whether a case has been rated, so that no prompt or reminder asks again (000 第二十条: the reminder
 * is for "评价人24小时内未做出评价"). A case counts as rated when its item rating (first rating, overall)
 * holds its idempotency key, which every channel claims before answering (so a rating accepted a
 * moment ago counts), or when the ledger holds any rating of it (a window rating of the staff too).
 */
public final class RatedCases {

  private final Database db;
  private final PersonalDataCipher cipher;

  public RatedCases(Database db, PersonalDataCipher cipher) {
    this.db = db;
    this.cipher = cipher;
  }

  /**
   * Who made the bad rating a work order is about: the rating named by {@code ratingId}, else the
   * case's latest 不满意/非常不满意 in the ledger. Empty when the ledger has neither (or no evaluator).
   */
  public Optional<Person> badRatingEvaluator(String caseNo, String ratingId) {
    String sql = ratingId != null && !ratingId.isBlank()
        ? "select evaluator_sealed from ratings where rating_id = ?"
        : "select evaluator_sealed from ratings where case_no = ? and level in ('DISSATISFIED', 'VERY_DISSATISFIED') "
            + "order by received_at desc";
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, ratingId != null && !ratingId.isBlank() ? ratingId : caseNo);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Person p = cipher.openPerson(rs.getString(1));
          if (p != null && p.mobile() != null && !p.mobile().isBlank()) {
            return Optional.of(p);
          }
        }
        return Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the evaluator of case " + caseNo, e);
    }
  }

  public boolean isRated(String caseNo) {
    try (Connection c = db.connection()) {
      try (PreparedStatement ps = c.prepareStatement("select 1 from idempotency_keys where natural_key = ?")) {
        ps.setString(1, itemKey(caseNo));
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return true;
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("select 1 from ratings where case_no = ?")) {
        ps.setString(1, caseNo);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot tell whether case " + caseNo + " is rated", e);
    }
  }

  /** The natural key of the case's first overall rating of the item (RatingIdentity). */
  static String itemKey(String caseNo) {
    Rating probe = new Rating(null, null, caseNo, 1, Stage.OVERALL, Channel.SMS, Level.SATISFIED, Level.SATISFIED.score(), List.of(),
        null, new Target(TargetType.ITEM, null, null, null, null, null, null, null, null), null, null, null, null, false);
    return RatingIdentity.naturalKey(probe);
  }
}
