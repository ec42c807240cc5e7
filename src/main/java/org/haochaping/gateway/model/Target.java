package org.haochaping.gateway.model;

/**
 * The object of a rating; fields a client leaves out are filled from the case. {@code staffName} is
 * the rated staff member's name as the channel gave it (the guide's handleUserName), forwarded as is.
 */
public record Target(
    TargetType type,
    String taskCode,
    String itemName,
    String deptCode,
    String staffId,
    String hallCode,
    String windowNo,
    String areaCode,
    String businessLine,
    String staffName) {

  public Target(TargetType type, String taskCode, String itemName, String deptCode, String staffId, String hallCode,
      String windowNo, String areaCode, String businessLine) {
    this(type, taskCode, itemName, deptCode, staffId, hallCode, windowNo, areaCode, businessLine, null);
  }

  /** This target with every missing field taken from the case. */
  public Target completedFrom(ServiceCase c) {
    return new Target(
        type == null ? (c.staffId() != null && c.mode() == CaseMode.WINDOW ? TargetType.ITEM_AND_STAFF : TargetType.ITEM) : type,
        or(taskCode, c.taskCode()),
        or(itemName, c.itemName()),
        or(deptCode, c.deptCode()),
        or(staffId, c.staffId()),
        or(hallCode, c.hallCode()),
        or(windowNo, c.windowNo()),
        or(areaCode, c.areaCode()),
        or(businessLine, c.businessLine()),
        // the case's staff name only for the case's staff member
        or(staffName, staffId == null || staffId.isBlank() || staffId.equals(c.staffId()) ? c.staffName() : null));
  }

  public Target withType(TargetType newType) {
    return new Target(newType, taskCode, itemName, deptCode, staffId, hallCode, windowNo, areaCode, businessLine, staffName);
  }

  private static String or(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
