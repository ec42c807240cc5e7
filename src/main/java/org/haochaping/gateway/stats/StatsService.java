package org.haochaping.gateway.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.policy.StatisticsRules;

/**
 * Figures of units from the counters: one unit, or every unit of a dimension in a region ranked
 * (排名, 000 第二十二条: 纳入综合评分范畴进行排名; 002 第十六条).
 */
public final class StatsService {

  /** A ranked unit: its place (ties share it; null when it has no value to rank by) and its figures. */
  public record Ranked(Integer rank, UnitFigures figures) {}

  private final StatsQueries queries;
  private final HallRegistry halls;
  private final StatisticsRules rules;

  StatsService(StatsQueries queries, HallRegistry halls, StatisticsRules rules) {
    this.queries = queries;
    this.halls = halls;
    this.rules = rules;
  }

  public StatisticsRules rules() {
    return rules;
  }

  /** The figures of one unit; zeros when it has none in the period. */
  public UnitFigures one(Dimension d, String code, AreaScope scope, Period p) {
    AreaScope where = d == Dimension.REGION ? AreaScope.of(code).orElseThrow() : scope;
    Map<String, UnitFigures> units = compute(d, d == Dimension.REGION ? null : code, where, p,
        (area, unit) -> d == Dimension.REGION ? where.code() : unit);
    return units.getOrDefault(d == Dimension.REGION ? where.code() : code, blank(d, d == Dimension.REGION ? where.code() : code, p));
  }

  /** Every unit of the dimension in the region (a region: the regions one level below), ranked by {@code orderBy}. */
  public List<Ranked> ranking(Dimension d, AreaScope scope, Period p, String orderBy) {
    Map<String, UnitFigures> units = compute(d, null, scope, p,
        (area, unit) -> d == Dimension.REGION ? scope.childOf(area).map(AreaScope::code).orElse(null) : unit);
    if (d == Dimension.HALL) {
      for (HallRegistry.Hall h : halls.list()) {
        if (h.active() && scope.contains(h.areaCode()) && !units.containsKey(h.hallCode())) {
          units.put(h.hallCode(), blank(d, h.hallCode(), p));
        }
      }
    }
    boolean ascending = orderBy.equals("badRate");
    Comparator<UnitFigures> byValue = Comparator.comparing((UnitFigures u) -> key(u.value(orderBy)),
        Comparator.nullsLast(ascending ? Comparator.<Double>naturalOrder() : Comparator.<Double>reverseOrder()));
    List<UnitFigures> sorted = new ArrayList<>(units.values());
    sorted.sort(byValue.thenComparing(UnitFigures::code));
    List<Ranked> out = new ArrayList<>(sorted.size());
    Integer rank = null;
    Double previous = null;
    for (int i = 0; i < sorted.size(); i++) {
      Double v = key(sorted.get(i).value(orderBy));
      if (v == null) {
        rank = null;
      } else if (!v.equals(previous)) {
        rank = i + 1;
      }
      previous = v;
      out.add(new Ranked(rank, sorted.get(i)));
    }
    return out;
  }

  /** Values compared for ranking: equal when they agree to 9 decimals (sums in another order differ in the last bit). */
  private static Double key(Double v) {
    return v == null ? null : Math.round(v * 1e9) / 1e9;
  }

  @FunctionalInterface
  private interface UnitOf {
    /** The unit a counter row of {@code area} and stored unit {@code unit} belongs to; null when none. */
    String of(String area, String unit);
  }

  private Map<String, UnitFigures> compute(Dimension d, String code, AreaScope scope, Period p, UnitOf unitOf) {
    Dimension source = d.source();
    String channel = d == Dimension.CHANNEL ? code : null;
    StatsQueries.Filter filter = new StatsQueries.Filter(source, d.stored() ? code : null, channel, scope);
    Set<TargetType> basis = EnumSet.copyOf(rules.basis(d.path()));
    Map<String, UnitFigures> units = new TreeMap<>();
    Map<String, String> names = queries.names(d);
    Function<String, UnitFigures> unit = key -> units.computeIfAbsent(key, k -> {
      UnitFigures u = new UnitFigures(d, k, rules);
      u.name(d == Dimension.CHANNEL ? Channel.valueOf(k).label() : names.get(k));
      return u;
    });

    for (StatsQueries.RatingRow r : queries.ratings(filter, p)) {
      String key = d == Dimension.CHANNEL ? r.channel() : unitOf.of(r.area(), r.code());
      if (key != null && basis.contains(r.type())) {
        unit.apply(key).addRating(r.code(), r.channel(), r.levels());
      }
    }
    if (d != Dimension.CHANNEL) {
      for (StatsQueries.TagRow t : queries.tags(filter, p)) {
        String key = unitOf.of(t.area(), t.code());
        if (key != null && basis.contains(t.type())) {
          unit.apply(key).addTag(t.tag(), t.n());
        }
      }
    }
    List<StatsQueries.CountRow> counts = queries.counts(filter, p);
    if (d == Dimension.CHANNEL) {
      // Each channel: its rated cases over all the cases of the region.
      if (code != null) {
        unit.apply(code);
      }
      for (StatsQueries.CountRow c : counts) {
        if (c.measure().startsWith(Marks.CHANNEL)) {
          String ch = c.measure().substring(Marks.CHANNEL.length());
          if (code == null || code.equals(ch)) {
            unit.apply(ch).addCount(c.measure(), c.n());
          }
        }
      }
      long cases = counts.stream().filter(c -> c.measure().equals(Marks.CASES)).mapToLong(StatsQueries.CountRow::n).sum();
      units.values().forEach(u -> u.addCount(Marks.CASES, cases));
    } else {
      for (StatsQueries.CountRow c : counts) {
        String key = unitOf.of(c.area(), c.code());
        if (key != null) {
          unit.apply(key).addCount(c.measure(), c.n());
        }
      }
    }
    if ((d == Dimension.AGENCY || d == Dimension.REGION) && !units.isEmpty()) {
      List<HallRegistry.Hall> registry = halls.list().stream().filter(HallRegistry.Hall::active).toList();
      Set<String> rated = queries.ratedHalls(p);
      for (UnitFigures u : units.values()) {
        Set<String> mine = new TreeSet<>();
        for (HallRegistry.Hall h : registry) {
          boolean belongs = d == Dimension.AGENCY ? u.code().equals(h.deptCode()) : AreaScope.of(u.code()).orElseThrow().contains(h.areaCode());
          if (belongs) {
            mine.add(h.hallCode());
          }
        }
        u.halls(mine, rated);
      }
    }
    return units;
  }

  private UnitFigures blank(Dimension d, String code, Period p) {
    UnitFigures u = new UnitFigures(d, code, rules);
    if (d == Dimension.CHANNEL) {
      u.name(Channel.valueOf(code).label());
    } else {
      u.name(queries.names(d).get(code));
    }
    if (d == Dimension.AGENCY || d == Dimension.REGION) {
      Set<String> mine = new TreeSet<>();
      for (HallRegistry.Hall h : halls.list()) {
        if (h.active() && (d == Dimension.AGENCY ? code.equals(h.deptCode()) : AreaScope.of(code).orElseThrow().contains(h.areaCode()))) {
          mine.add(h.hallCode());
        }
      }
      u.halls(mine, mine.isEmpty() ? Set.of() : queries.ratedHalls(p));
    }
    return u;
  }
}
