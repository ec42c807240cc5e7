package org.haochaping.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {

  @Test
  void mobileKeepsPrefixAndLastFour() {
    assertThat(Masking.mobile("13812340000")).isEqualTo("138****0000");
  }

  @Test
  void idNumberKeepsFourAndFour() {
    assertThat(Masking.idNo("440881199001011233")).isEqualTo("4408**********1233");
  }

  @Test
  void nameKeepsTheFamilyName() {
    assertThat(Masking.name("张三丰")).isEqualTo("张**");
  }

  @Test
  void personNeverPrintsItself() {
    String text = new Person("张三", "111", "440881199001011233", "13812340000", "1").toString();
    assertThat(text).doesNotContain("13812340000").doesNotContain("440881199001011233").doesNotContain("张三,");
  }
}
