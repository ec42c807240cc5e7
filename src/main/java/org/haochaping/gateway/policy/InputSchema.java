package org.haochaping.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A JSON schema from {@code mappings/schema/} whose failures are turned into {@link Violation}s
 * that name the field and the rule in Chinese and English.
 */
public final class InputSchema {

  /** How a field with a pattern must look, for people: field name -> {zh, en}. */
  private static final Map<String, String[]> FORMATS = Map.of(
      "caseNo", new String[] {"只能由1至64个可见ASCII字符组成（不含空格）", "must be 1 to 64 printable ASCII characters without spaces"},
      "areaCode", new String[] {"应为12位数字的行政区划代码", "must be a 12-digit administrative area code"},
      "mobile", new String[] {"应为11位中国大陆手机号码", "must be an 11-digit mainland China mobile number"},
      "idType", new String[] {"应为3位证件类型代码（如111 居民身份证）", "must be a 3-digit certificate type code (e.g. 111 resident ID card)"},
      "idNo", new String[] {"应为4至32位字母、数字", "must be 4 to 32 letters or digits"},
      "userProp", new String[] {"应为1位评价人类型代码（1 自然人、2 企业法人……）", "must be a 1-digit user type code (1 natural person, 2 legal person, ...)"},
      "ratedAt", new String[] {"应为带时区的ISO-8601时间，如 2026-11-24T10:00:00+08:00", "must be an ISO-8601 date-time with offset, e.g. 2026-11-24T10:00:00+08:00"},
      "tags", new String[] {"标签代码应为1至16位字母或数字", "tag codes must be 1 to 16 letters or digits"});

  private static final String[] DATE_TIME = {"应为带时区的ISO-8601时间，如 2026-11-24T10:00:00+08:00", "must be an ISO-8601 date-time with offset, e.g. 2026-11-24T10:00:00+08:00"};

  private final JsonSchema schema;

  private InputSchema(JsonSchema schema) {
    this.schema = schema;
  }

  /** Loads {@code mappings/schema/<file>} from the classpath. */
  public static InputSchema load(String file) {
    String path = "mappings/schema/" + file;
    try (InputStream in = InputSchema.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no schema " + path + " on the classpath");
      }
      SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
          .formatAssertionsEnabled(true)
          .pathType(PathType.JSON_POINTER)
          .locale(Locale.ENGLISH)
          .build();
      return new InputSchema(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every rule the document breaks, in a stable order; empty when it conforms. */
  public List<Violation> check(JsonNode document) {
    List<Violation> out = new ArrayList<>();
    for (ValidationMessage m : schema.validate(document)) {
      out.add(toViolation(m));
    }
    out.sort(Comparator.comparing(Violation::field).thenComparing(Violation::rule));
    return out;
  }

  private static Violation toViolation(ValidationMessage m) {
    String at = fieldOf(m.getInstanceLocation().toString());
    String type = m.getType();
    Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
    switch (type) {
      case "required": {
        String field = join(at, m.getProperty());
        return Violation.invalid(field, "required", "缺少必填字段 " + field, field + " is required");
      }
      case "additionalProperties": {
        String field = join(at, m.getProperty());
        return Violation.invalid(field, "unknownField", "不允许的字段 " + field + "，请对照接口文档检查字段名",
            field + " is not a known field; check the field name against the API documentation");
      }
      case "type": {
        String expected = args.length > 1 ? String.valueOf(args[1]) : "?";
        return Violation.invalid(at, "type", at + " 的类型应为 " + typeZh(expected), at + " must be of type " + expected);
      }
      case "enum": {
        String values = args.length > 0 ? String.valueOf(args[0]) : "";
        return Violation.invalid(at, "enum", at + " 的取值必须是以下之一：" + values, at + " must be one of " + values);
      }
      case "pattern":
      case "format": {
        String[] f = FORMATS.getOrDefault(leaf(at), type.equals("format") ? DATE_TIME : new String[] {"格式不正确", "has the wrong format"});
        return Violation.invalid(at, "format", at + " " + f[0], at + " " + f[1]);
      }
      case "maxLength":
        return Violation.invalid(at, "maxLength", at + " 不能超过 " + arg(args) + " 个字符", at + " must be at most " + arg(args) + " characters");
      case "minLength":
        return Violation.invalid(at, "minLength", at + " 至少需要 " + arg(args) + " 个字符", at + " must be at least " + arg(args) + " characters");
      case "maximum":
        return Violation.invalid(at, "maximum", at + " 不能大于 " + arg(args), at + " must be at most " + arg(args));
      case "minimum":
        return Violation.invalid(at, "minimum", at + " 不能小于 " + arg(args), at + " must be at least " + arg(args));
      case "maxItems":
        return Violation.invalid(at, "maxItems", at + " 最多 " + arg(args) + " 项", at + " must have at most " + arg(args) + " items");
      case "uniqueItems":
        return Violation.invalid(at, "uniqueItems", at + " 中有重复项", at + " must not repeat an item");
      default:
        return Violation.invalid(at, type, at + " 不符合规则 " + type, m.getMessage());
    }
  }

  private static String arg(Object[] args) {
    return args.length > 0 ? String.valueOf(args[0]) : "?";
  }

  /** JSON pointer /target/staffId -> target.staffId; /tags/2 -> tags[2]. */
  static String fieldOf(String pointer) {
    if (pointer == null || pointer.isEmpty() || pointer.equals("/") || pointer.equals("$")) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (String part : pointer.substring(1).split("/")) {
      String p = part.replace("~1", "/").replace("~0", "~");
      if (p.chars().allMatch(Character::isDigit) && !p.isEmpty()) {
        b.append('[').append(p).append(']');
      } else {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(p);
      }
    }
    return b.toString();
  }

  private static String join(String at, String property) {
    if (property == null) {
      return at;
    }
    return at.isEmpty() ? property : at + "." + property;
  }

  private static String leaf(String field) {
    String f = field.replaceAll("\\[\\d+]$", "");
    int dot = f.lastIndexOf('.');
    return dot < 0 ? f : f.substring(dot + 1);
  }

  private static String typeZh(String expected) {
    return Arrays.stream(expected.replaceAll("[\\[\\]]", "").split(",\\s*"))
        .map(t -> switch (t.trim()) {
          case "string" -> "字符串 (string)";
          case "integer" -> "整数 (integer)";
          case "number" -> "数字 (number)";
          case "boolean" -> "布尔值 (boolean)";
          case "array" -> "数组 (array)";
          case "object" -> "对象 (object)";
          default -> t;
        })
        .collect(Collectors.joining(" / "));
  }
}
