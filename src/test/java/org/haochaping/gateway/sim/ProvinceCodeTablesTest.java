package org.haochaping.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.haochaping.gateway.province.ProvinceCodeTables;
import org.junit.jupiter.api.Test;

class ProvinceCodeTablesTest {

  private final ProvinceCodeTables guangdong = ProvinceCodeTables.load("guangdong");
  private final ProvinceCodeTables guangxi = ProvinceCodeTables.load("guangxi");

  @Test
  void satisfactionRunsInOppositeDirections() {
    assertThat(guangdong.levelOf("5")).contains("VERY_SATISFIED");
    assertThat(guangdong.levelOf("1")).contains("VERY_DISSATISFIED");
    assertThat(guangxi.levelOf("1")).contains("VERY_SATISFIED");
    assertThat(guangxi.levelOf("5")).contains("VERY_DISSATISFIED");
    assertThat(guangdong.badSatisfactionCodes()).containsExactly("1", "2");
    assertThat(guangxi.badSatisfactionCodes()).containsExactly("4", "5");
  }

  @Test
  void channelCodesDifferPerProvince() {
    assertThat(guangdong.pfOf("SYSTEM_DEFAULT")).contains("8");
    assertThat(guangxi.pfOf("SYSTEM_DEFAULT")).contains("7");
    assertThat(guangdong.isPf("7")).isTrue(); // 短信 in Guangdong
    assertThat(guangdong.isPf("0")).isFalse();
  }

  @Test
  void tagsKnowTheirPolarity() {
    assertThat(guangdong.isBadTag("517")).isTrue();
    assertThat(guangdong.isBadTag("101")).isFalse();
    assertThat(guangdong.isTag("101")).isTrue();
    assertThat(guangxi.isBadTag("B01")).isTrue();
    assertThat(guangxi.isTag("517")).isFalse();
  }

  @Test
  void identityAndUserCodesAreKnown() {
    assertThat(guangdong.isIdType("111")).isTrue();
    assertThat(guangdong.isIdType("001")).isTrue();
    assertThat(guangdong.isUserProp("9")).isTrue();
    assertThat(guangdong.isUserProp("7")).isFalse();
  }

  @Test
  void unknownProvinceIsNamed() {
    assertThatThrownBy(() -> ProvinceCodeTables.load("hainan")).hasMessageContaining("mappings/codes/hainan/");
    assertThatThrownBy(() -> ProvinceCodeTables.load("../etc")).isInstanceOf(IllegalArgumentException.class);
  }
}
