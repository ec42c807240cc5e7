package org.haochaping.gateway.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.policy.StatisticsRules;

/**
 * Every figure of one unit (an agency, a region, a staff member...) in one period: sums of counters in,
 * scores and rates out. Rates are percent (0..100), scores are on the 10/8/6/3/0 scale (000 第六条, 002
 * 第八条), rounded to two decimals only when shown; rankings sort on the unrounded values.
 */
public final class UnitFigures {

  private final Dimension dimension;
  private final String code;
  private final StatisticsRules rules;
  private String name;

  private final long[] levels = new long[Level.values().length];
  private final Map<String, long[]> byChannel = new TreeMap<>();
  private final Map<String, long[]> byAgency = new TreeMap<>();
  private final Map<String, Long> byTag = new TreeMap<>();
  private final Map<String, Long> counts = new TreeMap<>();
  private Set<String> halls;
  private Set<String> ratedHalls;

  UnitFigures(Dimension dimension, String code, StatisticsRules rules) {
    this.dimension = dimension;
    this.code = code;
    this.rules = rules;
  }

  // --- sums in -------------------------------------------------------------------------------

  void addRating(String agency, String channel, long[] add) {
    for (int i = 0; i < levels.length; i++) {
      levels[i] += add[i];
    }
    long[] c = byChannel.computeIfAbsent(channel, k -> new long[levels.length]);
    long[] a = byAgency.computeIfAbsent(agency, k -> new long[levels.length]);
    for (int i = 0; i < levels.length; i++) {
      c[i] += add[i];
      a[i] += add[i];
    }
  }

  void addTag(String tag, long n) {
    byTag.merge(tag, n, Long::sum);
  }

  void addCount(String measure, long n) {
    counts.merge(measure, n, Long::sum);
  }

  /** The halls of the unit (for 大厅推广率) and those of them that were rated in the period. */
  void halls(Set<String> all, Set<String> rated) {
    this.halls = new TreeSet<>(all);
    this.ratedHalls = new TreeSet<>(rated);
    this.ratedHalls.retainAll(all);
  }

  void name(String n) {
    this.name = n;
  }

  public String code() {
    return code;
  }

  public String name() {
    return name;
  }

  public Dimension dimension() {
    return dimension;
  }

  // --- figures out ---------------------------------------------------------------------------

  public long levelCount(Level level) {
    return levels[level.ordinal()];
  }

  /** A case or work-order counter ({@link Marks}). */
  public long count(String measure) {
    return counts.getOrDefault(measure, 0L);
  }

  public long defaulted() {
    return sum(byChannel.getOrDefault(Channel.SYSTEM_DEFAULT.name(), new long[0]));
  }

  public int hallCount() {
    return halls == null ? 0 : halls.size();
  }

  public int ratedHallCount() {
    return ratedHalls == null ? 0 : ratedHalls.size();
  }

  public long ratingCount() {
    return sum(levels);
  }

  /** The mean of the counted ratings on the 10/8/6/3/0 scale; null without ratings. */
  public Double mean() {
    return mean(levels);
  }

  /**
   * The unit's score as its regulation defines it: the mean of its ratings (000 第六条, 002 第四条); for a
   * region under 000 第二十二条 the mean of its agencies' scores.
   */
  public Double score() {
    if (dimension == Dimension.REGION && rules.regionScore() == StatisticsRules.RegionScore.MEAN_OF_AGENCY_SCORES) {
      double total = 0;
      int agencies = 0;
      for (long[] a : byAgency.values()) {
        Double m = mean(a);
        if (m != null) {
          total += m;
          agencies++;
        }
      }
      return agencies == 0 ? null : total / agencies;
    }
    return mean();
  }

  public Double goodRate() {
    long good = 0;
    for (Level l : rules.goodLevels()) {
      good += levels[l.ordinal()];
    }
    return rate(good, ratingCount());
  }

  /** 差评率: 不满意 and 非常不满意 (000 第七条, 第二十三条). */
  public Double badRate() {
    long bad = 0;
    for (Level l : Level.values()) {
      if (l.isBad()) {
        bad += levels[l.ordinal()];
      }
    }
    return rate(bad, ratingCount());
  }

  public boolean hasCases() {
    return dimension.caseCounts();
  }

