package org.haochaping.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.haochaping.gateway.province.ProvinceCodeTables;

/**
 * What a provincial 好差评 platform checks in each record it receives, in one place: one row per
 * national field, then the rules that involve two fields. Codes come from the province's tables
 * ({@link ProvinceCodeTables}), so the same rules serve Guangdong and Guangxi.
 */
public final class ProvinceRecordRules {

  static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
  private static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(5);

  private final ProvinceCodeTables codes;
  private final Clock clock;
  private final List<FieldRule> evaluationFields;
  private final List<RecordRule> evaluationRules;
  private final List<FieldRule> caseFields;
  private final List<RecordRule> caseRules;

  public ProvinceRecordRules(ProvinceCodeTables codes, Clock clock) {
    this.codes = codes;
    this.clock = clock;

    // 评价数据 (evaluation record)
    this.evaluationFields =
        List.of(
            required("projectNo", maxLength(64)),
            required("taskCode", code(64, "事项编码")),
            optional("taskHandleItem", matches("[0-9A-Za-z]{33}", "须为33位字母或数字（业务办理项编码）")),
            required("taskName", maxLength(200)),
            required("proStatus", oneOf("1", "2", "3")),
            required("deptCode", code(64, "部门编码")),
            required("areaCode", matches("\\d{12}", "须为12位数字（行政区划代码）")),
            required("userName", maxLength(100)),
            required("userProp", inTable(codes::isUserProp, "user-props.csv")),
            required("certKey", maxLength(64)),
            optional("handleUserName", maxLength(50)),
            optional("handleUserPageCode", maxLength(64)),
            required("satisfaction", inTable(c -> codes.levelOf(c).isPresent(), "satisfaction.csv")),
            optional("evalDetail", tagList()),
            optional("writingEvaluation", maxLength(500)),
            required("assessTime", dateTimeNotInFuture()),
            required("assessNumber", oneOf("1", "2")),
            optional("serviceNumber", matches("[1-9]\\d{0,2}", "须为1至999的整数（同一办件的第几次评价）")),
            required("pf", inTable(codes::isPf, "channels.csv")),
            required("dataSource", matches("\\d{3}", "须为3位数字（数据来源代码）")));
    this.evaluationRules = List.of(this::taskCodeIsPartOfTaskHandleItem, this::badRatingIsExplained);

    // 办件服务数据 (case record)
    this.caseFields =
        List.of(
            required("projectNo", maxLength(64)),
            required("projectName", maxLength(200)),
            required("taskType", matches("\\d{2}", "须为2位数字（事项类型代码，如01行政许可、20公共服务）")),
            required("taskCode", code(64, "事项编码")),
            required("deptCode", code(64, "部门编码")),
            required("deptName", maxLength(200)),
            required("areaCode", matches("\\d{12}", "须为12位数字（行政区划代码）")),
            required("proStatus", oneOf("1", "2", "3")),
            required("acceptDate", dateTimeNotInFuture()),
            required("promiseDay", matches("\\d{1,4}", "须为0至9999的整数（承诺时限）")),
            required("promiseType", oneOf("0", "1", "2", "3")),
            required("proChannel", oneOf("1", "2")),
            required("projectType", oneOf("1", "2")),
            optional("resultDate", dateTime()),
            required("userName", maxLength(100)),
            required("userProp", inTable(codes::isUserProp, "user-props.csv")),
            required("creditType", inTable(codes::isIdType, "id-types.csv")),
            required("creditNum", maxLength(64)),
            optional("mobile", matches("1\\d{10}", "须为11位手机号码")),
            optional("serviceName", maxLength(200)),
            optional("serviceTime", dateTime()));
    this.caseRules = List.of(this::resultDateIsNotBeforeAcceptDate, this::residentIdCardNumberHasEighteenCharacters);
  }

  public List<FieldViolation> checkEvaluation(JsonNode record) {
    return check(record, evaluationFields, evaluationRules);
  }

  public List<FieldViolation> checkCase(JsonNode record) {
    return check(record, caseFields, caseRules);
  }

  // ---- rules that involve two fields ------------------------------------------------------

  /** taskCode (实施编码) is the first 31 of the 33 characters of taskHandleItem (业务办理项编码). */
  private FieldViolation taskCodeIsPartOfTaskHandleItem(Map<String, String> r) {
    String item = r.get("taskHandleItem");
    String task = r.get("taskCode");
    if (item != null && task != null && item.length() == 33 && !item.substring(0, 31).equals(task)) {
      return new FieldViolation("taskCode", "须与taskHandleItem（业务办理项编码）的前31位一致");
    }
    return null;
  }

