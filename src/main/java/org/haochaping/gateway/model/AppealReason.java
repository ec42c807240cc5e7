package org.haochaping.gateway.model;

import java.util.Locale;

/**
 * Why a bad rating should not count. 000 第二十五条: 误评 or 恶意评价, found on a staff appeal, is
 * corrected; 002 第十三条: a 不满意 caused by the information system or another objective cause that
 * is not the window's work is revoked once confirmed. 002 第十二条: a rating found manufactured by the agency
 * (弄虚作假刷"好评", confirmed on an integrity flag, docs/integrity.md) is taken out the same way.
 */
public enum AppealReason {
  MISJUDGED("误评"),
  MALICIOUS("恶意评价"),
  SYSTEM_CAUSED("信息系统或其他非窗口工作质量的客观原因"),
  MANIPULATED("弄虚作假刷好评");

  private final String label;

  AppealReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The reason named by its code or its Chinese label; null when neither. */
  public static AppealReason parse(String text) {
    if (text == null) {
      return null;
    }
    String t = text.strip();
    for (AppealReason r : values()) {
      if (r.name().equals(t.toUpperCase(Locale.ROOT)) || r.label.equals(t)) {
        return r;
      }
    }
    return null;
  }
}
