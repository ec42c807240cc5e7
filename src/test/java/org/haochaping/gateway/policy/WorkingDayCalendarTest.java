package org.haochaping.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Deadlines of seed 000 on the official calendar: 第二十三条 rectify within 10 working days and report
 * within 5, 第二十五条 appeal within 5. Expected dates are counted by hand from the notices in
 * mappings/calendar/ (国办发明电〔2024〕12号 for 2025, 国办发明电〔2025〕7号 for 2026).
 */
class WorkingDayCalendarTest {

    private final WorkingDayCalendar calendar = WorkingDayCalendar.fromClasspath();

    @TempDir
    Path dir;

    private static LocalDate d(String iso) {
        return LocalDate.parse(iso);
    }

    // --- the shipped data -------------------------------------------------------------------

    @Test
    void shippedCalendarCovers2025And2026() {
        assertThat(calendar.coveredYears()).contains(2025, 2026);
        assertThat(calendar.covers(d("2026-10-01"))).isTrue();
    }

    @Test
    void eachYearHas248WorkingDaysAsTheNoticesArrangeThem() {
        // 2025: 261 weekdays (starts Wed, 52 weeks + 1 day); holidays on weekdays: 元旦 1, 春节 6
        // (Jan 28-31, Feb 3-4), 清明 1 (Apr 4), 劳动节 3 (May 1, 2, 5), 端午 1 (Jun 2),
        // 国庆中秋 6 (Oct 1-3, 6-8) = 18; adjusted workdays 5. 261 - 18 + 5 = 248.
        assertThat(calendar.workingDaysBetween(d("2024-12-31"), d("2025-12-31"))).isEqualTo(248);
        // 2026: 261 weekdays (starts Thu); holidays on weekdays: 元旦 2, 春节 6 (Feb 16-20, 23),
        // 清明 1, 劳动节 3, 端午 1, 中秋 1, 国庆 5 = 19; adjusted workdays 6. 261 - 19 + 6 = 248.
        assertThat(calendar.workingDaysBetween(d("2025-12-31"), d("2026-12-31"))).isEqualTo(248);
        assertThat(calendar.uncoveredYearsUsed()).isEmpty();
    }

    @ParameterizedTest(name = "{0} ({1}) working day: {2}")
    @CsvSource(textBlock = """
            2026-10-01, Thu 国庆节,               false
            2026-10-07, Wed 国庆节,               false
            2026-10-08, Thu after 国庆节,         true
            2026-10-10, Sat 调休 for 国庆节,      true
            2026-10-11, Sun,                     false
            2026-09-20, Sun 调休 for 国庆节,      true
            2026-09-25, Fri 中秋节,               false
            2026-02-14, Sat 调休 for 春节,        true
            2026-02-23, Mon last day of 春节,     false
            2026-02-28, Sat 调休 for 春节,        true
            2026-01-04, Sun 调休 for 元旦,        true
            2026-05-09, Sat 调休 for 劳动节,      true
            2026-03-10, plain Tuesday,           true
            2026-03-14, plain Saturday,          false
            2025-04-27, Sun 调休 for 劳动节,      true
            2025-05-05, Mon 劳动节,               false
            2025-10-08, Wed 国庆节中秋节,          false
            2025-10-11, Sat 调休 for 国庆节中秋节, true
            """)
    void officialCalendarDecidesWhetherADayIsWorked(LocalDate date, String why, boolean working) {
        assertThat(calendar.isWorkingDay(date)).isEqualTo(working);
    }

    // --- deadlines across the 2026 National Day -----------------------------------------------

    @Test
    void rectifyWithin10WorkingDaysFromSep28SkipsNationalDayAndCountsOct10() {
        // 000 第二十三条. Received Mon 2026-09-28: Sep 29 (1), Sep 30 (2), Oct 1-7 国庆节 off,
        // Oct 8 (3), Oct 9 (4), Sat Oct 10 调休 (5), Oct 12-16 (6-10) -> Fri 2026-10-16.
        // Monday-Friday alone would have said Mon 2026-10-12.
        assertThat(calendar.plusWorkingDays(d("2026-09-28"), 10)).isEqualTo(d("2026-10-16"));
    }

