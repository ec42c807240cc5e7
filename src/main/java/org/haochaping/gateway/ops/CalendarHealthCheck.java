package org.haochaping.gateway.ops;

import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.haochaping.gateway.policy.WorkingDayCalendar;

/**
 * The working-day calendar behind every deadline in working days. Always UP (a missing year is no
 * reason to refuse ratings), but when a deadline had to be counted in a year without official data
 * (Monday-Friday fallback) the details carry a warning naming the years, so that the people on call
 * add {@code mappings/calendar/<year>.csv} (or a file in HCP_CALENDAR_DIR) before it matters.
 */
public final class CalendarHealthCheck extends AbstractHealthCheck {

  private final WorkingDayCalendar calendar;

  public CalendarHealthCheck(WorkingDayCalendar calendar) {
    super("hcp", "calendar");
    this.calendar = calendar;
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    builder.detail("coveredYears", join(calendar.coveredYears()));
    var uncovered = calendar.uncoveredYearsUsed();
    builder.detail("uncoveredYearsUsed", join(uncovered));
    if (!uncovered.isEmpty()) {
      String warning = "No official calendar for " + join(uncovered) + ": working days counted Monday-Friday, deadlines ignore "
          + "public holidays and adjusted working days; add mappings/calendar/<year>.csv / 缺少 " + join(uncovered)
          + " 年节假日安排，工作日按周一至周五计算";
      builder.detail("warning", warning);
      builder.message(warning);
    }
    builder.up();
  }

  private static String join(java.util.Collection<Integer> years) {
    return years.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
