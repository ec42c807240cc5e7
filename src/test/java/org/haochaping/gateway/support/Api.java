package org.haochaping.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.haochaping.gateway.Json;

/** A small HTTP client for tests: what a departmental system would send, and what it gets back. */
public final class Api {

  /** A response as a test reads it. */
  public record Response(int status, String contentType, String text) {
    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public Api(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public Response post(String path, String json) {
    return send("POST", path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public Response post(String path, Object body) {
    return post(path, Json.text(body));
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  public Response send(String method, String path, String contentType, byte[] body) {
    return sendWithHeaders(method, path, contentType, body, java.util.Map.of());
  }

  /** With extra request headers, e.g. {@code Authorization: Bearer ...} for the admin API. */
  public Response sendWithHeaders(String method, String path, String contentType, byte[] body, java.util.Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    headers.forEach(b::header);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