    @Test
    void rectifyWithin10WorkingDaysFromSep30StartsCountingAfterTheHoliday() {
        // 000 第二十三条. Received Wed 2026-09-30: Oct 1-7 off, Oct 8 (1), Oct 9 (2), Sat Oct 10 (3),
        // Oct 12-16 (4-8), Oct 19 (9), Oct 20 (10) -> Tue 2026-10-20.
        assertThat(calendar.plusWorkingDays(d("2026-09-30"), 10)).isEqualTo(d("2026-10-20"));
    }

    @Test
    void reportWithin5WorkingDaysCanFallOnTheOct10SaturdayWorkday() {
        // 000 第二十三条. From Mon 2026-09-28: Sep 29 (1), Sep 30 (2), Oct 8 (3), Oct 9 (4),
        // Sat Oct 10 调休 (5) -> the deadline is Saturday 2026-10-10, a working day.
        LocalDate deadline = calendar.plusWorkingDays(d("2026-09-28"), 5);
        assertThat(deadline).isEqualTo(d("2026-10-10"));
        assertThat(calendar.isWorkingDay(deadline)).isTrue();
    }

    @Test
    void workOrderReceivedDuringTheHolidayIsDueCountingFromTheFirstWorkingDayAfter() {
        // Received Sat 2026-10-03 (国庆节): the day of receipt never counts; Oct 8 is the 1st working
        // day, and the 10th is Tue 2026-10-20, the same as for a case received on Sep 30.
        assertThat(calendar.plusWorkingDays(d("2026-10-03"), 1)).isEqualTo(d("2026-10-08"));
        assertThat(calendar.plusWorkingDays(d("2026-10-03"), 10)).isEqualTo(d("2026-10-20"));
    }

    @Test
    void rectifyWithin10WorkingDaysFromSep18CountsSunSep20AndSkipsMidAutumnAndNationalDay() {
        // From Fri 2026-09-18: Sun Sep 20 调休 (1), Sep 21-24 (2-5), Sep 25-27 中秋节 off,
        // Sep 28-30 (6-8), Oct 1-7 off, Oct 8 (9), Oct 9 (10) -> Fri 2026-10-09.
        assertThat(calendar.plusWorkingDays(d("2026-09-18"), 1)).isEqualTo(d("2026-09-20"));
        assertThat(calendar.plusWorkingDays(d("2026-09-18"), 10)).isEqualTo(d("2026-10-09"));
    }

    // --- deadlines across the 2026 Spring Festival --------------------------------------------

    @Test
    void rectifyWithin10WorkingDaysFromFeb10CountsBothSaturdayWorkdaysOfSpringFestival() {
        // From Tue 2026-02-10: Feb 11 (1), 12 (2), 13 (3), Sat Feb 14 调休 (4), Feb 15-23 春节 off,
        // Feb 24-27 (5-8), Sat Feb 28 调休 (9), Mon Mar 2 (10) -> 2026-03-02.
        // Monday-Friday alone would have said Tue 2026-02-24.
        assertThat(calendar.plusWorkingDays(d("2026-02-10"), 10)).isEqualTo(d("2026-03-02"));
    }

    @Test
    void caseReceivedTheFridayBeforeSpringFestivalIsDueOnTheSaturdayWorkdayAfterOneDay() {
        // From Fri 2026-02-13: Sat Feb 14 调休 (1) -> 2026-02-14.
        // 5 working days: Feb 14 (1), Feb 24-27 (2-5) -> Fri 2026-02-27.
        // 10 working days: ..., Sat Feb 28 (6), Mar 2-5 (7-10) -> Thu 2026-03-05.
        assertThat(calendar.plusWorkingDays(d("2026-02-13"), 1)).isEqualTo(d("2026-02-14"));
        assertThat(calendar.plusWorkingDays(d("2026-02-13"), 5)).isEqualTo(d("2026-02-27"));
        assertThat(calendar.plusWorkingDays(d("2026-02-13"), 10)).isEqualTo(d("2026-03-05"));
    }

