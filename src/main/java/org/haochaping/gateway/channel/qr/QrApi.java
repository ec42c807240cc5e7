package org.haochaping.gateway.channel.qr;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.store.CaseStore;
import org.haochaping.gateway.store.RatingLinks;
import org.haochaping.gateway.store.StoreException;

/**
 * QR codes over REST. The images are public (a static code is printed on a window; a dynamic code's
 * URL holds its single-use token, so whoever has the URL has the code anyway):
 * <ul>
 *   <li>{@code GET /api/v1/qr/halls/{hallCode}.png} and {@code /api/v1/qr/halls/{hallCode}/windows/{windowNo}.png}
 *       — static codes to print (000 第十三条);
 *   <li>{@code GET /api/v1/qr/links/{token}.png} — a dynamic code for one case.
 * </ul>
 * Issuing a dynamic code is for signed clients: {@code POST /api/v1/cases/{caseNo}/rating-links}.
 */
public final class QrApi {

  static final String CODE = "[A-Za-z0-9_.\\-]{1,64}";

  private final PublicLinks publicLinks;
  private final DynamicLinks dynamicLinks;
  private final RatingLinks links;
  private final CaseStore cases;

  public QrApi(PublicLinks publicLinks, DynamicLinks dynamicLinks, RatingLinks links, CaseStore cases) {
    this.publicLinks = publicLinks;
    this.dynamicLinks = dynamicLinks;
    this.links = links;
    this.cases = cases;
  }

  /** GET /api/v1/qr/halls/{file}: the hall's static code ({@code LJ-ZWFW-01.png}). */
  public void hall(Exchange exchange) {
    String hall = withoutPng(exchange.getMessage().getHeader("file", String.class));
    if (!checkCodes(exchange, hall, null)) {
      return;
    }
    png(exchange, publicLinks.staticPage(hall, null), "public, max-age=86400");
  }

  /** GET /api/v1/qr/halls/{hallCode}/windows/{file}: one window's static code. */
  public void window(Exchange exchange) {
    String hall = exchange.getMessage().getHeader("hallCode", String.class);
    String window = withoutPng(exchange.getMessage().getHeader("file", String.class));
    if (!checkCodes(exchange, hall, window)) {
      return;
    }
    png(exchange, publicLinks.staticPage(hall, window), "public, max-age=86400");
  }

