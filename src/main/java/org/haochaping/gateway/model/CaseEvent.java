package org.haochaping.gateway.model;

import java.time.OffsetDateTime;

/**
 * A case moved on (or arrived): published durably on the broker address {@code case-events} so
 * that prompts (evaluator, SMS) and timers (reminder, default rating) start from one place.
 * Carries no personal data; consumers read the case from the store when they need the applicant.
 *
 * <p>The event is published before the case row is written (so that nothing stored goes
 * unannounced), so a consumer may get it before {@code CaseStore} has the case: the units the
 * statistics count a case under (item, agency, area, business line, day of acceptance) travel with
 * it. They are null in events published before they were added.
 */
public record CaseEvent(
    String caseNo,
    CaseStatus from,
    CaseStatus to,
    OffsetDateTime at,
    CaseMode mode,
    String hallCode,
    String windowNo,
    String staffId,
    String visitId,
    String themeId,
    String taskCode,
    String itemName,
    String deptCode,
    String deptName,
    String areaCode,
    String businessLine,
    String staffName,
    OffsetDateTime acceptedAt) {

  /** An event without the case's units (as published before they were added). */
  public CaseEvent(String caseNo, CaseStatus from, CaseStatus to, OffsetDateTime at, CaseMode mode, String hallCode,
      String windowNo, String staffId, String visitId, String themeId) {
    this(caseNo, from, to, at, mode, hallCode, windowNo, staffId, visitId, themeId, null, null, null, null, null, null, null, null);
  }

  public static CaseEvent of(ServiceCase before, ServiceCase after, OffsetDateTime at) {
    return new CaseEvent(after.caseNo(), before == null ? null : before.status(), after.status(), at, after.mode(),
        after.hallCode(), after.windowNo(), after.staffId(), after.visitId(), after.themeId(), after.taskCode(),
        after.itemName(), after.deptCode(), after.deptName(), after.areaCode(), after.businessLine(), after.staffName(),
        after.acceptedAt());
  }

  /** True when this event is the case's completion (000 第二十条: the clock for reminders and defaults starts). */
  public boolean isCompletion() {
    return to == CaseStatus.COMPLETED && from != CaseStatus.COMPLETED;
  }
}
