package org.haochaping.gateway.stats;

import java.time.LocalDate;

/** The period a counter row covers: a day, a month or a year, named by its first day. */
public enum Grain {
  D, M, Y;

  /** The first day of the period of this grain that contains {@code day}. */
  public LocalDate start(LocalDate day) {
    return switch (this) {
      case D -> day;
      case M -> day.withDayOfMonth(1);
      case Y -> day.withDayOfYear(1);
    };
  }

  /** The last day of the period of this grain that starts at {@code start}. */
  public LocalDate end(LocalDate start) {
    return switch (this) {
      case D -> start;
      case M -> start.plusMonths(1).minusDays(1);
      case Y -> start.plusYears(1).minusDays(1);
    };
  }
}