  /** GET /api/v1/qr/links/{file}: the dynamic code of a link that can still be used. */
  public void link(Exchange exchange) {
    String token = withoutPng(exchange.getMessage().getHeader("file", String.class));
    try {
      Optional<RatingLinks.Link> link = links.find(token);
      if (link.isEmpty()) {
        HttpReply.problem(exchange, Problem.notFound("没有这个评价二维码 / no such rating code"));
        return;
      }
      if (!link.get().usable(OffsetDateTime.now(dynamicLinks.clock()))) {
        HttpReply.problem(exchange, Problem.of(410, "LINK_GONE", "该评价二维码已使用或已过期", "This rating code was used or has expired",
            link.get().usedAt() != null ? "已评价 / already rated" : "评价期已过 / the rating window is closed"));
        return;
      }
      png(exchange, publicLinks.ratingPage(token), "no-store");
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  /**
   * POST /api/v1/cases/{caseNo}/rating-links: a dynamic code for a case, e.g. shown on the window's
   * screen at a hall with system integration (000 第十三条). Body optional: {@code {"target": "STAFF", "staffId": "S0012"}}.
   */
  public void issue(Exchange exchange) {
    String caseNo = exchange.getMessage().getHeader("caseNo", String.class);
    String targetType = null;
    String staffId = null;
    byte[] body = HttpReply.body(exchange);
    if (body.length > 0) {
      JsonNode doc;
      try {
        doc = HttpReply.parse(body);
      } catch (HttpReply.BadJson e) {
        HttpReply.problem(exchange, Problem.malformedJson(e.getMessage()));
        return;
      }
      targetType = doc.hasNonNull("target") ? doc.get("target").asText() : null;
      staffId = doc.hasNonNull("staffId") ? doc.get("staffId").asText() : null;
      if (targetType != null && !List.of("ITEM", "ITEM_AND_STAFF", "STAFF").contains(targetType)) {
        HttpReply.problem(exchange, Problem.validation(List.of(Violation.invalid("target", "enum",
            "target 应为 ITEM、ITEM_AND_STAFF 或 STAFF", "target must be ITEM, ITEM_AND_STAFF or STAFF"))));
        return;
      }
    }
    try {
      Optional<ServiceCase> c = cases.find(caseNo);
      if (c.isEmpty()) {
        HttpReply.problem(exchange, Problem.notFound("没有办件 " + caseNo + " / no case " + caseNo));
        return;
      }
      if (TargetType.STAFF.name().equals(targetType) && staffId == null && c.get().staffId() == null) {
        HttpReply.problem(exchange, Problem.validation(List.of(Violation.invalid("staffId", "required",
            "评价服务人员时必须提供 staffId（办件中也没有）", "staffId is required when staff is rated (and the case has none)"))));
        return;
      }
      Optional<DynamicLinks.Issued> issued = dynamicLinks.issue(c.get(), Channel.QR_DYNAMIC, targetType,
          staffId != null ? staffId : TargetType.STAFF.name().equals(targetType) ? c.get().staffId() : null, null);
      if (issued.isEmpty()) {
        HttpReply.problem(exchange, Problem.of(422, "RATING_WINDOW_CLOSED", "该办件当前不在评价期内", "The case is not open for rating now",
            "评价期从办结起算（广西：受理或办结），默认 7 个自然日 / the window opens at completion (guangxi: acceptance or completion)"
                + " and closes when the default rating is given"));
        return;
      }
      HttpReply.json(exchange, 201, issued.get().view());
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  private boolean checkCodes(Exchange exchange, String hall, String window) {
    if (hall == null || !hall.matches(CODE)) {
      HttpReply.problem(exchange, Problem.validation(List.of(Violation.invalid("hallCode", "format",
          "大厅编码应为1至64位字母、数字、-、_、.", "hallCode must be 1 to 64 letters, digits, -, _ or ."))));
      return false;
    }
    if (window != null && !window.matches("[A-Za-z0-9_.\\-]{1,32}")) {
      HttpReply.problem(exchange, Problem.validation(List.of(Violation.invalid("windowNo", "format",
          "窗口号应为1至32位字母、数字、-、_、.", "windowNo must be 1 to 32 letters, digits, -, _ or ."))));
      return false;
    }
    return true;
  }

  private static void png(Exchange exchange, String content, String cacheControl) {
    int size = QrCodes.DEFAULT_SIZE;
    String requested = exchange.getMessage().getHeader("size", String.class);
    if (requested != null) {
      try {
        size = Math.max(QrCodes.MIN_SIZE, Math.min(QrCodes.MAX_SIZE, Integer.parseInt(requested)));
      } catch (NumberFormatException e) {
        HttpReply.problem(exchange, Problem.validation(List.of(Violation.invalid("size", "type",
            "size 应为像素数（" + QrCodes.MIN_SIZE + "至" + QrCodes.MAX_SIZE + "）",
            "size must be a number of pixels (" + QrCodes.MIN_SIZE + " to " + QrCodes.MAX_SIZE + ")"))));
        return;
      }
    }
    byte[] image = QrCodes.png(content, size);
    Message m = exchange.getMessage();
    m.removeHeaders("*");
    m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
    m.setHeader(Exchange.CONTENT_TYPE, "image/png");
    m.setHeader("Cache-Control", cacheControl);
    m.setHeader("X-Content-Type-Options", "nosniff");
    m.setBody(image);
  }

  static String withoutPng(String file) {
    if (file == null) {
      return null;
    }
    return file.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? file.substring(0, file.length() - 4) : file;
  }
}
