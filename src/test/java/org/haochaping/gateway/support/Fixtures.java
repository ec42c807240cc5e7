package org.haochaping.gateway.support;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Payloads as departmental systems send them: a case of 廉江市, ratings of it. */
public final class Fixtures {

  /** A valid resident ID number (GB 11643 check digit 3), not a real person's. */
  public static final String ID_NO = "440881199001011233";
  public static final String MOBILE = "13812340000";

  private Fixtures() {}

  public static Map<String, Object> windowCase(String caseNo) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("caseNo", caseNo);
    c.put("taskCode", "11440881MB2C93418X4440111001");
    c.put("itemName", "个体工商户设立登记");
    c.put("deptCode", "LJSCJGJ");
    c.put("deptName", "廉江市市场监督管理局");
    c.put("areaCode", "440881000000");
    c.put("hallCode", "LJ-ZWFW-01");
    c.put("windowNo", "12");
    c.put("staffId", "S0012");
    c.put("staffName", "李四");
    c.put("mode", "WINDOW");
    c.put("acceptedAt", iso(OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(2)));
    c.put("applicant", Map.of("name", "张三", "idType", "111", "idNo", ID_NO, "mobile", MOBILE, "userProp", "1"));
    return c;
  }

  public static Map<String, Object> completedCase(String caseNo) {
    Map<String, Object> c = windowCase(caseNo);
    c.put("status", "COMPLETED");
    c.put("completedAt", iso(OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(1)));
    return c;
  }

  /**
   * 2026-11-24T10:00:00+08:00, seconds always written: OffsetDateTime.toString() leaves out ":00"
   * seconds, which the schema's date-time format rightly refuses (a test then failed at whole minutes).
   */
  public static String iso(OffsetDateTime t) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  public static Map<String, Object> rating(String caseNo, String level) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("caseNo", caseNo);
    r.put("channel", "PORTAL");
    r.put("level", level);
    r.put("evaluator", Map.of("name", "张三", "idType", "111", "idNo", ID_NO, "mobile", MOBILE, "userProp", "1"));
    return r;
  }
}
