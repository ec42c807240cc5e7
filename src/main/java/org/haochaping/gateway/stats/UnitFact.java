package org.haochaping.gateway.stats;

import java.time.LocalDate;

/**
 * A case or a work order as the counters see it: the day of its period and its units. A case's
 * period is the day it was accepted (受理), a work order's the day it was created.
 */
record UnitFact(LocalDate day, String areaCode, String deptCode, String taskCode, String staffId, String hallCode, String businessLine) {

  String code(Dimension d) {
    return switch (d) {
      case ITEM -> RatingFact.orEmpty(taskCode);
      case AGENCY -> RatingFact.orEmpty(deptCode);
      case STAFF -> staffId;
      case BUSINESS_LINE -> businessLine;
      case HALL -> hallCode;
      default -> throw new IllegalArgumentException(d + " is not stored");
    };
  }
}
