package org.haochaping.gateway.model;

/** Where a rating came from (000 第八条-第十六条, 002 第七条). */
public enum Channel {
  PORTAL("政务服务网", true),
  APP("政务APP", true),
  MINI_PROGRAM("小程序", true),
  DEPT_SYSTEM("自建业务系统", true),
  SELF_SERVICE_TERMINAL("自助服务终端", true),
  EVALUATOR("窗口评价器", true),
  QR_STATIC("静态二维码", true),
  QR_DYNAMIC("动态二维码", true),
  HOTLINE_12345("12345热线", true),
  SMS("短信", true),
  SUGGESTION_BOX("意见箱/意见簿", true),
  MAILBOX("电子邮箱", true),
  /** Created by the gateway only: the 7-day default 非常满意 (000 第二十条, 002 第八条). */
  SYSTEM_DEFAULT("系统默认评价", false);

  private final String label;
  private final boolean acceptedFromClients;

  Channel(String label, boolean acceptedFromClients) {
    this.label = label;
    this.acceptedFromClients = acceptedFromClients;
  }

  public String label() {
    return label;
  }

  public boolean acceptedFromClients() {
    return acceptedFromClients;
  }
}
