package org.haochaping.gateway.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.haochaping.gateway.Json;

/** Turns a REST route's exchange into the response: status, content type, JSON body, nothing else. */
public final class HttpReply {

  private HttpReply() {}

  public static void json(Exchange exchange, int status, Object body) {
    Message m = exchange.getMessage();
    // Request headers must not echo back as response headers.
    m.removeHeaders("*");
    m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
    m.setHeader(Exchange.CONTENT_TYPE, "application/json;charset=UTF-8");
    m.setBody(Json.bytes(body));
  }

  public static void problem(Exchange exchange, Problem problem) {
    Message m = exchange.getMessage();
    m.removeHeaders("*");
    m.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
    m.setHeader(Exchange.CONTENT_TYPE, Problem.MEDIA_TYPE + ";charset=UTF-8");
    if (problem.status() == 503) {
      // The broker or database is away for now: tell the client when to try again (RFC 9110 §10.2.3).
      m.setHeader("Retry-After", "5");
    }
    m.setBody(Json.bytes(problem));
  }

  public static void text(Exchange exchange, int status, String contentType, String body) {
    Message m = exchange.getMessage();
    m.removeHeaders("*");
    m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
    m.setHeader(Exchange.CONTENT_TYPE, contentType);
    m.setBody(body);
  }

  /** The request body as bytes (empty when there is none). */
  public static byte[] body(Exchange exchange) {
    byte[] body = exchange.getMessage().getBody(byte[].class);
    return body == null ? new byte[0] : body;
  }

  /** The Content-Type's media type without parameters, lower case; null when absent. */
  public static String mediaType(Exchange exchange) {
    String ct = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
    if (ct == null || ct.isBlank()) {
      return null;
    }
    int semicolon = ct.indexOf(';');
    return (semicolon < 0 ? ct : ct.substring(0, semicolon)).strip().toLowerCase(java.util.Locale.ROOT);
  }

  /** Reads a JSON document, or says where it is broken. */
  public static JsonNode parse(byte[] body) throws BadJson {
    if (body.length == 0) {
      throw new BadJson("请求体为空 / the request body is empty");
    }
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new BadJson("请求体为空 / the request body is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      throw new BadJson("JSON 语法错误 / JSON syntax error" + where + ": " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BadJson("无法读取请求体 / cannot read the body: " + e.getMessage());
    }
  }

  /** A body that is not JSON. */
  public static final class BadJson extends Exception {
    public BadJson(String message) {
      super(message);
    }
  }

  /** A query parameter (Camel puts them in headers), stripped; null when absent or blank. */
  public static String query(Exchange exchange, String name) {
    String v = exchange.getMessage().getHeader(name, String.class);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /**
   * A whole-number query parameter within [min, max]; {@code fallback} when absent. A bad value adds a
   * violation naming the parameter and the rule (zh + en) and answers {@code fallback}.
   */
  public static int number(Exchange exchange, String name, int fallback, int min, int max,
      java.util.List<org.haochaping.gateway.policy.Violation> bad) {
    String v = query(exchange, name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        bad.add(org.haochaping.gateway.policy.Violation.invalid(name, "range", name + " 应在 " + min + " 到 " + max + " 之间",
            name + " must be between " + min + " and " + max));
        return fallback;
      }
      return n;
    } catch (NumberFormatException e) {
      bad.add(org.haochaping.gateway.policy.Violation.invalid(name, "type", name + " 应为整数", name + " must be a whole number"));
      return fallback;
    }
  }
}
