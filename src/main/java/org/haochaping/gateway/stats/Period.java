package org.haochaping.gateway.stats;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.haochaping.gateway.policy.Violation;

/**
 * The days a figure covers, both ends included: a day, an ISO week (Monday to Sunday), a month, a
 * quarter, a year, or any range. Answered from year, month and day counters: {@link #segments()} cuts
 * the range into as few rows as possible (whole years, then whole months, then the odd days).
 */
public record Period(String kind, LocalDate from, LocalDate to) {

  /** The longest range a request may ask for, to keep every answer small. */
  static final int MAX_DAYS = 3 * 366 + 1;

  /** A run of counter rows of one grain: period starts from {@code first} to {@code last}. */
  public record Segment(Grain grain, LocalDate first, LocalDate last) {}

  /** The period asked for: {@code from}/{@code to}, or {@code period} around {@code date} (default: this month). */
  public static Period parse(String period, String date, String from, String to, LocalDate today, List<Violation> bad) {
    if (from != null || to != null) {
      LocalDate f = day("from", from, bad);
      LocalDate t = day("to", to, bad);
      if (from == null || to == null) {
        bad.add(Violation.invalid(from == null ? "from" : "to", "required", "from 与 to 须同时给出（yyyy-MM-dd）",
            "from and to go together (yyyy-MM-dd)"));
        return null;
      }
      if (f == null || t == null) {
        return null;
      }
      if (t.isBefore(f)) {
        bad.add(Violation.invalid("to", "notBeforeFrom", "to 不能早于 from", "to must not be before from"));
        return null;
      }
      if (f.plusDays(MAX_DAYS).isBefore(t)) {
        bad.add(Violation.invalid("to", "maxRange", "统计区间最长 " + MAX_DAYS + " 天", "a range covers at most " + MAX_DAYS + " days"));
        return null;
      }
      return new Period("range", f, t);
    }
    LocalDate d = date == null ? today : day("date", date, bad);
    if (d == null) {
      return null;
    }
    String kind = period == null ? "month" : period.toLowerCase(Locale.ROOT);
    return switch (kind) {
      case "day" -> new Period(kind, d, d);
      case "week" -> {
        LocalDate monday = d.with(DayOfWeek.MONDAY);
        yield new Period(kind, monday, monday.plusDays(6));
      }
      case "month" -> new Period(kind, d.withDayOfMonth(1), d.withDayOfMonth(d.lengthOfMonth()));
      case "quarter" -> {
        LocalDate first = d.with(IsoFields.DAY_OF_QUARTER, 1);
        yield new Period(kind, first, first.plusMonths(3).minusDays(1));
      }
      case "year" -> new Period(kind, d.withDayOfYear(1), d.withDayOfYear(d.lengthOfYear()));
      default -> {
        bad.add(Violation.invalid("period", "enum", "period 须为 day、week、month、quarter、year 之一，或给出 from 与 to",
            "period must be day, week, month, quarter or year, or give from and to"));
        yield null;
      }
    };
  }

  private static LocalDate day(String field, String text, List<Violation> bad) {
    if (text == null) {
      return null;
    }
    try {
      return LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      bad.add(Violation.invalid(field, "format", field + " 应为日期 yyyy-MM-dd，如 2026-11-24", field + " must be a date yyyy-MM-dd such as 2026-11-24"));
      return null;
    }
  }

  /** The counter rows that make up this period, fewest first: whole years, whole months, single days. */
  public List<Segment> segments() {
    List<Segment> out = new ArrayList<>();
    LocalDate cursor = from;
    while (!cursor.isAfter(to)) {
      Grain grain = cursor.getDayOfYear() == 1 && !Grain.Y.end(cursor).isAfter(to) ? Grain.Y
          : cursor.getDayOfMonth() == 1 && !Grain.M.end(cursor).isAfter(to) ? Grain.M : Grain.D;
      Segment last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last.grain() == grain) {
        out.set(out.size() - 1, new Segment(grain, last.first(), cursor));
      } else {
        out.add(new Segment(grain, cursor, cursor));
      }
      cursor = grain.end(cursor).plusDays(1);
    }
    return out;
  }
}
