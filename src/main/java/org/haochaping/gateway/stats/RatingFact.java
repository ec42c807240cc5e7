package org.haochaping.gateway.stats;

import java.time.LocalDate;
import java.util.List;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.Target;
import org.haochaping.gateway.model.TargetType;

/**
 * What a rating adds to the statistics, and nothing more: no evaluator, no text. Kept in
 * {@code stats_ratings} so that a correction subtracts exactly what was added.
 *
 * @param day the China-time day of {@code ratedAt}: the period a rating belongs to
 */
public record RatingFact(
    String ratingId,
    String caseNo,
    LocalDate day,
    String areaCode,
    String deptCode,
    String taskCode,
    String staffId,
    String hallCode,
    String businessLine,
    Channel channel,
    TargetType targetType,
    Level level,
    List<String> tags,
    boolean defaulted) {

  public RatingFact {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  public static RatingFact of(Rating r) {
    Target t = r.target();
    return new RatingFact(r.ratingId(), r.caseNo(), ChinaTime.of(r.ratedAt()).toLocalDate(), t.areaCode(), t.deptCode(), t.taskCode(),
        t.staffId(), t.hallCode(), t.businessLine(), r.channel(), t.type(), r.level(), r.tags(), r.defaulted());
  }

  /**
   * Given by a person (参评率: 主动评价, 000 第二十二条): not the 7-day default 非常满意 (000 第二十条, 002 第八条).
   * A batch or theme rating applied to another case (000 第十八条/第十九条) was given by a person, so it is active.
   */
  public boolean active() {
    return !defaulted && channel != Channel.SYSTEM_DEFAULT;
  }

  /** The unit code of this rating in a stored dimension; null when the rating has none there. */
  String code(Dimension d) {
    return switch (d) {
      case ITEM -> orEmpty(taskCode);
      case AGENCY -> orEmpty(deptCode);
      case STAFF -> staffId;
      case BUSINESS_LINE -> businessLine;
      case HALL -> hallCode;
      default -> throw new IllegalArgumentException(d + " is not stored");
    };
  }

  static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
