package org.haochaping.gateway.channel.suggestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.Rows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Suggestion boxes and books (000 第十六条): staff entries over REST and sheets dropped in the inbox
 * folder. An entry naming a case is a SUGGESTION_BOX rating of it; one without is the hall's
 * feedback, kept and counted; bad rows come back in an error report beside the processed file.
 */
@Tag("db")
class SuggestionBoxRouteTest extends GatewayTestSupport {

  @Override
  protected Properties useOverridePropertiesWithPropertiesComponent() {
    Properties p = super.useOverridePropertiesWithPropertiesComponent();
    p.setProperty("hcp.suggestions.pollMillis", "200");
    p.setProperty("hcp.suggestions.readLockMinAgeMillis", "300");
    return p;
  }

  private boolean casesPushed;

  @BeforeEach
  void cases() {
    if (casesPushed) {
      return;
    }
    casesPushed = true;
    for (String caseNo : List.of("BOX-1", "BOX-2", "BOX-3", "BOX-4")) {
      assertThat(api.post("/api/v1/cases", Fixtures.completedCase(caseNo)).status()).isEqualTo(201);
    }
  }

  private Path inbox() {
    return environment().dataDir().resolve("inbox").resolve("suggestions");
  }

  /** As staff copy a file in: written elsewhere, then moved into the folder. */
  private void drop(String name, byte[] content) throws IOException {
    Path staging = Files.createTempFile(environment().dataDir(), "staging", ".tmp");
    Files.write(staging, content);
    Files.createDirectories(inbox());
    Files.move(staging, inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private Path processed(String name, String suffix) throws IOException {
    Path dir = inbox().resolve("processed");
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith("-" + name + suffix)).findFirst().orElse(null);
    }
  }

  @Test
  void staffEntryNamingACaseIsARatingAndOneWithoutIsTheHallsFeedback() {
    Api.Response rating = api.post("/api/v1/suggestions", Map.of("source", "BOOK", "caseNo", "BOX-1", "level", "不满意",
        "comment", "等了很久", "enteredBy", "S0099"));
    assertThat(rating.status()).as(rating.text()).isEqualTo(202);
    Database db = bean("database", Database.class);
    Map<String, Object> row = await().atMost(Duration.ofSeconds(10)).until(() -> Rows.rating(db, rating.json().get("ratingId").asText()),
        x -> x != null);
    assertThat(row).containsEntry("channel", "SUGGESTION_BOX").containsEntry("level", "DISSATISFIED").containsEntry("comment_text", "等了很久");

    Map<String, Object> card = Map.of("source", "BOX", "hallCode", "LJ-ZWFW-01", "windowNo", "3", "comment", "建议增加座椅",
        "writtenAt", "2026-11-20");
    Api.Response fb = api.post("/api/v1/suggestions", card);
    assertThat(fb.status()).as(fb.text()).isEqualTo(201);
    assertThat(fb.json().get("kind").asText()).isEqualTo("FEEDBACK");
    assertThat(api.post("/api/v1/suggestions", card).status()).isEqualTo(200); // entered twice: kept once
    assertThat(Rows.query(db, "select * from channel_feedback where comment_text = ?", "建议增加座椅")).hasSize(1)
        .first().satisfies(f -> assertThat(f).containsEntry("channel", "SUGGESTION_BOX").containsEntry("hall_code", "LJ-ZWFW-01"));
    assertThat(Rows.query(db, "select * from ratings where comment_text = ?", "建议增加座椅")).isEmpty();

    Api.Response nowhere = api.post("/api/v1/suggestions", Map.of("comment", "不知道给谁"));
    assertThat(nowhere.status()).isEqualTo(400);
    assertThat(nowhere.json().get("violations").get(0).get("field").asText()).isEqualTo("hallCode");
    Api.Response noLevel = api.post("/api/v1/suggestions", Map.of("caseNo", "BOX-1", "comment", "x"));
    assertThat(noLevel.json().get("violations").get(0).get("rule").asText()).isEqualTo("required");

    String metrics = api.get("/observe/metrics").text();
    assertThat(metrics).contains("hcp_feedback_kept_total{channel=\"SUGGESTION_BOX\",source=\"BOX\"}");
  }

