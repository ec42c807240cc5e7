package org.haochaping.gateway.workorder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.model.AppealReason;
import org.haochaping.gateway.timers.LifecycleOutbox;

/**
 * Corrects a bad rating (000 第二十五条: 误评/恶意评价 修正; 002 第十三条: system-caused 撤销): the ledger
 * row stays and is marked {@code corrected = true} with the reason, so every statistic leaves it out,
 * and RATING_CORRECTED goes out on {@code lifecycle-events} for the forwarding module to tell the
 * provincial platform.
 */
public final class RatingCorrections {

  private final LifecycleOutbox outbox;
  private final Clock clock;

  public RatingCorrections(LifecycleOutbox outbox, Clock clock) {
    this.outbox = outbox;
    this.clock = clock;
  }

  /** In the caller's transaction. Refused (409) when the ledger does not hold the rating yet. */
  public void correct(Connection c, String ratingId, String caseNo, AppealReason reason, String note, String actor, String workOrderId)
      throws SQLException {
    OffsetDateTime now = OffsetDateTime.now(clock);
    try (PreparedStatement ps = c.prepareStatement("update ratings set corrected = true, correction_reason = ?, correction_note = ?, "
        + "corrected_at = ?, corrected_by = ? where rating_id = ? and corrected = false")) {
      ps.setString(1, reason.name());
      ps.setString(2, note == null || note.length() <= 1000 ? note : note.substring(0, 1000));
      ps.setObject(3, now);
      ps.setString(4, actor);
      ps.setString(5, ratingId);
      if (ps.executeUpdate() == 0 && !exists(c, ratingId)) {
        throw new Refused(Problem.of(409, "RATING_NOT_RECORDED", "评价尚未入账，暂不能修正", "The rating is not in the ledger yet",
            "评价 " + ratingId + " 还未写入评价库，请稍后重试 / rating " + ratingId + " is not recorded yet; retry shortly"));
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("ratingId", ratingId);
    data.put("reason", reason);
    data.put("reasonLabel", reason.label());
    data.put("workOrderId", workOrderId);
    data.put("correctedBy", actor);
    data.put("correctedAt", now);
    outbox.add(c, outbox.event("RATING_CORRECTED", ratingId, caseNo, data));
  }

  private static boolean exists(Connection c, String ratingId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select 1 from ratings where rating_id = ?")) {
      ps.setString(1, ratingId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The columns the statistics module must honour, for docs and checks. */
  public static final List<String> COLUMNS = List.of("corrected", "correction_reason", "correction_note", "corrected_at", "corrected_by");
}
