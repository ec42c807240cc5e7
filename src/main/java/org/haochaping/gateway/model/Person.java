package org.haochaping.gateway.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An evaluator or applicant. Confidential (002 第十一条): encrypted at rest, masked in logs, never
 * exported. {@link #toString()} masks every field so that a stray log line cannot leak it.
 */
public record Person(String name, String idType, String idNo, String mobile, String userProp) {

  @JsonIgnore
  public boolean isEmpty() {
    return blank(name) && blank(idNo) && blank(mobile);
  }

  @Override
  public String toString() {
    return "Person[name=" + Masking.name(name) + ", idType=" + idType + ", idNo=" + Masking.idNo(idNo)
        + ", mobile=" + Masking.mobile(mobile) + ", userProp=" + userProp + "]";
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
