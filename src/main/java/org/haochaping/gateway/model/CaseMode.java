package org.haochaping.gateway.model;

/** How a case was handled (000 第五条, 第十七条): online, at a window, at a terminal, by the hotline. */
public enum CaseMode {
  ONLINE("全程网办"),
  WINDOW("窗口办理"),
  SELF_SERVICE("自助终端"),
  HOTLINE("12345热线");

  private final String label;

  CaseMode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
