package org.haochaping.gateway.model;

/** How personal data appears wherever a person reads it: logs, DLQ views, consoles. */
public final class Masking {

  private Masking() {}

  /** 13812340000 -> 138****0000. */
  public static String mobile(String mobile) {
    if (mobile == null || mobile.isEmpty()) {
      return mobile;
    }
    if (mobile.length() < 7) {
      return "*".repeat(mobile.length());
    }
    int keepEnd = 4;
    int keepStart = 3;
    return mobile.substring(0, keepStart) + "*".repeat(mobile.length() - keepStart - keepEnd)
        + mobile.substring(mobile.length() - keepEnd);
  }

  /** 440106199001011234 -> 4401**********1234. */
  public static String idNo(String idNo) {
    if (idNo == null || idNo.isEmpty()) {
      return idNo;
    }
    if (idNo.length() < 8) {
      return "*".repeat(idNo.length());
    }
    return idNo.substring(0, 4) + "*".repeat(idNo.length() - 8) + idNo.substring(idNo.length() - 4);
  }

  /** 张三丰 -> 张**. */
  public static String name(String name) {
    if (name == null || name.isEmpty()) {
      return name;
    }
    int first = name.offsetByCodePoints(0, 1);
    return name.substring(0, first) + "*".repeat(Math.max(1, name.codePointCount(first, name.length())));
  }
}
