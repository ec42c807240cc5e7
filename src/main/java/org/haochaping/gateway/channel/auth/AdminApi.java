package org.haochaping.gateway.channel.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.policy.Violation;

/**
 * {@code /api/v1/admin}: clients (create, rotate, disable, enable), admin tokens, the audit log.
 * Access (bearer token, roles, audit of every change) is enforced by {@link AccessGuard} before any
 * of these runs; a new secret or token is shown once, in the answer, and never again.
 */
public final class AdminApi {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clients clients;
  private final AdminTokens tokens;
  private final AuditLog audit;

  public AdminApi(Clients clients, AdminTokens tokens, AuditLog audit) {
    this.clients = clients;
    this.tokens = tokens;
    this.audit = audit;
  }

  /** GET /api/v1/admin/clients. */
  public void listClients(Exchange exchange) {
    HttpReply.json(exchange, 200, clients.list().stream().map(c -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("appKey", c.appKey());
      m.put("name", c.name());
      m.put("status", c.status());
      m.put("ratePerSecond", c.ratePerSecond());
      m.put("createdAt", c.createdAt());
      m.put("updatedAt", c.updatedAt());
      return m;
    }).toList());
  }

  /** POST /api/v1/admin/clients {appKey, name, ratePerSecond}: 201 with the secret, shown once. */
  public void createClient(Exchange exchange) {
    JsonNode body = object(exchange);
    if (body == null) {
      return;
    }
    String appKey = body.path("appKey").asText("");
    String name = body.path("name").asText("");
    int rate = body.path("ratePerSecond").asInt(200);
    if (!appKey.matches("[A-Za-z0-9_.-]{2,64}") || name.isBlank() || rate < 0) {
      HttpReply.problem(exchange, Problem.validation(java.util.List.of(
          Violation.invalid("appKey", "format", "appKey 应为2至64位字母、数字、_ . -，name 必填，ratePerSecond 不小于0",
              "appKey must be 2 to 64 letters, digits, _ . or -; name is required; ratePerSecond must not be negative"))));
      return;
    }
    if (clients.find(appKey).isPresent()) {
      HttpReply.problem(exchange, Problem.of(409, "CLIENT_EXISTS", "接入方已存在", "The client exists", "AppKey " + appKey));
      return;
    }
    String secret = secret();
    clients.create(appKey, name, secret, rate);
    done(exchange, "client.create", appKey);
    HttpReply.json(exchange, 201, Map.of("appKey", appKey, "secret", secret, "ratePerSecond", rate,
        "note", "密钥只显示这一次，请妥善保存 / the secret is shown only this once"));
  }

  /** POST /api/v1/admin/clients/{appKey}/rotate {overlapMinutes}: a new secret; the old one works a while longer. */
  public void rotateClient(Exchange exchange) {
    String appKey = exchange.getMessage().getHeader("appKey", String.class);
    JsonNode body = optionalObject(exchange);
    int overlap = body == null ? 60 : body.path("overlapMinutes").asInt(60);
    if (clients.find(appKey).isEmpty()) {
      HttpReply.problem(exchange, Problem.notFound("没有接入方 " + appKey + " / no client " + appKey));
      return;
    }
    String secret = secret();
    clients.rotate(appKey, secret, Duration.ofMinutes(overlap));
    done(exchange, "client.rotate", appKey);
    HttpReply.json(exchange, 200, Map.of("appKey", appKey, "secret", secret, "previousSecretValidMinutes", overlap));
  }

  /** POST /api/v1/admin/clients/{appKey}/disable and /enable. */
  public void disableClient(Exchange exchange) {
    setStatus(exchange, "DISABLED");
  }

  public void enableClient(Exchange exchange) {
    setStatus(exchange, "ACTIVE");
  }

  /** POST /api/v1/admin/tokens {name, role}: 201 with the token, shown once. */
  public void createToken(Exchange exchange) {
    JsonNode body = object(exchange);
    if (body == null) {
      return;
    }
    String name = body.path("name").asText("");
    String role = body.path("role").asText("");
    if (name.isBlank() || !(role.equals("OPERATOR") || role.equals("VIEWER"))) {
      HttpReply.problem(exchange, Problem.validation(java.util.List.of(Violation.invalid("role", "enum",
          "name 必填，role 应为 OPERATOR 或 VIEWER", "name is required; role must be OPERATOR or VIEWER"))));
      return;
    }
    String token = secret() + secret();
    tokens.ensure(token, name, AdminTokens.Role.valueOf(role));
    done(exchange, "token.create", name + " (" + role + ")");
    HttpReply.json(exchange, 201, Map.of("name", name, "role", role, "token", token,
        "note", "令牌只显示这一次 / the token is shown only this once"));
  }

  /** GET /api/v1/admin/tokens. */
  public void listTokens(Exchange exchange) {
    HttpReply.json(exchange, 200, tokens.list());
  }

  /** POST /api/v1/admin/tokens/{name}/revoke. */
  public void revokeToken(Exchange exchange) {
    String name = exchange.getMessage().getHeader("name", String.class);
    int revoked = tokens.revoke(name);
    done(exchange, "token.revoke", name);
    HttpReply.json(exchange, 200, Map.of("name", name, "revoked", revoked));
  }

  /** GET /api/v1/admin/audit?limit=N. */
  public void audit(Exchange exchange) {
    int limit = Math.min(1000, Math.max(1, exchange.getMessage().getHeader("limit", 100, Integer.class)));
    HttpReply.json(exchange, 200, audit.recent(limit));
  }

  private void setStatus(Exchange exchange, String status) {
    String appKey = exchange.getMessage().getHeader("appKey", String.class);
    try {
      clients.setStatus(appKey, status);
    } catch (IllegalArgumentException e) {
      HttpReply.problem(exchange, Problem.notFound("没有接入方 " + appKey + " / no client " + appKey));
      return;
    }
    done(exchange, "client." + status.toLowerCase(java.util.Locale.ROOT), appKey);
    HttpReply.json(exchange, 200, Map.of("appKey", appKey, "status", status));
  }

  private void done(Exchange exchange, String action, String target) {
    audit.record(exchange.getProperty(AccessGuard.CALLER, "?", String.class), exchange.getProperty(AccessGuard.ROLE, String.class),
        action, target, null, "DONE");
  }

  private static JsonNode object(Exchange exchange) {
    JsonNode body = optionalObject(exchange);
    if (body == null) {
      HttpReply.problem(exchange, Problem.malformedJson("请求体应为JSON对象 / the body must be a JSON object"));
    }
    return body;
  }

  private static JsonNode optionalObject(Exchange exchange) {
    try {
      byte[] bytes = HttpReply.body(exchange);
      if (bytes.length == 0) {
        return null;
      }
      JsonNode n = HttpReply.parse(bytes);
      return n.isObject() ? n : null;
    } catch (HttpReply.BadJson e) {
      return null;
    }
  }

  private static String secret() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
