package org.haochaping.gateway.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.OffsetDateTime;

/** A 办件 as departmental systems push it before it is rated (DESIGN §3). */
public record ServiceCase(
    String caseNo,
    String taskCode,
    String itemName,
    String deptCode,
    String deptName,
    String areaCode,
    String hallCode,
    String windowNo,
    String staffId,
    String staffName,
    String businessLine,
    CaseMode mode,
    ProjectType projectType,
    Person applicant,
    CaseStatus status,
    OffsetDateTime acceptedAt,
    OffsetDateTime completedAt,
    Integer promiseDays,
    String visitId,
    String themeId) {

  @JsonIgnore
  public boolean isCompleted() {
    return status == CaseStatus.COMPLETED;
  }

  public ServiceCase withStatus(CaseStatus newStatus, OffsetDateTime completed) {
    return new ServiceCase(caseNo, taskCode, itemName, deptCode, deptName, areaCode, hallCode, windowNo, staffId,
        staffName, businessLine, mode, projectType, applicant, newStatus, acceptedAt, completed, promiseDays, visitId,
        themeId);
  }
}