  /** 不满意/非常不满意 needs a bad-rating tag or a written reason (000 第七条; 002 第五条). */
  private FieldViolation badRatingIsExplained(Map<String, String> r) {
    String satisfaction = r.get("satisfaction");
    if (satisfaction == null || !codes.isBadSatisfaction(satisfaction)) {
      return null;
    }
    boolean hasBadTag = r.get("evalDetail") != null && Arrays.stream(r.get("evalDetail").split(",")).map(String::strip).anyMatch(codes::isBadTag);
    boolean hasText = r.get("writingEvaluation") != null && !r.get("writingEvaluation").isBlank();
    if (hasBadTag || hasText) {
      return null;
    }
    return new FieldViolation(
        "evalDetail",
        "不满意/非常不满意（本省satisfaction=" + String.join("、", codes.badSatisfactionCodes())
            + "）须选择差评标签（evalDetail）或填写文字评价（writingEvaluation）");
  }

  private FieldViolation resultDateIsNotBeforeAcceptDate(Map<String, String> r) {
    LocalDateTime accepted = parseOrNull(r.get("acceptDate"));
    LocalDateTime result = parseOrNull(r.get("resultDate"));
    if (accepted != null && result != null && result.isBefore(accepted)) {
      return new FieldViolation("resultDate", "办结时间不能早于受理时间acceptDate");
    }
    return null;
  }

  private FieldViolation residentIdCardNumberHasEighteenCharacters(Map<String, String> r) {
    String number = r.get("creditNum");
    if ("111".equals(r.get("creditType")) && number != null && !number.matches("\\d{17}[\\dXx]")) {
      return new FieldViolation("creditNum", "居民身份证号码须为18位（末位可为X）");
    }
    return null;
  }

  // ---- field checks ----------------------------------------------------------------------

  /** A check answers null when the value is fine, otherwise the rule it breaks. */
  @FunctionalInterface
  private interface Check {
    String violation(String value);
  }

  @FunctionalInterface
  private interface RecordRule {
    FieldViolation check(Map<String, String> record);
  }

  private record FieldRule(String field, boolean required, Check check) {}

  private static FieldRule required(String field, Check check) {
    return new FieldRule(field, true, check);
  }

  private static FieldRule optional(String field, Check check) {
    return new FieldRule(field, false, check);
  }

  private static Check maxLength(int max) {
    return v -> v.codePointCount(0, v.length()) > max ? "长度不能超过" + max + "个字符" : null;
  }

  private static Check code(int max, String what) {
    return matches("[0-9A-Za-z_-]{1," + max + "}", "须为不超过" + max + "位的字母或数字（" + what + "）");
  }

  private static Check matches(String regex, String rule) {
    java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
    return v -> pattern.matcher(v).matches() ? null : rule;
  }

  private static Check oneOf(String... allowed) {
    List<String> values = List.of(allowed);
    return v -> values.contains(v) ? null : "取值须为" + String.join("、", values) + "之一";
  }

  private static Check inTable(Predicate<String> known, String table) {
    return v -> known.test(v) ? null : "代码" + v + "不在本省代码表" + table + "中";
  }

  private Check tagList() {
    return v -> {
      for (String tag : v.split(",", -1)) {
        if (!codes.isTag(tag.strip())) {
          return "评价标签" + tag.strip() + "不在本省代码表tags.csv中（多个标签以英文逗号分隔）";
        }
      }
      return null;
    };
  }

  private static Check dateTime() {
    return v -> parseOrNull(v) == null ? "时间格式须为yyyy-MM-dd HH:mm:ss" : null;
  }

  private Check dateTimeNotInFuture() {
    return v -> {
      LocalDateTime t = parseOrNull(v);
      if (t == null) {
        return "时间格式须为yyyy-MM-dd HH:mm:ss";
      }
      if (t.atZone(CHINA).toInstant().isAfter(clock.instant().plus(CLOCK_TOLERANCE))) {
        return "不能晚于当前时间5分钟以上";
      }
      return null;
    };
  }

  private static LocalDateTime parseOrNull(String value) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDateTime.parse(value, DATE_TIME);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  // ---- running the rules -----------------------------------------------------------------

  private static List<FieldViolation> check(JsonNode record, List<FieldRule> fields, List<RecordRule> rules) {
    List<FieldViolation> violations = new ArrayList<>();
    if (record == null || !record.isObject()) {
      violations.add(new FieldViolation("record", "每条记录须为JSON对象"));
      return violations;
    }
    Map<String, String> values = new HashMap<>();
    for (FieldRule rule : fields) {
      JsonNode node = record.get(rule.field());
      String value = null;
      if (node != null && !node.isNull()) {
        if (!node.isValueNode()) {
          violations.add(new FieldViolation(rule.field(), "须为字符串或数字"));
          continue;
        }
        value = node.asText();
      }
      if (value == null || value.isBlank()) {
        if (rule.required()) {
          violations.add(new FieldViolation(rule.field(), "必填"));
        }
        continue;
      }
      String broken = rule.check().violation(value);
      if (broken != null) {
        violations.add(new FieldViolation(rule.field(), broken));
      } else {
        values.put(rule.field(), value);
      }
    }
    for (RecordRule rule : rules) {
      FieldViolation v = rule.check(values);
      if (v != null) {
        violations.add(v);
      }
    }
    return violations;
  }
}
