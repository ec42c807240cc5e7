package org.haochaping.gateway.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AreaScopeTest {

  @Test
  void aCodeCoversEveryCodeUnderItsLevel() {
    AreaScope county = AreaScope.of("440881000000").orElseThrow();
    assertThat(county.prefix()).isEqualTo("440881");
    assertThat(county.level()).isEqualTo("COUNTY");
    assertThat(county.contains("440881000000")).isTrue();
    assertThat(county.contains("440881102203")).isTrue();
    assertThat(county.contains("440882000000")).isFalse();
    assertThat(AreaScope.of("440000000000").orElseThrow().prefix()).isEqualTo("44");
    assertThat(AreaScope.of("440800000000").orElseThrow().level()).isEqualTo("CITY");
    assertThat(AreaScope.of("440881001000").orElseThrow().prefix()).isEqualTo("440881001");
    assertThat(AreaScope.of("440881001002").orElseThrow().level()).isEqualTo("VILLAGE");
    assertThat(AreaScope.of("000000000000").orElseThrow().all()).isTrue();
  }

  @Test
  void onlyTwelveDigitsAreACode() {
    assertThat(AreaScope.of("4408810")).isEmpty();
    assertThat(AreaScope.of("44088100000x")).isEmpty();
    assertThat(AreaScope.of(null)).isEmpty();
  }

  @Test
  void theRegionsOneLevelDownLeaveOutTheRegionsOwnLevel() {
    AreaScope county = AreaScope.of("440881000000").orElseThrow();
    assertThat(county.childOf("440881001000")).contains(new AreaScope("440881001"));
    assertThat(county.childOf("440881002105")).contains(new AreaScope("440881002"));
    assertThat(county.childOf("440881000000")).isEmpty();
    assertThat(county.childOf("440882001000")).isEmpty();
    assertThat(new AreaScope("440881001").code()).isEqualTo("440881001000");
    assertThat(AreaScope.ALL.childOf("440881001000")).contains(new AreaScope("44"));
  }
}
