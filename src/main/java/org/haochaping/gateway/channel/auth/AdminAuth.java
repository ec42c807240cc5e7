package org.haochaping.gateway.channel.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;
import org.haochaping.gateway.Credentials;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;

/**
 * The admin API's bearer token (DESIGN §4: "Admin API: bearer token"), checked in one place: the
 * first step of every {@code /api/v1/admin/...} route is {@code bean: adminAuth?method=require}.
 * Today there is one token, {@code admin.token} of the generated credentials; roles and an audit
 * trail belong here too when they come (one class to extend, no route to change).
 */
public final class AdminAuth {

  /** Exchange property naming who called, for logs and, later, the audit trail. */
  public static final String CALLER = "hcp.caller";

  private final byte[] token;

  public AdminAuth(Credentials credentials) {
    String t = credentials.get("admin.token");
    if (t == null || t.isBlank()) {
      throw new IllegalStateException("no admin.token in the credentials");
    }
    this.token = t.getBytes(StandardCharsets.UTF_8);
  }

  /** Lets the request through when it carries the admin token; otherwise answers 401 and ends the route. */
  public void require(Exchange exchange) {
    String header = exchange.getMessage().getHeader("Authorization", String.class);
    if (accepts(header)) {
      exchange.setProperty(CALLER, "admin");
      return;
    }
    HttpReply.problem(exchange, Problem.of(401, "UNAUTHORIZED", "需要管理令牌", "Admin token required",
        header == null || header.isBlank()
            ? "请在 Authorization 头中携带 Bearer 管理令牌（data/credentials.properties 的 admin.token） / send Authorization: Bearer <admin token>"
            : "管理令牌不正确 / the admin token is not valid"));
    exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"haochaping-gateway admin\"");
    exchange.setRouteStop(true);
  }

  /** True for {@code Bearer <admin token>}; compared in constant time. */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(token, presented);
  }
}
