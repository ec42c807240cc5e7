package org.haochaping.gateway.province;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.haochaping.gateway.model.Masking;

/**
 * A province's message as the gateway keeps and shows it: cut to size, and with anything that
 * looks like a mobile or an ID number masked. The simulator never repeats personal values in its
 * messages; a real province might, and the dead-letter queue and logs must not (002 第十一条).
 */
final class ProvinceText {

  private static final Pattern MOBILE = Pattern.compile("(?<![0-9])1[0-9]{10}(?![0-9])");
  private static final Pattern ID_NO = Pattern.compile("(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])");
  static final int MAX = 1000;

  private ProvinceText() {}

  static String scrub(String text) {
    if (text == null) {
      return null;
    }
    String out = replace(ID_NO, text, Masking::idNo);
    out = replace(MOBILE, out, Masking::mobile);
    return out.length() <= MAX ? out : out.substring(0, MAX - 1) + "…";
  }

  private static String replace(Pattern pattern, String text, java.util.function.UnaryOperator<String> mask) {
    Matcher m = pattern.matcher(text);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(mask.apply(m.group())));
    }
    m.appendTail(b);
    return b.toString();
  }
}
