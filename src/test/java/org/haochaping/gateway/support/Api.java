package org.haochaping.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.channel.auth.RequestSignature;

/**
 * A small HTTP client for tests: what a departmental system would send, and what it gets back.
 * By default it signs every request as the generated demo client (DESIGN §4), reading its secret
 * from the gateway's credentials file; {@link #unsigned()} and {@link #admin()} call as others do.
 */
public final class Api {

  /** A response as a test reads it. */
  public record Response(int status, String contentType, String text, java.net.http.HttpHeaders headers) {
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

  private enum Mode { SIGNED, UNSIGNED, ADMIN }

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final Path dataDir;
  private final Mode mode;
  private final String appKey;
  private final String secret;
  private final String token;

  public Api(int port, Path dataDir) {
    this("http://127.0.0.1:" + port, dataDir, Mode.SIGNED, null, null, null);
  }

  private Api(String base, Path dataDir, Mode mode, String appKey, String secret, String token) {
    this.base = base;
    this.dataDir = dataDir;
    this.mode = mode;
    this.appKey = appKey;
    this.secret = secret;
    this.token = token;
  }

  /** The same gateway, without a signature: what an unknown caller gets. */
  public Api unsigned() {
    return new Api(base, dataDir, Mode.UNSIGNED, null, null, null);
  }

  /** The same gateway as the bootstrap operator (admin.token from the credentials file). */
  public Api admin() {
    return new Api(base, dataDir, Mode.ADMIN, null, null, credential("admin.token"));
  }

  /** The same gateway with a bearer token of one's own. */
  public Api bearer(String bearerToken) {
    return new Api(base, dataDir, Mode.ADMIN, null, null, bearerToken);
  }

  /** The same gateway signed as another client. */
  public Api as(String clientAppKey, String clientSecret) {
    return new Api(base, dataDir, Mode.SIGNED, clientAppKey, clientSecret, null);
  }

  public Response post(String path, String json) {
    return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  public Response post(String path, Object body) {
    return post(path, Json.text(body));
  }

  /** An HTML form as a browser posts it ({@code application/x-www-form-urlencoded}, UTF-8). */
  public Response form(String path, String... namesAndValues) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      if (b.length() > 0) {
        b.append('&');
      }
      b.append(java.net.URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8)).append('=')
          .append(java.net.URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
    }
    return send("POST", path, "application/x-www-form-urlencoded", b.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The response body as bytes (images). */
  public byte[] bytes(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
    if (mode == Mode.ADMIN) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
      }
      return r.body();
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The base URL, e.g. http://127.0.0.1:41234. */
  public String base() {
    return base;
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
    switch (mode) {
      case SIGNED -> {
        String key = appKey != null ? appKey : credential("client.demo.appKey");
        String sec = secret != null ? secret : credential("client.demo.secret");
        int q = path.indexOf('?');
        String signedPath = q < 0 ? path : path.substring(0, q);
        RequestSignature.headers(key, sec, method, signedPath, body).forEach(b::header);
      }
      case ADMIN -> b.header("Authorization", "Bearer " + token);
      case UNSIGNED -> { }
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A value from the gateway's generated credentials file. */
  public String credential(String key) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(dataDir.resolve("credentials.properties"))) {
      p.load(in);
    } catch (IOException e) {
      throw new AssertionError("no credentials file in " + dataDir + " (has the gateway started?)", e);
    }
    return p.getProperty(key);
  }
}
