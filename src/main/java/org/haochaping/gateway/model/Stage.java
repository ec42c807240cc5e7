package org.haochaping.gateway.model;

/** What part of a case a rating is about; stages are the 套餐式 受理/审批/出件 of 002 第十条. */
public enum Stage {
  OVERALL("总体"),
  ACCEPT("受理"),
  APPROVE("审批"),
  DELIVER("出件");

  private final String label;

  Stage(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