  public long cases() {
    return counts.getOrDefault(Marks.CASES, 0L);
  }

  /** 参评率 (000 第二十二条): 主动评价的办件数 / 办件总数. */
  public Double participationRate() {
    if (!hasCases() || dimension == Dimension.CHANNEL) {
      return null;
    }
    return rate(counts.getOrDefault(Marks.ACTIVE, 0L), cases());
  }

  /** For the channel dimension: 该渠道有评价的办件数 / 所有办件数. */
  public Double channelCoverage() {
    return dimension == Dimension.CHANNEL ? rate(counts.getOrDefault(Marks.CHANNEL + code, 0L), cases()) : null;
  }

  /** 办事评价覆盖度 (000 第二十二条): the mean over the channel groups of their coverage; null without cases or groups. */
  public Double coverage() {
    if (!hasCases() || dimension == Dimension.CHANNEL || cases() == 0 || rules.coverageGroups().isEmpty()) {
      return null;
    }
    double total = 0;
    for (StatisticsRules.CoverageGroup g : rules.coverageGroups()) {
      total += rate(counts.getOrDefault(Marks.GROUP + g.code(), 0L), cases());
    }
    return total / rules.coverageGroups().size();
  }

  public boolean hasWorkOrders() {
    return dimension != Dimension.CHANNEL;
  }

  public long workOrders() {
    return counts.getOrDefault(Marks.WO_TOTAL, 0L);
  }

  /** 差评工单处理率 / 整改率 (000 第二十二条 ④): 处理工单数 / 总工单数; null without work orders. */
  public Double workOrderRate() {
    return hasWorkOrders() ? rate(counts.getOrDefault(Marks.WO_HANDLED, 0L), workOrders()) : null;
  }

  public boolean hasHallFigures() {
    return halls != null;
  }

  /** 大厅推广率 (000 第二十二条 ②): 有评价的大厅数 / 总大厅数; null when the unit has no hall. */
  public Double hallPromotionRate() {
    return halls == null || halls.isEmpty() ? null : rate(ratedHalls.size(), halls.size());
  }

  /** 综合评分 (000 第二十二条) for agencies and regions when the profile defines it; null otherwise. */
  public CompositeScore.Result composite() {
    if (rules.composite() == null || halls == null) {
      return null;
    }
    return CompositeScore.of(rules.composite(), !halls.isEmpty(), score(), workOrderRate(), hallPromotionRate(), coverage(),
        rules.noWorkOrdersPoints());
  }

  /** The value a ranking orders by; null when the unit has none (ranked last, without a rank). */
  public Double value(String orderBy) {
    return switch (orderBy) {
      case "composite" -> composite() == null ? null : composite().score();
      case "score" -> score();
      case "count" -> (double) ratingCount();
      case "goodRate" -> goodRate();
      case "badRate" -> badRate();
      case "participationRate" -> participationRate();
      case "coverage" -> dimension == Dimension.CHANNEL ? channelCoverage() : coverage();
      case "workOrderRate" -> workOrderRate();
      case "hallPromotionRate" -> hallPromotionRate();
      default -> throw new IllegalArgumentException(orderBy);
    };
  }

  static final List<String> ORDERS = List.of("composite", "score", "count", "goodRate", "badRate", "participationRate", "coverage",
      "workOrderRate", "hallPromotionRate");

  // --- JSON ----------------------------------------------------------------------------------

  ObjectNode toJson(Map<String, String> tagLabels) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("dimension", dimension.path());
    o.put("code", code);
    if (name != null) {
      o.put("name", name);
    }
    put(o, "score", score());

    ObjectNode r = o.putObject("ratings");
    r.put("count", ratingCount());
    put(r, "mean", mean());
    ArrayNode basis = r.putArray("basis");
    rules.basis(dimension.path()).forEach(t -> basis.add(t.name()));
    ObjectNode byLevel = r.putObject("byLevel");
    for (Level l : Level.values()) {
      byLevel.putObject(l.name()).put("label", l.label()).put("score", l.score()).put("count", levels[l.ordinal()]);
    }
    put(r, "goodRate", goodRate());
    put(r, "badRate", badRate());
    r.put("defaulted", defaulted());
    ObjectNode channels = r.putObject("byChannel");
    byChannel.forEach((ch, ls) -> {
      if (sum(ls) != 0) {
        ObjectNode c = channels.putObject(ch).put("label", label(ch)).put("count", sum(ls));
        put(c, "mean", mean(ls));
      }
    });
    ObjectNode tags = r.putObject("byTag");
    byTag.forEach((tag, n) -> {
      if (n != 0) {
        tags.putObject(tag).put("label", tagLabels.getOrDefault(tag, tag)).put("count", n);
      }
    });

