package org.haochaping.gateway.channel;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.policy.Violation;

/**
 * An error as {@code application/problem+json} (RFC 9457) with the gateway's extensions: a stable
 * {@code code}, a Chinese and English title, and every violation with field, rule and messages.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type,
    String title,
    int status,
    String code,
    String detail,
    List<Item> violations,
    @JsonIgnore Map<String, Object> extra) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** One violation as a client reads it. */
  public record Item(String field, String rule, String message, String messageEn) {
    static Item of(Violation v) {
      return new Item(v.field(), v.rule(), v.message(), v.messageEn());
    }
  }

  public static Problem of(int status, String code, String titleZh, String titleEn, String detail) {
    return new Problem("urn:haochaping:problem:" + code, titleZh + " / " + titleEn, status, code, detail, List.of(), Map.of());
  }

  public static Problem of(int status, String code, String titleZh, String titleEn, List<Violation> violations) {
    return new Problem("urn:haochaping:problem:" + code, titleZh + " / " + titleEn, status, code,
        violations.size() + " 条规则未满足 / " + violations.size() + " rule(s) not met",
        violations.stream().map(Item::of).toList(), Map.of());
  }

  public Problem with(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extra);
    more.put(key, value);
    return new Problem(type, title, status, code, detail, violations, more);
  }

  /** Extension members (e.g. the ratingId that holds a key) written beside the standard ones. */
  @JsonAnyGetter
  public Map<String, Object> extensions() {
    return extra;
  }

  // The standard refusals, in one place so that every channel words them alike.

  public static Problem malformedJson(String detail) {
    return of(400, "MALFORMED_JSON", "请求体不是合法的JSON", "The request body is not valid JSON", detail);
  }

  public static Problem validation(List<Violation> violations) {
    return of(400, "VALIDATION_FAILED", "数据校验未通过", "Validation failed", violations);
  }

  public static Problem caseUnknown(List<Violation> violations) {
    return of(422, "CASE_UNKNOWN", "办件不存在", "Case unknown", violations);
  }

  public static Problem notAllowed(List<Violation> violations) {
    return of(422, "RATING_NOT_ALLOWED", "按评价规则现在不能接受该数据", "Not allowed by the rating rules now", violations);
  }

  public static Problem conflict(String detailZh, String detailEn) {
    return of(409, "IDEMPOTENCY_CONFLICT", "同一评价已以不同内容提交", "The same rating was already sent with different content",
        detailZh + " / " + detailEn);
  }

  public static Problem unsupportedMediaType(String got, String expected) {
    return of(415, "UNSUPPORTED_MEDIA_TYPE", "不支持的内容类型", "Unsupported media type",
        "Content-Type 应为 " + expected + "，收到 " + (got == null ? "（无）" : got)
            + " / Content-Type must be " + expected + ", got " + (got == null ? "none" : got));
  }

  public static Problem tooLarge(long limit) {
    return of(413, "PAYLOAD_TOO_LARGE", "请求体过大", "Payload too large",
        "请求体不能超过 " + limit + " 字节 / the request body must not exceed " + limit + " bytes");
  }

  public static Problem notFound(String what) {
    return of(404, "NOT_FOUND", "未找到", "Not found", what);
  }

  /** A node whose HTTP port is open before all its routes are (start-up): try again, or another node. */
  public static Problem starting(String path) {
    return of(503, "STARTING", "网关正在启动，请稍后重试", "The gateway is starting; retry shortly",
        "接口尚未就绪 / endpoint not ready yet: " + path);
  }

  public static Problem unavailable(String detail) {
    return of(503, "UNAVAILABLE", "网关暂时无法持久化数据，请稍后重试", "The gateway cannot store data durably right now; retry later", detail);
  }
}
