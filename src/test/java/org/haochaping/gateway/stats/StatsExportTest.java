package org.haochaping.gateway.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsExportTest {

  @Test
  void textsASpreadsheetWouldRunAreNeutralised() {
    assertThat(StatsExport.neutralise("=HYPERLINK(\"http://x\")")).isEqualTo("'=HYPERLINK(\"http://x\")");
    assertThat(StatsExport.neutralise("+1")).isEqualTo("'+1");
    assertThat(StatsExport.neutralise("-2+3")).isEqualTo("'-2+3");
    assertThat(StatsExport.neutralise("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(StatsExport.neutralise("\tcmd")).isEqualTo("'\tcmd");
    assertThat(StatsExport.neutralise("廉江市市场监督管理局")).isEqualTo("廉江市市场监督管理局");
    assertThat(StatsExport.neutralise("")).isEmpty();
  }
}
