package org.haochaping.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.haochaping.gateway.Json;
import org.junit.jupiter.api.Test;

class InputSchemaTest {

  private final InputSchema rating = InputSchema.load("rating.v1.schema.json");

  private List<Violation> check(String json) throws Exception {
    return rating.check(Json.MAPPER.readTree(json));
  }

  @Test
  void everyMissingFieldIsNamed() throws Exception {
    assertThat(check("{}")).extracting(Violation::field).containsExactly("caseNo", "channel", "level");
    assertThat(check("{}")).extracting(Violation::rule).containsOnly("required");
  }

  @Test
  void nestedFieldsAreNamedWithTheirPath() throws Exception {
    List<Violation> v = check("{\"caseNo\":\"A\",\"channel\":\"APP\",\"level\":\"BASIC\","
        + "\"target\":{\"areaCode\":\"12\"},\"tags\":[\"ok\",\"$bad\"],\"evaluator\":{\"mobile\":\"1\"}}");
    assertThat(v).extracting(Violation::field).containsExactly("evaluator.mobile", "tags[1]", "target.areaCode");
    assertThat(v.get(2).message()).contains("12位");
    assertThat(v.get(2).messageEn()).contains("12-digit");
  }

  @Test
  void unknownFieldIsNamed() throws Exception {
    assertThat(check("{\"caseNo\":\"A\",\"channel\":\"APP\",\"level\":\"BASIC\",\"stars\":5}"))
        .extracting(Violation::field, Violation::rule).containsExactly(org.assertj.core.groups.Tuple.tuple("stars", "unknownField"));
  }

  @Test
  void fieldPathIsDerivedFromTheJsonPointer() {
    assertThat(InputSchema.fieldOf("/target/staffId")).isEqualTo("target.staffId");
    assertThat(InputSchema.fieldOf("/tags/2")).isEqualTo("tags[2]");
    assertThat(InputSchema.fieldOf("")).isEmpty();
  }
}
