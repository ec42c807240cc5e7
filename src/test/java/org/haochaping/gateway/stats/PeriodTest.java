package org.haochaping.gateway.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.policy.Violation;
import org.junit.jupiter.api.Test;

class PeriodTest {

  private static final LocalDate TODAY = LocalDate.of(2026, 11, 24);

  private static Period parse(String period, String date, String from, String to) {
    List<Violation> bad = new ArrayList<>();
    Period p = Period.parse(period, date, from, to, TODAY, bad);
    assertThat(bad).isEmpty();
    return p;
  }

  private static List<Violation> refused(String period, String date, String from, String to) {
    List<Violation> bad = new ArrayList<>();
    Period.parse(period, date, from, to, TODAY, bad);
    return bad;
  }

  @Test
  void eachNamedPeriodCoversItsDaysAroundTheDate() {
    assertThat(parse(null, null, null, null)).isEqualTo(new Period("month", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30)));
    assertThat(parse("day", "2026-11-10", null, null)).isEqualTo(new Period("day", LocalDate.of(2026, 11, 10), LocalDate.of(2026, 11, 10)));
    // ISO week: Tuesday 2026-11-24 is in the week Monday 23 - Sunday 29.
    assertThat(parse("week", null, null, null)).isEqualTo(new Period("week", LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 29)));
    assertThat(parse("quarter", "2026-05-17", null, null))
        .isEqualTo(new Period("quarter", LocalDate.of(2026, 4, 1), LocalDate.of(2026, 6, 30)));
    assertThat(parse("YEAR", "2028-02-29", null, null)).isEqualTo(new Period("year", LocalDate.of(2028, 1, 1), LocalDate.of(2028, 12, 31)));
    assertThat(parse(null, null, "2026-01-15", "2026-06-20"))
        .isEqualTo(new Period("range", LocalDate.of(2026, 1, 15), LocalDate.of(2026, 6, 20)));
  }

  @Test
  void aRangeIsReadFromWholeYearsThenWholeMonthsThenDays() {
    Period p = parse(null, null, "2025-12-30", "2027-03-02");
    assertThat(p.segments()).containsExactly(
        new Period.Segment(Grain.D, LocalDate.of(2025, 12, 30), LocalDate.of(2025, 12, 31)),
        new Period.Segment(Grain.Y, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 1)),
        new Period.Segment(Grain.M, LocalDate.of(2027, 1, 1), LocalDate.of(2027, 2, 1)),
        new Period.Segment(Grain.D, LocalDate.of(2027, 3, 1), LocalDate.of(2027, 3, 2)));
    assertThat(parse("month", "2026-02-10", null, null).segments())
        .containsExactly(new Period.Segment(Grain.M, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 2, 1)));
    // Days in a row are one range of day rows, across the end of a month too.
    assertThat(parse("week", "2026-11-30", null, null).segments())
        .containsExactly(new Period.Segment(Grain.D, LocalDate.of(2026, 11, 30), LocalDate.of(2026, 12, 6)));
  }

  @Test
  void segmentsCoverEveryDayOnceForAnyRange() {
    LocalDate start = LocalDate.of(2025, 11, 20);
    for (int from = 0; from < 70; from += 3) {
      for (int length = 0; length < 500; length += 7) {
        Period p = new Period("range", start.plusDays(from), start.plusDays(from + length));
        long days = 0;
        LocalDate expected = p.from();
        for (Period.Segment s : p.segments()) {
          for (LocalDate d = s.first(); !d.isAfter(s.last()); d = s.grain().end(d).plusDays(1)) {
            assertThat(d).isEqualTo(expected);
            days += s.grain().end(d).toEpochDay() - d.toEpochDay() + 1;
            expected = s.grain().end(d).plusDays(1);
          }
        }
        assertThat(expected).isEqualTo(p.to().plusDays(1));
        assertThat(days).isEqualTo(p.to().toEpochDay() - p.from().toEpochDay() + 1);
      }
    }
  }

  @Test
  void badPeriodsNameTheirFieldAndRule() {
    assertThat(refused("fortnight", null, null, null)).extracting(Violation::field, Violation::rule).containsExactly(
        org.assertj.core.groups.Tuple.tuple("period", "enum"));
    assertThat(refused(null, "2026-13-01", null, null)).extracting(Violation::rule).containsExactly("format");
    assertThat(refused(null, null, "2026-11-02", null)).extracting(Violation::field).containsExactly("to");
    assertThat(refused(null, null, "2026-11-02", "2026-11-01")).extracting(Violation::rule).containsExactly("notBeforeFrom");
    assertThat(refused(null, null, "2020-01-01", "2026-01-01")).extracting(Violation::rule).containsExactly("maxRange");
  }
}
