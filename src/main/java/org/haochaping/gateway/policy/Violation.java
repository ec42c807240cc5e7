package org.haochaping.gateway.policy;

/**
 * One broken rule, named so that a developer can fix the request and a person can read it:
 * the field, the rule, a Chinese and an English message.
 */
public record Violation(Kind kind, String field, String rule, String message, String messageEn) {

  /** What kind of refusal this is, which decides the HTTP status. */
  public enum Kind {
    /** The input itself is wrong: 400. */
    INVALID,
    /** The rating names a case the gateway does not know: 422 CASE_UNKNOWN. */
    CASE_UNKNOWN,
    /** The input is well formed but the rules do not allow it now: 422 RATING_NOT_ALLOWED. */
    NOT_ALLOWED
  }

  public static Violation invalid(String field, String rule, String message, String messageEn) {
    return new Violation(Kind.INVALID, field, rule, message, messageEn);
  }

  public static Violation notAllowed(String field, String rule, String message, String messageEn) {
    return new Violation(Kind.NOT_ALLOWED, field, rule, message, messageEn);
  }

  public Violation under(String prefix) {
    return new Violation(kind, field == null || field.isEmpty() ? prefix : prefix + "." + field, rule, message, messageEn);
  }

  @Override
  public String toString() {
    return field + ": " + rule + " (" + messageEn + ")";
  }
}
