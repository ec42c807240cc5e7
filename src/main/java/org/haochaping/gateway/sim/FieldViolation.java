package org.haochaping.gateway.sim;

/**
 * One broken rule of one record, e.g. {@code areaCode：须为12位数字（行政区划代码）}. The text never
 * repeats a personal value (names, certificate numbers, phone numbers); codes are repeated.
 */
public record FieldViolation(String field, String rule) {

  public String message() {
    return field + "：" + rule;
  }
}
