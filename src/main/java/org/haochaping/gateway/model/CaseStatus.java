package org.haochaping.gateway.model;

/** Where a case stands. A status never goes back. */
public enum CaseStatus {
  ACCEPTED("已受理"),
  IN_PROGRESS("办理中"),
  COMPLETED("已办结");

  private final String label;

  CaseStatus(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
