package org.haochaping.gateway.province.envelope;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An HTTP request body as a province expects it, plus the headers that go with it.
 *
 * @param body the bytes to POST
 * @param contentType the {@code Content-Type} header
 * @param headers extra headers (none for the two envelopes here; other provinces put a token or
 *     an app id there); names compare case-insensitively
 */
public record SealedRequest(byte[] body, String contentType, Map<String, String> headers) {

  public static final String JSON_UTF8 = "application/json;charset=UTF-8";

  public SealedRequest {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(contentType, "contentType");
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      copy.putAll(headers);
    }
    headers = java.util.Collections.unmodifiableMap(copy);
  }

  /** A JSON body without extra headers, as received by a server. */
  public static SealedRequest json(byte[] body) {
    return new SealedRequest(body, JSON_UTF8, Map.of());
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  // Records compare arrays by identity; compare the bytes instead.
  @Override
  public boolean equals(Object o) {
    return o instanceof SealedRequest other
        && Arrays.equals(body, other.body)
        && contentType.equals(other.contentType)
        && headers.equals(other.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(body), contentType, headers);
  }

  @Override
  public String toString() {
    return "SealedRequest[" + body.length + " bytes, " + contentType + ", headers=" + headers.keySet() + "]";
  }
}
