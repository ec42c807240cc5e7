package org.haochaping.gateway.policy;

import java.util.List;
import java.util.Map;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.TargetType;

/**
 * How a regulation counts: the {@code statistics} section of {@code mappings/policy/<profile>.yaml}.
 * Every value cites its article there; {@code org.haochaping.gateway.stats} reads them from here.
 *
 * @param goodLevels the levels counted as good in the good-rating rate (the rest of the non-bad levels are neutral)
 * @param scoreBasis per dimension ({@code item}, {@code staff}, {@code agency}, {@code businessLine}, {@code hall},
 *     {@code region}, {@code channel}): which kinds of rating count in its figures
 * @param regionScore how a region's score is formed from its ratings
 * @param coverageGroups the channel groups of 办事评价覆盖度 (000 第二十二条: 政务服务网、实体大厅、政务APP)
 * @param composite the weights of the composite score; null when the regulation defines none
 * @param noWorkOrdersPoints the 差评工单处理率 points of a unit that had no work order in the period
 */
public record StatisticsRules(
    List<Level> goodLevels,
    Map<String, List<TargetType>> scoreBasis,
    RegionScore regionScore,
    List<CoverageGroup> coverageGroups,
    Composite composite,
    Double noWorkOrdersPoints) {

  public StatisticsRules {
    goodLevels = goodLevels == null ? List.of(Level.VERY_SATISFIED, Level.SATISFIED, Level.BASIC) : List.copyOf(goodLevels);
    scoreBasis = scoreBasis == null ? Map.of() : Map.copyOf(scoreBasis);
    regionScore = regionScore == null ? RegionScore.POOLED : regionScore;
    coverageGroups = coverageGroups == null ? List.of() : List.copyOf(coverageGroups);
    noWorkOrdersPoints = noWorkOrdersPoints == null ? 100.0 : noWorkOrdersPoints;
  }

  /** What the regulations say when the profile says nothing: every rating counts everywhere, no composite. */
  public static StatisticsRules defaults() {
    return new StatisticsRules(null, null, null, null, null, null);
  }

  /** The kinds of rating that count in {@code dimension}'s figures; every kind when the profile names none. */
  public List<TargetType> basis(String dimension) {
    return scoreBasis.getOrDefault(dimension, List.of(TargetType.values()));
  }

  /** How a region's score is formed. */
  public enum RegionScore {
    /** The mean of every rating in the region that counts (002 第四条). */
    POOLED,
    /** The mean of the scores of the region's agencies (000 第二十二条: 各部门服务事项评价得分的平均值). */
    MEAN_OF_AGENCY_SCORES
  }

  /** A group of channels whose 评价覆盖度 is one term of the average (000 第二十二条). */
  public record CoverageGroup(String code, String label, List<Channel> channels) {
    public CoverageGroup {
      channels = channels == null ? List.of() : List.copyOf(channels);
    }
  }

  /** 000 第二十二条: 有大厅 30/20/20/30, 无大厅 30/30/0/40. */
  public record Composite(Weights withHall, Weights withoutHall) {}

  /** Percent weights of the four components; they add up to 100. */
  public record Weights(double quality, double workOrders, double hallPromotion, double coverage) {
    public double total() {
      return quality + workOrders + hallPromotion + coverage;
    }
  }
}
