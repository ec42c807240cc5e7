package org.haochaping.gateway.sim;

/** Masks phone numbers for logs: {@code 13800000000 -> 138****0000}. */
public final class MobileMask {

  private MobileMask() {}

  /**
   * Keeps the prefix and the last four digits of a number of 11 or more characters (so {@code
   * 8613812345678 -> 86138****5678}), the first and last two of shorter ones, and nothing of
   * numbers under five characters.
   */
  public static String mask(String number) {
    if (number == null || number.isEmpty()) {
      return "";
    }
    int n = number.length();
    if (n >= 11) {
      return number.substring(0, n - 8) + "****" + number.substring(n - 4);
    }
    if (n >= 5) {
      return number.substring(0, 2) + "*".repeat(n - 4) + number.substring(n - 2);
    }
    return "*".repeat(n);
  }
}
