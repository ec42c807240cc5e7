package org.haochaping.gateway.stats;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.WorkOrderState;
import org.haochaping.gateway.policy.StatisticsRules;

/**
 * The marks a case or a work order adds to the counters, from its current state. Counters change by
 * the difference between the marks before and after, so replaying any event changes nothing.
 */
final class Marks {

  static final String CASES = "CASES";
  /** 参评率 (000 第二十二条): 主动评价的办件 — a rating a person gave, not the default. */
  static final String ACTIVE = "ACTIVE";
  /** Rated in any way, the default included. */
  static final String RATED = "RATED";
  static final String CHANNEL = "CH:";
  static final String GROUP = "G:";

  static final String WO_TOTAL = "WO_TOTAL";
  static final String WO_HANDLED = "WO_HANDLED";
  static final String WO_RECTIFIED = "WO_RECTIFIED";

  private Marks() {}

  /** One rating of a case that counts (not corrected): its channel and whether a person gave it. */
  record CaseRating(Channel channel, boolean active) {}

  /**
   * A case's marks: it is a case; rated; actively rated; rated in channel X; covered by group G
   * (000 第二十二条: 该渠道有评价的办件 — a rating a person gave through one of the group's channels).
   */
  static Set<String> ofCase(Collection<CaseRating> ratings, StatisticsRules rules) {
    Set<String> marks = new TreeSet<>();
    marks.add(CASES);
    for (CaseRating r : ratings) {
      marks.add(RATED);
      marks.add(CHANNEL + r.channel().name());
      if (r.active()) {
        marks.add(ACTIVE);
        for (StatisticsRules.CoverageGroup g : rules.coverageGroups()) {
          if (g.channels().contains(r.channel())) {
            marks.add(GROUP + g.code());
          }
        }
      }
    }
    return marks;
  }

  /**
   * A work order's marks (000 第二十二条 ④: 差评整改率 = 处理工单数 / 总工单数).
   * <ul>
   *   <li>counted at all unless its bad rating was corrected (误评/恶意评价 000 第二十五条, system-caused 002
   *       第十三条): a corrected rating leaves every statistic, and its work order is no 差评工单 any more;
   *   <li>处理 (handled): rectified (已整改 and after), or verified and found 不属实/恶意评价 — nothing to rectify;
   *   <li>rectified: reached 已整改.
   * </ul>
   */
  static Set<String> ofWorkOrder(WorkOrderState state, String resolution, boolean rectified, boolean ratingCorrected) {
    Set<String> marks = new TreeSet<>();
    if (ratingCorrected || "CORRECTED".equals(resolution)) {
      return marks;
    }
    marks.add(WO_TOTAL);
    boolean unfounded = state == WorkOrderState.UNFOUNDED || state == WorkOrderState.MALICIOUS
        || (state == WorkOrderState.CLOSED && ("UNFOUNDED".equals(resolution) || "MALICIOUS".equals(resolution)));
    if (rectified) {
      marks.add(WO_RECTIFIED);
    }
    if (rectified || unfounded) {
      marks.add(WO_HANDLED);
    }
    return marks;
  }

  static Set<String> parse(String text) {
    Set<String> marks = new TreeSet<>();
    if (text != null && !text.isBlank()) {
      marks.addAll(Arrays.asList(text.split(",")));
    }
    return marks;
  }

  static String format(Set<String> marks) {
    return String.join(",", new TreeSet<>(marks));
  }

  /** The marks in {@code a} and not in {@code b}. */
  static List<String> minus(Set<String> a, Set<String> b) {
    return a.stream().filter(m -> !b.contains(m)).toList();
  }
}
