package org.haochaping.gateway.model;

/** What is rated (000 第五条): the service item, the staff member, or both at once. */
public enum TargetType {
  ITEM("服务事项"),
  ITEM_AND_STAFF("服务事项和服务人员"),
  STAFF("服务人员");

  private final String label;

  TargetType(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean ratesItem() {
    return this != STAFF;
  }

  public boolean ratesStaff() {
    return this != ITEM;
  }
}
