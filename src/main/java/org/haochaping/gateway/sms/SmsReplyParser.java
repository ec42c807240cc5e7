package org.haochaping.gateway.sms;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.haochaping.gateway.model.Level;

/**
 * The reply grammar of the SMS prompt (docs/sms.md "Replies").
 *
 * <p>Digits follow the usual SMS survey "回复1非常满意、2满意、3基本满意、4不满意、5非常不满意": for SMS,
 * 1 = 非常满意 and 5 = 非常不满意, the OPPOSITE of the evaluator tablets' 1..5 (DESIGN §4), which is why
 * every prompt spells the digits out. The five level words are understood as well (000 第六条), a
 * reason may follow the digit or word ("5 等了两个小时"), full-width digits and punctuation count as
 * their ASCII forms, and {@code TD} / {@code 退订} opts out. Everything else is {@link SmsReply.Text}.
 */
public final class SmsReplyParser {

  /** The words, longest first so that 非常不满意 is never read as 不满意 or 满意. */
  private static final List<Level> WORDS = List.of(
      Level.VERY_DISSATISFIED, Level.VERY_SATISFIED, Level.BASIC, Level.DISSATISFIED, Level.SATISFIED);

  private static final Set<String> OPT_OUT = Set.of("td", "t", "退订", "退订td", "td退订");

  /** Separators a person puts between the level and the reason (half- and full-width). */
  private static final String SEP = "[\\s\u3000,，.。、:：;；!！?？~～\\-—]";

  private static final Pattern DIGIT = Pattern.compile("^([1-5１-５])(?![0-9０-９])" + SEP + "*(.*)$", Pattern.DOTALL);

  private SmsReplyParser() {}

  /**
   * Reads a reply. Recognition ignores full-width forms and trailing punctuation; a reason and a
   * free text are kept as the citizen wrote them (only surrounding blanks removed).
   */
  public static SmsReply parse(String raw) {
    String text = raw == null ? "" : raw.strip().replaceAll("^\u3000+|\u3000+$", "");
    if (OPT_OUT.contains(normalize(text).toLowerCase(Locale.ROOT))) {
      return new SmsReply.OptOut();
    }
    Matcher digit = DIGIT.matcher(text);
    if (digit.matches()) {
      int n = Character.getNumericValue(digit.group(1).charAt(0));
      return new SmsReply.Rate(smsDigit(n), reason(digit.group(2)));
    }
    for (Level level : WORDS) {
      String word = level.label();
      if (text.startsWith(word)) {
        String rest = text.substring(word.length());
        if (rest.isEmpty() || rest.substring(0, 1).matches(SEP)) {
          return new SmsReply.Rate(level, reason(rest));
        }
      }
    }
    return new SmsReply.Text(text);
  }

  /** The level of an SMS digit: 1 = 非常满意 ... 5 = 非常不满意 (not {@link Level#fromFiveStars}). */
  public static Level smsDigit(int digit) {
    return switch (digit) {
      case 1 -> Level.VERY_SATISFIED;
      case 2 -> Level.SATISFIED;
      case 3 -> Level.BASIC;
      case 4 -> Level.DISSATISFIED;
      case 5 -> Level.VERY_DISSATISFIED;
      default -> throw new IllegalArgumentException("an SMS rating digit is 1..5, was " + digit);
    };
  }

  /** Full-width to half-width (NFKC), trimmed, without trailing punctuation. */
  static String normalize(String raw) {
    if (raw == null) {
      return "";
    }
    String t = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
    return t.replaceFirst("[\\s,，.。、!！?？~～]+$", "").strip();
  }

  /** What follows the level, without the separators around it; null when that is nothing but punctuation. */
  private static String reason(String rest) {
    String r = rest == null ? "" : rest.replaceFirst("^" + SEP + "+", "").strip();
    return normalize(r).isEmpty() ? null : r;
  }
}
