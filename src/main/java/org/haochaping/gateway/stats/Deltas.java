package org.haochaping.gateway.stats;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.haochaping.gateway.model.Level;

/**
 * The changes one transaction makes to the counters, summed per row before anything is written (a batch
 * of ratings of one agency on one day touches its rows once) and written in key order, so that
 * transactions on several nodes lock rows in the same order.
 */
final class Deltas {

  /** The dimensions whose rating counters are kept. */
  static final List<Dimension> RATING_DIMS = List.of(Dimension.ITEM, Dimension.AGENCY, Dimension.STAFF, Dimension.BUSINESS_LINE, Dimension.HALL);
  /** The dimensions whose case counters are kept ({@link Dimension#caseCounts()}). */
  static final List<Dimension> CASE_DIMS = List.of(Dimension.AGENCY, Dimension.BUSINESS_LINE, Dimension.HALL);
  /** Work orders are few: counted in every stored dimension. */
  static final List<Dimension> WORK_ORDER_DIMS = RATING_DIMS;

  record RatingKey(Grain grain, String dim, LocalDate start, String area, String code, String channel, String targetType)
      implements Comparable<RatingKey> {
    private static final Comparator<RatingKey> ORDER = Comparator.comparing(RatingKey::grain).thenComparing(RatingKey::dim)
        .thenComparing(RatingKey::start).thenComparing(RatingKey::area).thenComparing(RatingKey::code)
        .thenComparing(RatingKey::channel).thenComparing(RatingKey::targetType);

    @Override
    public int compareTo(RatingKey o) {
      return ORDER.compare(this, o);
    }
  }

  record TagKey(Grain grain, String dim, LocalDate start, String area, String code, String targetType, String tag)
      implements Comparable<TagKey> {
    private static final Comparator<TagKey> ORDER = Comparator.comparing(TagKey::grain).thenComparing(TagKey::dim)
        .thenComparing(TagKey::start).thenComparing(TagKey::area).thenComparing(TagKey::code)
        .thenComparing(TagKey::targetType).thenComparing(TagKey::tag);

    @Override
    public int compareTo(TagKey o) {
      return ORDER.compare(this, o);
    }
  }

  record CountKey(Grain grain, String dim, LocalDate start, String area, String code, String measure) implements Comparable<CountKey> {
    private static final Comparator<CountKey> ORDER = Comparator.comparing(CountKey::grain).thenComparing(CountKey::dim)
        .thenComparing(CountKey::start).thenComparing(CountKey::area).thenComparing(CountKey::code).thenComparing(CountKey::measure);

    @Override
    public int compareTo(CountKey o) {
      return ORDER.compare(this, o);
    }
  }

  final Map<RatingKey, long[]> ratings = new TreeMap<>();
  final Map<TagKey, long[]> tags = new TreeMap<>();
  final Map<CountKey, long[]> counts = new TreeMap<>();

  /** Adds ({@code sign} 1) or takes away (-1) a rating in every period grain and every dimension it has a unit in. */
  void rating(RatingFact f, int sign) {
    String area = RatingFact.orEmpty(f.areaCode());
    for (Grain grain : Grain.values()) {
      LocalDate start = grain.start(f.day());
      for (Dimension d : RATING_DIMS) {
        String code = f.code(d);
        if (code == null || code.isEmpty() && d != Dimension.ITEM && d != Dimension.AGENCY) {
          continue;
        }
        long[] levels = ratings.computeIfAbsent(new RatingKey(grain, d.name(), start, area, code, f.channel().name(), f.targetType().name()),
            k -> new long[Level.values().length]);
        levels[f.level().ordinal()] += sign;
        for (String tag : f.tags()) {
          tags.computeIfAbsent(new TagKey(grain, d.name(), start, area, code, f.targetType().name(), tag), k -> new long[1])[0] += sign;
        }
      }
    }
  }

  /** Adds or takes away one {@code measure} of a case or work order in the given dimensions. */
  void count(UnitFact u, List<Dimension> dims, String measure, int sign) {
    String area = RatingFact.orEmpty(u.areaCode());
    for (Grain grain : Grain.values()) {
      LocalDate start = grain.start(u.day());
      for (Dimension d : dims) {
        String code = u.code(d);
        if (code == null || code.isEmpty() && d != Dimension.ITEM && d != Dimension.AGENCY) {
          continue;
        }
        counts.computeIfAbsent(new CountKey(grain, d.name(), start, area, code, measure), k -> new long[1])[0] += sign;
      }
    }
  }

  boolean isEmpty() {
    return ratings.isEmpty() && tags.isEmpty() && counts.isEmpty();
  }
}
