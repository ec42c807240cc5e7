package org.haochaping.gateway.policy;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Objects;
import org.haochaping.gateway.model.ChinaTime;

/**
 * When a period a regulation states ("24 小时内", "7 个自然日内", "10 个工作日内") is over.
 *
 * <p>Counting follows 民法典 第二百零一条 (the day the period starts does not count) and 第二百零三条
 * (the last day ends at 24:00): a period of n days started on day D is over at 00:00 China time of
 * the day after its last day. Natural days run D+1 .. D+n; working days are the n working days after D
 * on the official calendar ({@link WorkingDayCalendar#plusWorkingDays}). Hours are exact. The holiday
 * extension of 第二百零三条 is not applied to natural days: the regulations chose 自然日 on purpose.
 */
public final class Deadlines {

  private final WorkingDayCalendar calendar;

  public Deadlines(WorkingDayCalendar calendar) {
    this.calendar = Objects.requireNonNull(calendar, "calendar");
  }

  public WorkingDayCalendar calendar() {
    return calendar;
  }

  /** The first moment after the period {@code span} that starts at {@code start}. */
  public OffsetDateTime end(OffsetDateTime start, PolicyProfile.Span span) {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(span, "span");
    if (span.unit() == PolicyProfile.Unit.HOURS) {
      return ChinaTime.of(start).plusHours(span.amount());
    }
    return startOfDay(lastDay(start, span).plusDays(1));
  }

  /** The last day of the period, the date people are told ("请于 10月16日 前整改"). */
  public LocalDate lastDay(OffsetDateTime start, PolicyProfile.Span span) {
    LocalDate first = ChinaTime.of(start).toLocalDate();
    return switch (span.unit()) {
      case HOURS -> ChinaTime.of(start).plusHours(span.amount()).toLocalDate();
      case NATURAL_DAYS -> first.plusDays(span.amount());
      case WORKING_DAYS -> calendar.plusWorkingDays(first, span.amount());
    };
  }

  /** The first moment after {@code day} ends (24:00 of that day). */
  public static OffsetDateTime endOfDay(LocalDate day) {
    return startOfDay(day.plusDays(1));
  }

  static OffsetDateTime startOfDay(LocalDate day) {
    return day.atStartOfDay(ChinaTime.ZONE).toOffsetDateTime();
  }

  /** The day people are told for a deadline stored as the first moment after it. */
  public static LocalDate dayOf(OffsetDateTime end) {
    return ChinaTime.of(end).minusNanos(1).toLocalDate();
  }
}
