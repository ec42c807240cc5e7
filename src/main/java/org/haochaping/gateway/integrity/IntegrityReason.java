package org.haochaping.gateway.integrity;

import java.util.Locale;

/**
 * Why a rating is listed for review (002 第十二条: 不得弄虚作假刷"好评"; the signals of docs/integrity.md).
 * The thresholds are in {@code mappings/policy/<profile>.integrity.yaml}.
 */
public enum IntegrityReason {
  GOOD_VOLUME_DEVICE("同一评价器短时间内大量好评", "many good ratings from one evaluator device"),
  GOOD_VOLUME_WINDOW("同一窗口短时间内大量好评", "many good ratings at one service window"),
  GOOD_VOLUME_EVALUATOR("同一评价人（手机号）短时间内大量好评", "many good ratings from one evaluator (mobile)"),
  TOO_FAST_AFTER_COMPLETION("办结后数秒内即评价", "rated seconds after the completion"),
  BURST("评价提交过于密集", "ratings submitted in a burst"),
  MANY_APPLICANTS("同一评价人评价多名不同申请人的办件", "one evaluator rating the cases of many applicants"),
  RATE_JUMP_HALL("大厅好评率骤升", "sudden rise of a hall's good-rating rate"),
  RATE_JUMP_STAFF("工作人员好评率骤升", "sudden rise of a staff member's good-rating rate"),
  OUTSIDE_OPENING_HOURS("评价器在大厅办公时间以外评价", "device rating outside its hall's opening hours");

  private final String label;
  private final String labelEn;

  IntegrityReason(String label, String labelEn) {
    this.label = label;
    this.labelEn = labelEn;
  }

  public String label() {
    return label;
  }

  public String labelEn() {
    return labelEn;
  }

  /** The reason named by its code; null when none. */
  public static IntegrityReason parse(String text) {
    if (text == null) {
      return null;
    }
    for (IntegrityReason r : values()) {
      if (r.name().equals(text.strip().toUpperCase(Locale.ROOT))) {
        return r;
      }
    }
    return null;
  }
}