    // --- 2025 Labour Day ----------------------------------------------------------------------

    @Test
    void appealWithin5WorkingDaysOverLabourDay2025CountsSundayApr27() {
        // 000 第二十五条. Bad rating received Fri 2025-04-25: Sat Apr 26 off, Sun Apr 27 调休 (1),
        // Apr 28 (2), Apr 29 (3), Apr 30 (4), May 1-5 劳动节 off, Tue May 6 (5) -> 2025-05-06.
        assertThat(calendar.plusWorkingDays(d("2025-04-25"), 5)).isEqualTo(d("2025-05-06"));
        // From Thu 2025-04-24: Apr 25 (1), Sun Apr 27 (2), Apr 28-30 (3-5) -> Wed 2025-04-30.
        assertThat(calendar.plusWorkingDays(d("2025-04-24"), 5)).isEqualTo(d("2025-04-30"));
    }

    // --- counting convention ------------------------------------------------------------------

    @Test
    void workingDaysBetweenCountsLikeTheDeadline() {
        // From is not counted, toInclusive is: the 10 days of the Sep 28 example above.
        assertThat(calendar.workingDaysBetween(d("2026-09-28"), d("2026-10-16"))).isEqualTo(10);
        // Sep 30 -> Oct 9: only Oct 8 and Oct 9 are working days.
        assertThat(calendar.workingDaysBetween(d("2026-09-30"), d("2026-10-09"))).isEqualTo(2);
        assertThat(calendar.workingDaysBetween(d("2026-10-01"), d("2026-10-07"))).isZero();
        assertThat(calendar.workingDaysBetween(d("2026-10-16"), d("2026-10-16"))).isZero();
        assertThat(calendar.workingDaysBetween(d("2026-10-16"), d("2026-09-28"))).isZero();
    }

    @Test
    void everyDeadlineIsAWorkingDayExactlyNWorkingDaysAfterItsStart() {
        for (LocalDate start = d("2025-01-01"); start.isBefore(d("2026-12-01")); start = start.plusDays(1)) {
            for (int n : new int[] {1, 5, 10, 15}) {
                LocalDate deadline = calendar.plusWorkingDays(start, n);
                assertThat(calendar.isWorkingDay(deadline)).as("%s + %d = %s", start, n, deadline).isTrue();
                assertThat(calendar.workingDaysBetween(start, deadline)).as("%s + %d", start, n).isEqualTo(n);
            }
        }
    }

