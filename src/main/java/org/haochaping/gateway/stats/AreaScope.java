package org.haochaping.gateway.stats;

import java.util.List;
import java.util.Optional;

/**
 * A region as an area-code subtree. Area codes have 12 digits: 2 province, 4 city, 6 county, 9 town,
 * 12 village; a code ends in zeros below its level, so 440881000000 is the county 廉江市 and covers every
 * code that starts with 440881.
 *
 * @param prefix the digits every code in the region starts with; empty for everywhere
 */
public record AreaScope(String prefix) {

  /** The lengths of the prefixes of the five levels. */
  static final List<Integer> LEVELS = List.of(2, 4, 6, 9, 12);

  public static final AreaScope ALL = new AreaScope("");

  /** The region named by a 12-digit area code; empty when it is not one. */
  public static Optional<AreaScope> of(String areaCode) {
    if (areaCode == null || !areaCode.matches("\\d{12}")) {
      return Optional.empty();
    }
    if (areaCode.chars().allMatch(ch -> ch == '0')) {
      return Optional.of(ALL);
    }
    // The region is the shortest level prefix after which only zeros follow.
    for (int length : LEVELS) {
      if (areaCode.substring(length).chars().allMatch(ch -> ch == '0')) {
        return Optional.of(new AreaScope(areaCode.substring(0, length)));
      }
    }
    return Optional.of(new AreaScope(areaCode));
  }

  public boolean all() {
    return prefix.isEmpty();
  }

  /** The region's own 12-digit code (000000000000 for everywhere). */
  public String code() {
    return (prefix + "000000000000").substring(0, 12);
  }

  public String level() {
    return switch (prefix.length()) {
      case 0 -> "ALL";
      case 2 -> "PROVINCE";
      case 4 -> "CITY";
      case 6 -> "COUNTY";
      case 9 -> "TOWN";
      default -> "VILLAGE";
    };
  }

  public boolean contains(String areaCode) {
    return areaCode != null && areaCode.startsWith(prefix);
  }

  /** The length of the prefix of the regions one level below; 0 when this is a village. */
  int childLength() {
    for (int length : LEVELS) {
      if (length > prefix.length()) {
        return length;
      }
    }
    return 0;
  }

  /**
   * The region one level below that {@code areaCode} falls in; empty when the code belongs to this
   * region's own level (its next digits are zeros: 440881000000 is the county itself, not one of its towns).
   */
  public Optional<AreaScope> childOf(String areaCode) {
    int length = childLength();
    if (length == 0 || !contains(areaCode)) {
      return Optional.empty();
    }
    String segment = areaCode.substring(prefix.length(), length);
    if (segment.chars().allMatch(ch -> ch == '0')) {
      return Optional.empty();
    }
    return Optional.of(new AreaScope(areaCode.substring(0, length)));
  }

  /** The SQL LIKE pattern of the codes in the region. */
  String like() {
    return prefix + "%";
  }
}
