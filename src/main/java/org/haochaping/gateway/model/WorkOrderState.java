package org.haochaping.gateway.model;

import java.util.Locale;

/**
 * Where a 差评工单 stands. 000 第二十三条: the service center verifies (核实) the order, the agency
 * rectifies it and feeds the result back, the center reports it for 审核办结; 第二十四条 回访抽查.
 * 002 第十四条: a bad rating that is 查实 is rectified within 15 natural days.
 */
public enum WorkOrderState {
  PENDING_VERIFICATION("待核实"),
  VERIFIED("属实"),
  UNFOUNDED("不属实"),
  MALICIOUS("恶意评价"),
  RECTIFYING("整改中"),
  RECTIFIED("已整改"),
  REVISITED("已回访"),
  CLOSED("办结");

  private final String label;

  WorkOrderState(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The state named by its code ({@code RECTIFIED}) or its Chinese label ({@code 已整改}); null when neither. */
  public static WorkOrderState parse(String text) {
    if (text == null) {
      return null;
    }
    String t = text.strip();
    for (WorkOrderState s : values()) {
      if (s.name().equals(t.toUpperCase(Locale.ROOT)) || s.label.equals(t)) {
        return s;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return name() + " (" + label + ")";
  }
}