    @Test
    void zeroWorkingDaysIsTheStartAndNegativeIsRejected() {
        assertThat(calendar.plusWorkingDays(d("2026-10-03"), 0)).isEqualTo(d("2026-10-03"));
        assertThatThrownBy(() -> calendar.plusWorkingDays(d("2026-10-03"), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- years without data -------------------------------------------------------------------

    @Test
    void yearWithoutDataFallsBackToMondayToFridayAndIsReported() {
        assertThat(calendar.covers(d("2031-01-01"))).isFalse();
        assertThat(calendar.uncoveredYearsUsed()).isEmpty();

        // Wed 2031-01-01 is surely 元旦, but without the notice it counts as a working day.
        assertThat(calendar.isWorkingDay(d("2031-01-01"))).isTrue();
        // From Thu 2031-01-02: Jan 3 (1), Jan 6-9 (2-5) -> Thu 2031-01-09.
        assertThat(calendar.plusWorkingDays(d("2031-01-02"), 5)).isEqualTo(d("2031-01-09"));
        assertThat(calendar.isWorkingDay(d("2031-01-04"))).isFalse();

        assertThat(calendar.uncoveredYearsUsed()).containsExactly(2031);
        assertThat(calendar.covers(d("2031-01-01"))).isFalse();
    }

    @Test
    void deadlineRunningIntoAYearWithoutDataFlagsThatYear() {
        // From Mon 2026-12-28: Dec 29-31 (1-3), Fri 2027-01-01 by fallback (4), Mon Jan 4 (5).
        assertThat(calendar.plusWorkingDays(d("2026-12-28"), 5)).isEqualTo(d("2027-01-04"));
        assertThat(calendar.uncoveredYearsUsed()).containsExactly(2027);
    }

    @Test
    void operatorAddsAYearByAddingAFileToTheDirectory() throws IOException {
        // A row for the test, not the official 2027 arrangement.
        Files.writeString(dir.resolve("2027.csv"), "# test\n2027-01-01,HOLIDAY,元旦\n");
        WorkingDayCalendar fromDirectory = WorkingDayCalendar.fromDirectory(dir);

        assertThat(fromDirectory.coveredYears()).containsExactly(2027);
        // Fri 2027-01-01 is off by the file; Mon 2027-01-04 is an ordinary working day.
        assertThat(fromDirectory.isWorkingDay(d("2027-01-01"))).isFalse();
        assertThat(fromDirectory.isWorkingDay(d("2027-01-04"))).isTrue();
        // 2 working days from Thu 2027-01-07: Jan 8 (1), Mon Jan 11 (2).
        assertThat(fromDirectory.plusWorkingDays(d("2027-01-07"), 2)).isEqualTo(d("2027-01-11"));
        assertThat(fromDirectory.uncoveredYearsUsed()).isEmpty();
    }

    @Test
    void shippedFilesLoadFromTheirFolderAsADirectoryToo() {
        WorkingDayCalendar fromDirectory = WorkingDayCalendar.fromDirectory(Path.of("mappings/calendar"));
        assertThat(fromDirectory.coveredYears()).isEqualTo(calendar.coveredYears());
        assertThat(fromDirectory.plusWorkingDays(d("2026-09-28"), 10)).isEqualTo(d("2026-10-16"));
    }

    // --- strict files -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bad date                  | 2026-02-30,HOLIDAY,春节    | bad date '2026-02-30'
            unknown kind              | 2026-10-01,DAYOFF,国庆节   | unknown kind 'DAYOFF'
            WORKDAY on a Friday       | 2026-10-09,WORKDAY,国庆节  | WORKDAY 2026-10-09 is a FRIDAY
            date outside file's year  | 2025-10-01,HOLIDAY,国庆节  | outside the file's year 2026
            missing column            | 2026-10-01,HOLIDAY         | expected date,kind,name
            missing name              | 2026-10-01,HOLIDAY,        | missing holiday name
            date listed twice         | 2026-01-01,HOLIDAY,元旦    | listed twice
            """)
    void malformedRowIsRejectedNamingFileAndLine(String rule, String row, String message) throws IOException {
        Path file = dir.resolve("2026.csv");
        Files.writeString(file, "# date,kind,name\n2026-01-01,HOLIDAY,元旦\n" + row + "\n");

        assertThatThrownBy(() -> WorkingDayCalendar.fromDirectory(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file + " line 3")
                .hasMessageContaining(message);
    }

    @Test
    void fileNotNamedForItsYearIsRejected() throws IOException {
        Files.writeString(dir.resolve("holidays.csv"), "2026-01-01,HOLIDAY,元旦\n");
        assertThatThrownBy(() -> WorkingDayCalendar.fromDirectory(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holidays.csv");
    }

    @Test
    void fileWithoutRowsIsRejectedRatherThanClaimingTheYear() throws IOException {
        Files.writeString(dir.resolve("2027.csv"), "# nothing yet\n");
        assertThatThrownBy(() -> WorkingDayCalendar.fromDirectory(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2027.csv");
    }
}
