package org.haochaping.gateway.model;

/** The five rating levels and their scores (000 第六条, 002 第八条: 10/8/6/3/0). */
public enum Level {
  VERY_SATISFIED("非常满意", "very satisfied", 10),
  SATISFIED("满意", "satisfied", 8),
  BASIC("基本满意", "basically satisfied", 6),
  DISSATISFIED("不满意", "dissatisfied", 3),
  VERY_DISSATISFIED("非常不满意", "very dissatisfied", 0);

  private final String label;
  private final String labelEn;
  private final int score;

  Level(String label, String labelEn, int score) {
    this.label = label;
    this.labelEn = labelEn;
    this.score = score;
  }

  public String label() {
    return label;
  }

  public String labelEn() {
    return labelEn;
  }

  /** The score the gateway derives; a score sent by a client is never trusted. */
  public int score() {
    return score;
  }

  /** 不满意 and 非常不满意 are bad ratings (000 第七条, 第二十三条). */
  public boolean isBad() {
    return this == DISSATISFIED || this == VERY_DISSATISFIED;
  }

  /**
   * The level for a 1..5 answer where 5 = 非常满意, as evaluators and SMS replies send it (DESIGN §4).
   * Provincial wire codes have their own direction and live in mappings/codes/.
   */
  public static Level fromFiveStars(int stars) {
    return switch (stars) {
      case 5 -> VERY_SATISFIED;
      case 4 -> SATISFIED;
      case 3 -> BASIC;
      case 2 -> DISSATISFIED;
      case 1 -> VERY_DISSATISFIED;
      default -> throw new IllegalArgumentException("satisfaction must be 1..5, was " + stars);
    };
  }

  public int fiveStars() {
    return 5 - ordinal();
  }
}
