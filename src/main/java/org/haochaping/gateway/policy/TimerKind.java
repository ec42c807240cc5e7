package org.haochaping.gateway.policy;

/** What a persistent timer does when it falls due. */
public enum TimerKind {
  /** 000 第二十条: SMS reminder 24 hours after completion if unrated (event REMINDER_DUE). */
  REMINDER,
  /** 000 第二十条 / 002 第八条: 非常满意 by default after 7 natural days unrated. */
  DEFAULT_RATING,
  /** 002 第八条: text of a bad rating not reviewed within 15 natural days is approved. */
  CONTENT_REVIEW,
  /** 000 第二十三条 / 002 第十四条: a verified work order not rectified in time is overdue. */
  WORK_ORDER_RECTIFY,
  /** 000 第二十三条: a rectified work order not reported (办结) within 5 working days is overdue. */
  WORK_ORDER_REPORT,
  /** 000 第二十五条: an appeal not verified within 5 working days is overdue. */
  APPEAL_VERIFY
}
