package org.haochaping.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * Work-order and appeal deadlines on the official 2026 calendar (mappings/calendar/2026.csv): the
 * National Day holiday (Oct 1-7), its adjusted working days Sun Sep 20 and Sat Oct 10, and 中秋节
 * (Sep 25-27). Dates are counted by hand in the comments.
 */
class WorkOrderDeadlinesTest {

  private final Deadlines deadlines = new Deadlines(WorkingDayCalendar.fromClasspath());
  private final WorkOrderPolicy guangdong = new WorkOrderPolicy(PolicyProfile.load("guangdong"), deadlines);
  private final WorkOrderPolicy guangxi = new WorkOrderPolicy(PolicyProfile.load("guangxi"), deadlines);
  private final AppealPolicy appeals = new AppealPolicy(PolicyProfile.load("guangdong"), deadlines);

  private static OffsetDateTime at(String local) {
    return OffsetDateTime.parse(local + "+08:00");
  }

  @Test
  void rectifyDeadlineSkipsNationalDayAndCountsSaturdayOctober10() {
    // 000 第二十三条. Verified Mon Sep 28 15:00: Sep 29 (1), Sep 30 (2), Oct 1-7 off, Oct 8 (3), Oct 9 (4),
    // Sat Oct 10 调休 (5), Oct 12-16 (6-10): due by the end of Fri Oct 16, overdue from Oct 17 00:00.
    OffsetDateTime due = guangdong.rectifyDue(at("2026-09-28T15:00:00"));
    assertThat(Deadlines.dayOf(due)).isEqualTo(LocalDate.parse("2026-10-16"));
    assertThat(due).isEqualTo(at("2026-10-17T00:00:00"));
  }

  @Test
  void reportDeadlineFallsOnTheAdjustedSaturdayWorkday() {
    // 000 第二十三条. Rectified Mon Sep 28: Sep 29, Sep 30, Oct 8, Oct 9, Sat Oct 10 -> report by Sat Oct 10.
    assertThat(Deadlines.dayOf(guangdong.reportDue(at("2026-09-28T11:00:00")))).isEqualTo(LocalDate.parse("2026-10-10"));
  }

  @Test
  void workOrderVerifiedDuringTheHolidayIsDueCountingFromTheFirstWorkingDayAfter() {
    // Verified on Sat Oct 3 (国庆节): Oct 8 (1) .. Oct 10 (3), Oct 12-16 (4-8), Oct 19 (9), Oct 20 (10).
    assertThat(Deadlines.dayOf(guangdong.rectifyDue(at("2026-10-03T10:00:00")))).isEqualTo(LocalDate.parse("2026-10-20"));
  }

  @Test
  void rectifyDeadlineCountsSundaySeptember20AndSkipsMidAutumn() {
    // Verified Fri Sep 18: Sun Sep 20 调休 (1), Sep 21-24 (2-5), Sep 25-27 中秋节 off, Sep 28-30 (6-8),
    // Oct 1-7 off, Oct 8 (9), Oct 9 (10).
    assertThat(Deadlines.dayOf(guangdong.rectifyDue(at("2026-09-18T17:30:00")))).isEqualTo(LocalDate.parse("2026-10-09"));
  }

  @Test
  void appealWindowsCountAroundMidAutumnAndNationalDay() {
    // 000 第二十五条. Filed Wed Sep 30: Oct 8 (1), Oct 9 (2), Sat Oct 10 (3), Oct 12 (4), Oct 13 (5).
    assertThat(Deadlines.dayOf(appeals.verifyDeadline(at("2026-09-30T09:00:00")))).isEqualTo(LocalDate.parse("2026-10-13"));
    // A bad rating received Fri Sep 25 (中秋节): Sep 28 (1), Sep 29 (2), Sep 30 (3), Oct 8 (4), Oct 9 (5).
    assertThat(Deadlines.dayOf(appeals.fileDeadline(at("2026-09-25T20:00:00")))).isEqualTo(LocalDate.parse("2026-10-09"));
  }

  @Test
  void naturalDaysIgnoreTheHoliday() {
    // 002 第十四条: 15 natural days from Wed Sep 30 are Oct 1 .. Oct 15, holiday or not.
    assertThat(Deadlines.dayOf(guangxi.rectifyDue(at("2026-09-30T09:00:00")))).isEqualTo(LocalDate.parse("2026-10-15"));
  }

  @Test
  void hoursAreExact() {
    PolicyProfile.Span day = new PolicyProfile.Span(24, PolicyProfile.Unit.HOURS);
    assertThat(deadlines.end(at("2026-09-30T23:59:00"), day)).isEqualTo(at("2026-10-01T23:59:00"));
  }
}
