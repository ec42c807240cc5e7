package org.haochaping.gateway.stats;

import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.policy.StatisticsRules;

/**
 * 综合评分 (000 第二十二条). Every component is in points from 0 to 100 and the weights are percent, so the
 * composite is in points from 0 to 100 too:
 * <ul>
 *   <li>政务服务质量得分 = the score (0..10, 000 第六条) × 10;
 *   <li>差评工单处理率得分 = 处理工单数 / 总工单数 × 100 (no work order in the period: {@code noWorkOrdersPoints});
 *   <li>大厅推广度得分 = 有评价的大厅数 / 总大厅数 × 100;
 *   <li>办事评价覆盖度得分 = the mean over the channel groups of 该渠道有评价的办件数 / 所有办件数 × 100.
 * </ul>
 * 有大厅 (the unit has at least one hall in the registry): 30/20/20/30; 无大厅: 30/30/40.
 */
public final class CompositeScore {

  /** One term: its points (null when it cannot be computed) and its weight in percent. */
  public record Component(String name, String label, Double points, double weight) {}

  /**
   * @param formula {@code WITH_HALL} or {@code WITHOUT_HALL}
   * @param score null when a component it needs has no data ({@code missing} says which)
   */
  public record Result(String formula, Double score, List<Component> components, List<String> missing) {}

  private CompositeScore() {}

  /**
   * @param quality the unit's score 0..10; null when it has no rating
   * @param workOrderRate 处理率 in percent; null when it had no work order
   * @param hallRate 大厅推广率 in percent; null when it has no hall
   * @param coverage 覆盖度 in percent; null when it had no case
   */
  public static Result of(StatisticsRules.Composite weights, boolean hasHall, Double quality, Double workOrderRate, Double hallRate,
      Double coverage, double noWorkOrdersPoints) {
    StatisticsRules.Weights w = hasHall ? weights.withHall() : weights.withoutHall();
    List<Component> parts = new ArrayList<>();
    parts.add(new Component("quality", "政务服务质量得分", quality == null ? null : quality * 10, w.quality()));
    parts.add(new Component("workOrders", "差评工单处理率得分", workOrderRate == null ? noWorkOrdersPoints : workOrderRate, w.workOrders()));
    if (hasHall) {
      parts.add(new Component("hallPromotion", "大厅推广度得分", hallRate, w.hallPromotion()));
    }
    parts.add(new Component("coverage", "办事评价覆盖度得分", coverage, w.coverage()));
    List<String> missing = new ArrayList<>();
    double score = 0;
    for (Component p : parts) {
      if (p.weight() == 0) {
        continue;
      }
      if (p.points() == null) {
        missing.add(p.name());
      } else {
        score += p.points() * p.weight() / 100.0;
      }
    }
    return new Result(hasHall ? "WITH_HALL" : "WITHOUT_HALL", missing.isEmpty() ? score : null, parts, missing);
  }
}
