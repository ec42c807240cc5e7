package org.haochaping.gateway.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever a client sends, it gets a 4xx problem document naming what is wrong, never a 500. */
@Tag("db")
class MalformedInputTest extends GatewayTestSupport {

  static Stream<Arguments> malformed() {
    String big = "{\"caseNo\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
    return Stream.of(
        Arguments.of("empty body", "POST", "/api/v1/ratings", "application/json", "", 400, "MALFORMED_JSON"),
        Arguments.of("not JSON", "POST", "/api/v1/ratings", "application/json", "level=SATISFIED", 400, "MALFORMED_JSON"),
        Arguments.of("truncated JSON", "POST", "/api/v1/ratings", "application/json", "{\"caseNo\":\"A\",", 400, "MALFORMED_JSON"),
        Arguments.of("JSON array to single", "POST", "/api/v1/ratings", "application/json", "[]", 400, "MALFORMED_JSON"),
        Arguments.of("JSON string", "POST", "/api/v1/ratings", "application/json", "\"hello\"", 400, "MALFORMED_JSON"),
        Arguments.of("null", "POST", "/api/v1/ratings", "application/json", "null", 400, "MALFORMED_JSON"),
        Arguments.of("wrong type of caseNo", "POST", "/api/v1/ratings", "application/json", "{\"caseNo\":12,\"channel\":\"APP\",\"level\":\"SATISFIED\"}", 400, "VALIDATION_FAILED"),
        Arguments.of("unknown level", "POST", "/api/v1/ratings", "application/json", "{\"caseNo\":\"A\",\"channel\":\"APP\",\"level\":\"GOOD\"}", 400, "VALIDATION_FAILED"),
        Arguments.of("missing everything", "POST", "/api/v1/ratings", "application/json", "{}", 400, "VALIDATION_FAILED"),
        Arguments.of("unknown field", "POST", "/api/v1/ratings", "application/json", "{\"caseNo\":\"A\",\"channel\":\"APP\",\"level\":\"BASIC\",\"stars\":5}", 400, "VALIDATION_FAILED"),
        Arguments.of("assessNumber 3", "POST", "/api/v1/ratings", "application/json", "{\"caseNo\":\"A\",\"channel\":\"APP\",\"level\":\"BASIC\",\"assessNumber\":3}", 400, "VALIDATION_FAILED"),
        Arguments.of("ratedAt not a time", "POST", "/api/v1/ratings", "application/json", "{\"caseNo\":\"A\",\"channel\":\"APP\",\"level\":\"BASIC\",\"ratedAt\":\"yesterday\"}", 400, "VALIDATION_FAILED"),
        Arguments.of("bad mobile", "POST", "/api/v1/ratings", "application/json", "{\"caseNo\":\"A\",\"channel\":\"APP\",\"level\":\"BASIC\",\"evaluator\":{\"mobile\":\"12345\"}}", 400, "VALIDATION_FAILED"),
        Arguments.of("tags not an array", "POST", "/api/v1/ratings", "application/json", "{\"caseNo\":\"A\",\"channel\":\"APP\",\"level\":\"BASIC\",\"tags\":\"510\"}", 400, "VALIDATION_FAILED"),
        Arguments.of("deeply nested garbage", "POST", "/api/v1/ratings", "application/json", "[".repeat(5000), 400, "MALFORMED_JSON"),
        Arguments.of("text/plain", "POST", "/api/v1/ratings", "text/plain", "{}", 415, "UNSUPPORTED_MEDIA_TYPE"),
        Arguments.of("no content type", "POST", "/api/v1/cases", null, "{}", 415, "UNSUPPORTED_MEDIA_TYPE"),
        Arguments.of("oversize single", "POST", "/api/v1/ratings", "application/json", big, 413, "PAYLOAD_TOO_LARGE"),
        Arguments.of("case with bad area code", "POST", "/api/v1/cases", "application/json",
            "{\"caseNo\":\"A\",\"taskCode\":\"T\",\"itemName\":\"I\",\"deptCode\":\"D\",\"areaCode\":\"4408\",\"mode\":\"WINDOW\",\"acceptedAt\":\"2026-11-01T09:00:00+08:00\"}", 400, "VALIDATION_FAILED"),
        Arguments.of("event of unknown type", "POST", "/api/v1/cases/A/events", "application/json", "{\"type\":\"EXPLODED\"}", 400, "VALIDATION_FAILED"),
        Arguments.of("unknown path", "GET", "/api/v1/nothing", null, null, 404, "NOT_FOUND"),
        Arguments.of("wrong method", "DELETE", "/api/v1/ratings", null, null, 405, "METHOD_NOT_ALLOWED"),
        Arguments.of("batch not an array", "POST", "/api/v1/ratings/batch", "application/json", "{\"a\":1}", 400, "MALFORMED_JSON"),
        Arguments.of("invalid UTF-8", "POST", "/api/v1/ratings", "application/json", "{\"caseNo\":\"\u00ff\u00fe\"}", 400, null));
  }

  @ParameterizedTest(name = "{0} -> {5}")
  @MethodSource("malformed")
  void malformedInputIsAnswered4xxWithAProblem(String name, String method, String path, String contentType, String body,
      int status, String code) {
    byte[] bytes = body == null ? null : name.equals("invalid UTF-8") ? new byte[] {'{', '"', 'c', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}
        : body.getBytes(StandardCharsets.UTF_8);
    Api.Response r = api.send(method, path, contentType, bytes);
    assertThat(r.status()).as(name + ": " + r).isEqualTo(status);
    assertThat(r.contentType()).as(name).startsWith("application/problem+json");
    if (code != null) {
      assertThat(r.json().get("code").asText()).as(name).isEqualTo(code);
    }
    assertThat(r.json().get("title").asText()).as("bilingual title").contains(" / ");
  }

  @Test
  void oversizeBatchBeyondItsOwnLimitIs413() {
    // The batch limit is 32 MiB by default; 33 MiB of whitespace inside an array is refused before it is parsed.
    byte[] body = new byte[33 * 1024 * 1024];
    java.util.Arrays.fill(body, (byte) ' ');
    body[0] = '[';
    body[body.length - 1] = ']';
    Api.Response r = api.send("POST", "/api/v1/ratings/batch", "application/json", body);
    assertThat(r.status()).isEqualTo(413);
  }

  @Test
  void nothingWasStoredByAnyOfThem() {
    assertThat(bean("ratingLedger", org.haochaping.gateway.store.RatingLedger.class).count()).isZero();
  }
}
