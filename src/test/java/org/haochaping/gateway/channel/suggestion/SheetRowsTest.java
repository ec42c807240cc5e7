package org.haochaping.gateway.channel.suggestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the sheets staff type suggestion cards into. */
class SheetRowsTest {

  @Test
  void csvFollowsRfc4180() {
    assertThat(SheetRows.parseCsv("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\n"))
        .containsExactly(List.of("a", "b,c", "say \"hi\""), List.of("two\nlines", "", "x"));
  }

  @Test
  void utf8WithOrWithoutBomAndGb18030AreDecoded() {
    String text = "意见,大厅\n停车位太少,LJ\n";
    assertThat(SheetRows.decode(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
    assertThat(SheetRows.decode(("\uFEFF" + text).getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
    assertThat(SheetRows.decode(text.getBytes(Charset.forName("GB18030")))).isEqualTo(text);
  }

  @Test
  void chineseOrEnglishColumnNamesGiveTheEntrysFields(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("box.csv");
    Files.writeString(f, "\n日期,大厅,办件编号,评价,意见\n2026-11-22,LJ-ZWFW-01,C-1,满意,好\n,,,,\n", StandardCharsets.UTF_8);
    SheetRows.Sheet sheet = SheetRows.read(f);
    assertThat(sheet.rows()).hasSize(1);
    assertThat(sheet.rows().get(0).number()).isEqualTo(3);
    assertThat(sheet.rows().get(0).entry()).isEqualTo(Map.of("writtenAt", "2026-11-22", "hallCode", "LJ-ZWFW-01", "caseNo", "C-1",
        "level", "满意", "comment", "好"));
  }

  @Test
  void anUnknownColumnMakesTheFileUnreadableWithItsName(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("box.csv");
    Files.writeString(f, "日期,心情\n2026-11-22,好\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SheetRows.read(f)).isInstanceOf(SheetRows.Unreadable.class).hasMessageContaining("心情");
  }
}
