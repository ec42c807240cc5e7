package org.haochaping.gateway.channel.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call what, decided once for every REST route (the {@code interceptFrom} of
 * routes/errors.camel.yaml), by path, default-deny:
 * <ul>
 *   <li>{@code /observe/**} — anyone (load balancers, Prometheus);
 *   <li>{@code /api/v1/admin/**}, {@code /api/v1/stats/**}, {@code /api/v1/integrity/**} — a bearer
 *       token; {@code VIEWER} may only read, {@code OPERATOR} may change; every change is audited;
 *   <li>{@code /api/v1/workorders/**} — a signed client or a bearer token;
 *   <li>every other {@code /api/v1/**} — a signed server-to-server client (DESIGN §4);
 *   <li>{@code /r/**}, {@code /q/**}, {@code /h5/**}, {@code /api/v1/qr/**} — anyone: pages and QR images for citizens.
 * </ul>
 * The console shell is served outside the REST routes.
 */
public final class AccessGuard {

  private static final Logger LOG = LoggerFactory.getLogger(AccessGuard.class);
  public static final String CALLER = "hcp.caller";
  public static final String ROLE = "hcp.role";
  static final Duration SKEW = Duration.ofSeconds(300);

  enum Access { PUBLIC, CLIENT, ADMIN, CLIENT_OR_ADMIN }

  private final Clients clients;
  private final Nonces nonces;
  private final AdminTokens tokens;
  private final AuditLog audit;
  private final RateLimiter limiter;
  private final Clock clock;

  public AccessGuard(Clients clients, Nonces nonces, AdminTokens tokens, AuditLog audit, RateLimiter limiter, Clock clock) {
    this.clients = clients;
    this.nonces = nonces;
    this.tokens = tokens;
    this.audit = audit;
    this.limiter = limiter;
    this.clock = clock;
  }

  static Access accessFor(String path) {
    if (path.startsWith("/observe/") || path.equals("/observe")) {
      return Access.PUBLIC;
    }
    // Citizens, without login: the H5 rating page (/r/{token}: the single-use token is the
    // capability), the page of a static QR code (/q/...), their assets (/h5/), and the QR images
    // (a static code is printed on a window; a dynamic code's URL holds its token anyway).
    if (path.contains("/.")) {
      return Access.ADMIN; // dot segments: the strictest rule, whatever the path resolves to
    }
    if (path.startsWith("/r/") || path.startsWith("/q/") || path.startsWith("/h5/") || path.startsWith("/api/v1/qr/")) {
      return Access.PUBLIC;
    }
    if (path.startsWith("/api/v1/admin/") || path.startsWith("/api/v1/stats") || path.startsWith("/api/v1/integrity")) {
      return Access.ADMIN;
    }
    if (path.startsWith("/api/v1/workorders")) {
      return Access.CLIENT_OR_ADMIN;
    }
    return Access.CLIENT;
  }

  /** Lets the request through, or answers it (401/403/429) and stops the route. */
  public void check(Exchange exchange) {
    Message m = exchange.getMessage();
    String method = m.getHeader(Exchange.HTTP_METHOD, "GET", String.class);
    String path = pathOf(m.getHeader(Exchange.HTTP_URI, "", String.class));
    try {
      Optional<Problem> refusal = switch (accessFor(path)) {
        case PUBLIC -> Optional.empty();
        case CLIENT -> client(exchange, method, path);
        case ADMIN -> admin(exchange, method, path);
        case CLIENT_OR_ADMIN -> m.getHeader("Authorization") != null ? admin(exchange, method, path) : client(exchange, method, path);
      };
      refusal.ifPresent(p -> refuse(exchange, p));
    } catch (StoreException e) {
      refuse(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  private Optional<Problem> client(Exchange exchange, String method, String path) {
    Message m = exchange.getMessage();
    String appKey = m.getHeader(RequestSignature.APP_KEY, String.class);
    String timestamp = m.getHeader(RequestSignature.TIMESTAMP, String.class);
    String nonce = m.getHeader(RequestSignature.NONCE, String.class);
    String signature = m.getHeader(RequestSignature.SIGNATURE, String.class);
    if (blank(appKey) || blank(timestamp) || blank(nonce) || blank(signature)) {
      return Optional.of(unauthorized("SIGNATURE_REQUIRED", "请求未签名：需要 X-HCP-AppKey、X-HCP-Timestamp、X-HCP-Nonce、X-HCP-Signature",
          "the request is not signed: X-HCP-AppKey, X-HCP-Timestamp, X-HCP-Nonce and X-HCP-Signature are required"));
    }
    if (nonce.length() > 64 || !nonce.matches("[A-Za-z0-9_-]+")) {
      return Optional.of(unauthorized("BAD_NONCE", "X-HCP-Nonce 应为1至64位字母、数字、-、_", "X-HCP-Nonce must be 1 to 64 letters, digits, - or _"));
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return Optional.of(unauthorized("BAD_TIMESTAMP", "X-HCP-Timestamp 应为毫秒时间戳", "X-HCP-Timestamp must be epoch milliseconds"));
    }
    if (Math.abs(clock.millis() - ts) > SKEW.toMillis()) {
      return Optional.of(unauthorized("TIMESTAMP_SKEW", "请求时间与服务器相差超过300秒，请校准时钟",
          "the request time is more than 300 s away from the server's; check the client's clock"));
    }
    Optional<Clients.Client> client = clients.find(appKey);
    if (client.isEmpty()) {
      return Optional.of(unauthorized("UNKNOWN_CLIENT", "未知的 AppKey", "unknown AppKey"));
    }
    byte[] body = HttpReply.body(exchange);
    boolean signed = client.get().secrets().stream()
        .anyMatch(secret -> RequestSignature.matches(RequestSignature.sign(secret, method, path, timestamp, nonce, body), signature));
    if (!signed) {
      return Optional.of(unauthorized("BAD_SIGNATURE", "签名不正确（请对照接入指南检查待签名字符串）",
          "wrong signature (compare the signed text with the onboarding guide)"));
    }
    if (!client.get().active()) {
      return Optional.of(Problem.of(403, "CLIENT_DISABLED", "该接入方已停用", "This client is disabled", "AppKey " + appKey));
    }
    if (!nonces.firstUse(appKey, nonce)) {
      return Optional.of(unauthorized("NONCE_REPLAYED", "该请求已被处理过（随机数重复），请用新的 X-HCP-Nonce 重新签名",
          "this request was seen before (nonce reused); sign it again with a new X-HCP-Nonce"));
    }
    long wait = limiter.acquire(appKey, client.get().ratePerSecond(), System.nanoTime());
    if (wait > 0) {
      exchange.setProperty("hcp.retryAfter", wait);
      return Optional.of(Problem.of(429, "RATE_LIMITED", "请求过于频繁", "Too many requests",
          "该接入方每秒最多 " + client.get().ratePerSecond() + " 次 / at most " + client.get().ratePerSecond() + " requests a second"));
    }
    exchange.setProperty(CALLER, appKey);
    exchange.setProperty(ROLE, "CLIENT");
    return Optional.empty();
  }

  private Optional<Problem> admin(Exchange exchange, String method, String path) {
    String header = exchange.getMessage().getHeader("Authorization", String.class);
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    Optional<AdminTokens.Holder> holder = tokens.holder(token);
    if (holder.isEmpty()) {
      audit.record("anonymous", null, method + " " + path, path, null, "REFUSED_401");
      return Optional.of(Problem.of(401, "ADMIN_TOKEN_REQUIRED", "需要有效的管理令牌", "A valid admin token is required",
          "Authorization: Bearer <token>"));
    }
    boolean reading = method.equals("GET") || method.equals("HEAD");
    if (!reading && holder.get().role() != AdminTokens.Role.OPERATOR) {
      audit.record(holder.get().name(), holder.get().role().name(), method + " " + path, path, null, "REFUSED_403");
      return Optional.of(Problem.of(403, "OPERATOR_ROLE_REQUIRED", "只读角色不能执行该操作", "The viewer role cannot do this",
          "需要 OPERATOR 角色 / the OPERATOR role is required"));
    }
    if (!reading) {
      audit.record(holder.get().name(), holder.get().role().name(), method + " " + path, path, null, "ALLOWED");
    }
    exchange.setProperty(CALLER, holder.get().name());
    exchange.setProperty(ROLE, holder.get().role().name());
    return Optional.empty();
  }

  private static void refuse(Exchange exchange, Problem problem) {
    LOG.info("Refused {} {}: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
        exchange.getMessage().getHeader(Exchange.HTTP_URI), problem.code());
    Object retryAfter = exchange.getProperty("hcp.retryAfter");
    HttpReply.problem(exchange, problem);
    if (retryAfter != null) {
      exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfter));
    }
    exchange.setRouteStop(true);
  }

  private static Problem unauthorized(String code, String zh, String en) {
    return Problem.of(401, code, "请求未通过身份验证", "The request is not authenticated", zh + " / " + en);
  }

  static String pathOf(String uri) {
    int scheme = uri.indexOf("://");
    if (scheme >= 0) {
      int slash = uri.indexOf('/', scheme + 3);
      uri = slash < 0 ? "/" : uri.substring(slash);
    }
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
