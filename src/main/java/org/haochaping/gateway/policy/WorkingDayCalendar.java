package org.haochaping.gateway.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * China's official working-day calendar: Monday to Friday, changed each year by the State Council
 * notice on public holidays (放假) and adjusted working days (调休上班).
 *
 * <p>Data is one CSV file per year, {@code <year>.csv}, rows {@code date,kind,name} with kind
 * {@code HOLIDAY} or {@code WORKDAY}; lines starting with {@code #} are comments. A year without a
 * file falls back to Monday-Friday: the first use of such a year logs a warning and the year is
 * reported by {@link #uncoveredYearsUsed()}, so health details show that deadlines in it may be
 * wrong.
 *
 * <p>Immutable apart from the record of uncovered years used; safe to share between threads.
 */
public final class WorkingDayCalendar {

    /** Where the shipped calendar lives on the classpath (top-level {@code mappings/} in the jar). */
    public static final String CLASSPATH_FOLDER = "mappings/calendar/";

    // Listing a classpath folder inside a jar is unreliable, so the classpath is probed by name.
    static final int FIRST_PROBED_YEAR = 2015;
    static final int LAST_PROBED_YEAR = 2100;

    private static final Logger LOG = LoggerFactory.getLogger(WorkingDayCalendar.class);
    private static final Pattern YEAR_FILE = Pattern.compile("(\\d{4})\\.csv");

    /** What the State Council notice made of a day. */
    public enum Kind {
        /** A day off: a public holiday or a day of its block (放假). */
        HOLIDAY,
        /** A Saturday or Sunday that is a working day (调休上班). */
        WORKDAY
    }

    private final String source;
    private final Map<LocalDate, Kind> days;
    private final Set<Integer> coveredYears;
    private final Set<Integer> uncoveredYearsUsed = ConcurrentHashMap.newKeySet();

    private WorkingDayCalendar(String source, Map<LocalDate, Kind> days, Set<Integer> coveredYears) {
        this.source = source;
        this.days = Map.copyOf(days);
        this.coveredYears = Collections.unmodifiableSet(new TreeSet<>(coveredYears));
    }

    /** The calendar shipped in {@code mappings/calendar/}. */
    public static WorkingDayCalendar fromClasspath() {
        return fromClasspath(CLASSPATH_FOLDER, WorkingDayCalendar.class.getClassLoader());
    }

    /**
     * Reads {@code <folder><year>.csv} for every year from 2015 to 2100 that the class loader has.
     */
    public static WorkingDayCalendar fromClasspath(String folder, ClassLoader loader) {
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        Map<LocalDate, Kind> days = new HashMap<>();
        Set<Integer> years = new TreeSet<>();
        for (int year = FIRST_PROBED_YEAR; year <= LAST_PROBED_YEAR; year++) {
            String name = prefix + year + ".csv";
            URL url = loader.getResource(name);
            if (url == null) {
                continue;
            }
            try (InputStream in = url.openStream()) {
                days.putAll(parse(name, year, in));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read calendar " + name, e);
            }
            years.add(year);
        }
        return new WorkingDayCalendar("classpath:" + prefix, days, years);
    }

    /**
     * Reads every {@code *.csv} in a directory, each named for its year ({@code 2027.csv}), so that
     * operators add a year by adding a file.
     */
    public static WorkingDayCalendar fromDirectory(Path directory) {
        Map<LocalDate, Kind> days = new HashMap<>();
        Set<Integer> years = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.csv")) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                var matcher = YEAR_FILE.matcher(fileName);
                if (!matcher.matches()) {
                    throw new IllegalArgumentException(
                            "Calendar file " + file + ": name must be <year>.csv, e.g. 2027.csv");
                }
                int year = Integer.parseInt(matcher.group(1));
                try (InputStream in = Files.newInputStream(file)) {
                    days.putAll(parse(file.toString(), year, in));
                }
                years.add(year);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read calendar directory " + directory, e);
        }
        return new WorkingDayCalendar(directory + "/", days, years);
    }

    /** Parses one year's file strictly: any doubt about a deadline is worse than a failed start. */
    private static Map<LocalDate, Kind> parse(String source, int year, InputStream in) throws IOException {
        Map<LocalDate, Kind> days = new HashMap<>();
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            String row = lineNumber == 1 ? stripBom(line).strip() : line.strip();
            if (row.isEmpty() || row.startsWith("#")) {
                continue;
            }
            String where = source + " line " + lineNumber;
            String[] cells = row.split(",", -1);
            if (cells.length != 3) {
                throw new IllegalArgumentException(where + ": expected date,kind,name but got '" + row + "'");
            }
            LocalDate date;
            try {
                date = LocalDate.parse(cells[0].strip());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(where + ": bad date '" + cells[0].strip() + "'", e);
            }
            if (date.getYear() != year) {
                throw new IllegalArgumentException(where + ": " + date + " is outside the file's year " + year);
            }
            Kind kind;
            try {
                kind = Kind.valueOf(cells[1].strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        where + ": unknown kind '" + cells[1].strip() + "', expected HOLIDAY or WORKDAY", e);
            }
            if (kind == Kind.WORKDAY && !isWeekend(date)) {
                throw new IllegalArgumentException(
                        where + ": WORKDAY " + date + " is a " + date.getDayOfWeek() + ", not a Saturday or Sunday");
            }
            if (cells[2].isBlank()) {
                throw new IllegalArgumentException(where + ": missing holiday name");
            }
            if (days.put(date, kind) != null) {
                throw new IllegalArgumentException(where + ": " + date + " is listed twice");
            }
        }
        if (days.isEmpty()) {
            throw new IllegalArgumentException(source + ": no rows; a year without data must have no file");
        }
        return days;
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private static boolean isWeekend(LocalDate date) {
        DayOfWeek day = date.getDayOfWeek();
        return day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
    }

    /** Whether government offices work on this day. */
    public boolean isWorkingDay(LocalDate date) {
        Objects.requireNonNull(date, "date");
        if (!covers(date)) {
            noteUncovered(date.getYear());
            return !isWeekend(date);
        }
        Kind kind = days.get(date);
        if (kind == null) {
            return !isWeekend(date);
        }
        return kind == Kind.WORKDAY;
    }

    /**
     * The deadline of "within n working days after start" (收到工单后n个工作日内): the n-th working day
     * after {@code start}. The start day itself never counts, whether or not it is a working day
     * (民法典 第二百零一条: 开始的当日不计入), so a work order received on a Monday with n = 1 is due on
     * Tuesday, and one received during a holiday is due on the n-th working day after the holiday.
     * The result is always a working day; n = 0 returns {@code start}.
     */
    public LocalDate plusWorkingDays(LocalDate start, int n) {
        Objects.requireNonNull(start, "start");
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        LocalDate day = start;
        int counted = 0;
        while (counted < n) {
            day = day.plusDays(1);
            if (isWorkingDay(day)) {
                counted++;
            }
        }
        return day;
    }

    /**
     * Working days after {@code from} up to and including {@code toInclusive}, counted as
     * {@link #plusWorkingDays} counts them: {@code from} itself does not count, so
     * {@code workingDaysBetween(s, plusWorkingDays(s, n)) == n}. Zero when {@code toInclusive} is
     * not after {@code from}.
     */
    public int workingDaysBetween(LocalDate from, LocalDate toInclusive) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(toInclusive, "toInclusive");
        int count = 0;
        for (LocalDate day = from.plusDays(1); !day.isAfter(toInclusive); day = day.plusDays(1)) {
            if (isWorkingDay(day)) {
                count++;
            }
        }
        return count;
    }

    /** Years with a calendar file, ascending. */
    public Set<Integer> coveredYears() {
        return coveredYears;
    }

    /** Whether the date's year has official data (otherwise it falls back to Monday-Friday). */
    public boolean covers(LocalDate date) {
        return coveredYears.contains(date.getYear());
    }

    /** Years without data that a question has fallen back to Monday-Friday for, ascending. */
    public Set<Integer> uncoveredYearsUsed() {
        return Collections.unmodifiableSet(new TreeSet<>(uncoveredYearsUsed));
    }

    private void noteUncovered(int year) {
        if (uncoveredYearsUsed.add(year)) {
            LOG.warn("No official calendar for {} (no {}.csv in {}): counting Monday-Friday as working days,"
                    + " deadlines that year ignore public holidays and adjusted working days", year, year, source);
        }
    }
}
