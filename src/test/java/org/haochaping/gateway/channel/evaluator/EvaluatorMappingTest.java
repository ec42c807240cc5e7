package org.haochaping.gateway.channel.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.Parser;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.policy.InputSchema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** mappings/channel/evaluator.jslt turns a device's payload into the canonical rating (the route's second step). */
class EvaluatorMappingTest {

  private static final Expression MAPPING = load();

  @Test
  void theExampleBesideTheMappingMapsToItsCanonicalForm() throws Exception {
    JsonNode out = map(resource("mappings/channel/evaluator.example.json"));
    assertThat(out).isEqualTo(resource("mappings/channel/evaluator.example.canonical.json"));
    // The device's payload passes its own schema, and the result passes the canonical schema.
    assertThat(InputSchema.load("evaluator-rating.v1.schema.json").check(resource("mappings/channel/evaluator.example.json"))).isEmpty();
    assertThat(InputSchema.load("rating.v1.schema.json").check(out)).isEmpty();
  }

  @ParameterizedTest(name = "satisfaction {0} -> {1}")
  @CsvSource({"5, VERY_SATISFIED", "4, SATISFIED", "3, BASIC", "2, DISSATISFIED", "1, VERY_DISSATISFIED"})
  void satisfactionFiveIsVerySatisfied(int satisfaction, String level) {
    ObjectNode in = Json.MAPPER.createObjectNode().put("msgId", "m").put("caseNo", "C").put("satisfaction", satisfaction);
    assertThat(map(in).get("level").asText()).isEqualTo(level);
  }

  @Test
  void fieldsTheDeviceLeavesOutAreLeftOut() {
    JsonNode out = map(Json.MAPPER.createObjectNode().put("msgId", "m").put("caseNo", "C").put("satisfaction", 5));
    assertThat(out.has("tags")).isFalse();
    assertThat(out.has("comment")).isFalse();
    assertThat(out.has("ratedAt")).isFalse();
    assertThat(out.get("channel").asText()).isEqualTo("EVALUATOR");
    // The staff member and the item come from the case (target.type too): the device names only its window.
    assertThat(out.get("target").has("type")).isFalse();
    assertThat(out.get("target").get("windowNo").asText()).isEqualTo("12");
  }

  private static JsonNode map(JsonNode in) {
    JsonNode headers = Json.MAPPER.valueToTree(Map.of("deviceId", "EV-0001", "hallCode", "LJ-ZWFW-01", "windowNo", "12"));
    return MAPPING.apply(Map.of("headers", headers), in);
  }

  private static Expression load() {
    try (InputStream in = EvaluatorMappingTest.class.getClassLoader().getResourceAsStream("mappings/channel/evaluator.jslt")) {
      return Parser.compileString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode resource(String path) throws java.io.IOException {
    try (InputStream in = EvaluatorMappingTest.class.getClassLoader().getResourceAsStream(path)) {
      return Json.MAPPER.readTree(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
  }
}