    if (hasCases()) {
      ObjectNode c = o.putObject("cases");
      c.put("total", cases());
      if (dimension == Dimension.CHANNEL) {
        c.put("ratedCases", counts.getOrDefault(Marks.CHANNEL + code, 0L));
        put(c, "coverage", channelCoverage());
      } else {
        c.put("activelyRated", counts.getOrDefault(Marks.ACTIVE, 0L));
        c.put("rated", counts.getOrDefault(Marks.RATED, 0L));
        put(c, "participationRate", participationRate());
        ObjectNode perChannel = c.putObject("byChannel");
        counts.forEach((m, n) -> {
          if (m.startsWith(Marks.CHANNEL) && n != 0) {
            ObjectNode pc = perChannel.putObject(m.substring(Marks.CHANNEL.length())).put("ratedCases", n);
            put(pc, "coverage", rate(n, cases()));
          }
        });
        ObjectNode cov = o.putObject("coverage");
        put(cov, "rate", coverage());
        ArrayNode groups = cov.putArray("groups");
        for (StatisticsRules.CoverageGroup g : rules.coverageGroups()) {
          ObjectNode gn = groups.addObject().put("code", g.code()).put("label", g.label());
          ArrayNode chs = gn.putArray("channels");
          g.channels().forEach(ch -> chs.add(ch.name()));
          long n = counts.getOrDefault(Marks.GROUP + g.code(), 0L);
          gn.put("ratedCases", n);
          put(gn, "rate", rate(n, cases()));
        }
      }
    }
    if (hasWorkOrders()) {
      ObjectNode w = o.putObject("workOrders");
      w.put("total", workOrders());
      w.put("handled", counts.getOrDefault(Marks.WO_HANDLED, 0L));
      w.put("rectified", counts.getOrDefault(Marks.WO_RECTIFIED, 0L));
      put(w, "rate", workOrderRate());
    }
    if (halls != null) {
      ObjectNode h = o.putObject("halls");
      h.put("total", halls.size());
      h.put("rated", ratedHalls.size());
      put(h, "promotionRate", hallPromotionRate());
      ArrayNode unrated = h.putArray("unrated");
      halls.stream().filter(x -> !ratedHalls.contains(x)).forEach(unrated::add);
    }
    CompositeScore.Result composite = composite();
    if (composite != null) {
      ObjectNode cn = o.putObject("composite");
      cn.put("formula", composite.formula());
      put(cn, "score", composite.score());
      ArrayNode parts = cn.putArray("components");
      for (CompositeScore.Component p : composite.components()) {
        ObjectNode pn = parts.addObject().put("name", p.name()).put("label", p.label());
        put(pn, "points", p.points());
        pn.put("weight", p.weight());
      }
      ArrayNode missing = cn.putArray("missing");
      composite.missing().forEach(missing::add);
    }
    return o;
  }

  private static String label(String channel) {
    try {
      return Channel.valueOf(channel).label();
    } catch (IllegalArgumentException e) {
      return channel;
    }
  }

  static void put(ObjectNode o, String field, Double value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, round(value));
    }
  }

  /** Two decimals, half up: how every figure is shown and exported. */
  public static double round(double value) {
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).doubleValue();
  }

  private static long sum(long[] ls) {
    long n = 0;
    for (long l : ls) {
      n += l;
    }
    return n;
  }

  private static Double mean(long[] ls) {
    long n = 0;
    long points = 0;
    Level[] all = Level.values();
    for (int i = 0; i < ls.length; i++) {
      n += ls[i];
      points += ls[i] * all[i].score();
    }
    return n == 0 ? null : (double) points / n;
  }

  private static Double rate(long part, long whole) {
    return whole == 0 ? null : part * 100.0 / whole;
  }
}