  @Test
  void aCsvSheetWithGoodAndBadRowsInGb18030() throws Exception {
    String csv = String.join("\r\n",
        "日期,大厅,窗口,办件编号,评价,标签,意见,录入人",
        "2026-11-22,LJ-ZWFW-01,12,BOX-2,满意,101,\"窗口人员很耐心，讲解清楚\",S0099",
        "2026-11-22,LJ-ZWFW-01,5,,,,\"希望延长午间办理时间\",S0099",
        "2026-11-22,LJ-ZWFW-01,12,BOX-3,还可以,,,S0099",
        "2026-11-22,LJ-ZWFW-01,12,BOX-NONE,不满意,513,,S0099",
        "2026-11-22,,,,,,\"没写大厅\",S0099",
        "");
    // Excel on Chinese Windows saves "CSV" in GB18030 (GBK).
    drop("意见簿-1122.csv", csv.getBytes(Charset.forName("GB18030")));

    Path done = await().atMost(Duration.ofSeconds(20)).until(() -> processed("意见簿-1122.csv", ""), p -> p != null);
    assertThat(Files.exists(inbox().resolve("意见簿-1122.csv"))).isFalse();
    Path report = processed("意见簿-1122.csv", ".errors.csv");
    assertThat(report).as("error report beside " + done).isNotNull();
    List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(4); // header + 3 refused rows
    assertThat(lines.get(0)).endsWith("原因");
    assertThat(lines.get(1)).startsWith("4,").contains("还可以");
    assertThat(lines.get(2)).startsWith("5,").contains("BOX-NONE", "caseNo");
    assertThat(lines.get(3)).startsWith("6,").contains("hallCode");

    Database db = bean("database", Database.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> Rows.query(db, "select * from ratings where case_no = ?", "BOX-2"), r -> r.size() == 1);
    assertThat(Rows.query(db, "select * from ratings where case_no = ?", "BOX-2").get(0))
        .containsEntry("channel", "SUGGESTION_BOX").containsEntry("level", "SATISFIED").containsEntry("comment_text", "窗口人员很耐心，讲解清楚");
    assertThat(Rows.query(db, "select * from channel_feedback where comment_text = ?", "希望延长午间办理时间")).hasSize(1);
  }

  @Test
  void anXlsxSheetWithGoodAndBadRows() throws Exception {
    byte[] xlsx;
    try (XSSFWorkbook book = new XSSFWorkbook(); java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
      Sheet sheet = book.createSheet("意见箱");
      String[][] rows = {
          {"source", "hallCode", "caseNo", "level", "tags", "comment"},
          {"BOX", "LJ-ZWFW-01", "BOX-4", "5", "", "办事很快"},
          {"BOX", "LJ-ZWFW-01", "", "", "", "饮水机坏了"},
          {"BOX", "LJ-ZWFW-01", "BOX-4", "非常不满意", "999", ""},
      };
      for (int r = 0; r < rows.length; r++) {
        Row row = sheet.createRow(r);
        for (int c = 0; c < rows[r].length; c++) {
          row.createCell(c).setCellValue(rows[r][c]);
        }
      }
      book.write(out);
      xlsx = out.toByteArray();
    }
    drop("意见箱-1123.xlsx", xlsx);

    await().atMost(Duration.ofSeconds(20)).until(() -> processed("意见箱-1123.xlsx", ""), p -> p != null);
    List<String> lines = Files.readAllLines(processed("意见箱-1123.xlsx", ".errors.csv"), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).startsWith("4,").contains("999");
    Database db = bean("database", Database.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> Rows.query(db, "select * from ratings where case_no = ?", "BOX-4"), r -> r.size() == 1);
    assertThat(Rows.query(db, "select * from ratings where case_no = ?", "BOX-4").get(0)).containsEntry("level", "VERY_SATISFIED");
    assertThat(Rows.query(db, "select * from channel_feedback where comment_text = ?", "饮水机坏了")).hasSize(1);
  }

  @Test
  void aFileThatIsNotASheetIsReportedNotLost() throws Exception {
    drop("broken.xlsx", "this is not a workbook".getBytes(StandardCharsets.UTF_8));
    Path report = await().atMost(Duration.ofSeconds(20)).until(() -> processed("broken.xlsx", ".errors.csv"), p -> p != null);
    assertThat(Files.readString(report)).contains("XLSX");
    assertThat(processed("broken.xlsx", "")).isNotNull();
  }
}
