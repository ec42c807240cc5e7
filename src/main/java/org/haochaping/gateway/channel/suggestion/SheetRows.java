package org.haochaping.gateway.channel.suggestion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;

/**
 * The rows of a sheet staff typed the box's cards into: CSV (UTF-8, or GB18030 as Excel saves it on
 * Chinese Windows) or XLSX (the first sheet). The first non-empty row names the columns, in Chinese
 * or English; each later non-empty row is one entry keyed by the canonical field name.
 */
public final class SheetRows {

  /** One row: its number in the sheet (1 = the header), the entry, and the cells as typed. */
  public record SheetRow(int number, Map<String, String> entry, List<String> cells) {}

  /** A sheet: the header as typed and the rows. */
  public record Sheet(List<String> header, List<SheetRow> rows) {}

  /** A file that cannot be read as a sheet at all. */
  public static final class Unreadable extends Exception {
    public Unreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Column names staff may use, to the entry's fields (SuggestionIntake). */
  static final Map<String, String> COLUMNS = new LinkedHashMap<>();

  static {
    alias("source", "来源", "类型", "source");
    alias("hallCode", "大厅", "大厅编码", "hallcode", "hall");
    alias("windowNo", "窗口", "窗口号", "windowno", "window");
    alias("deptCode", "部门", "部门编码", "deptcode", "dept");
    alias("caseNo", "办件编号", "办件号", "caseno", "projectno");
    alias("level", "评价", "满意度", "评价等级", "level");
    alias("tags", "标签", "评价标签", "tags");
    alias("comment", "意见", "内容", "意见内容", "意见建议", "comment");
    alias("writtenAt", "日期", "填写日期", "时间", "writtenat", "date");
    alias("enteredBy", "录入人", "录入", "enteredby");
    alias("ref", "编号", "卡片编号", "ref");
  }

  private static void alias(String field, String... names) {
    for (String n : names) {
      COLUMNS.put(n, field);
    }
  }

  private SheetRows() {}

  public static Sheet read(Path file) throws Unreadable {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    List<List<String>> cells = name.endsWith(".xlsx") ? xlsx(file) : csv(file);
    List<String> header = null;
    List<SheetRow> rows = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      List<String> row = cells.get(i);
      if (row.stream().allMatch(String::isBlank)) {
        continue;
      }
      if (header == null) {
        header = row.stream().map(String::strip).toList();
        for (String h : header) {
          if (!h.isBlank() && !COLUMNS.containsKey(h.toLowerCase(java.util.Locale.ROOT)) && !COLUMNS.containsKey(h)
              && !h.equals("原因") && !h.equals("行号")) {
            throw new Unreadable("未知的列“" + h + "”（可用：" + String.join("、", COLUMNS.keySet()) + "） / unknown column '" + h + "'", null);
          }
        }
        continue;
      }
      Map<String, String> entry = new LinkedHashMap<>();
      for (int c = 0; c < header.size() && c < row.size(); c++) {
        String field = COLUMNS.getOrDefault(header.get(c), COLUMNS.get(header.get(c).toLowerCase(java.util.Locale.ROOT)));
        if (field != null && !row.get(c).isBlank()) {
          entry.put(field, row.get(c).strip());
        }
      }
      rows.add(new SheetRow(i + 1, entry, row));
    }
    if (header == null) {
      throw new Unreadable("文件为空 / the file is empty", null);
    }
    return new Sheet(header, rows);
  }

  static List<List<String>> csv(Path file) throws Unreadable {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new Unreadable("无法读取文件 / cannot read the file: " + e.getMessage(), e);
    }
    return parseCsv(decode(bytes));
  }

  /** UTF-8 when the bytes are valid UTF-8 (BOM or not), else GB18030 (Excel's "CSV" on Chinese Windows). */
  static String decode(byte[] bytes) {
    try {
      String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      return s.startsWith("\uFEFF") ? s.substring(1) : s;
    } catch (CharacterCodingException e) {
      return new String(bytes, Charset.forName("GB18030"));
    }
  }

  /** RFC 4180: commas, double quotes ("" inside quotes), line breaks inside quotes, CRLF or LF. */
  static List<List<String>> parseCsv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else {
        cell.append(ch);
      }
    }
    if (cell.length() > 0 || !row.isEmpty()) {
      row.add(cell.toString());
      rows.add(row);
    }
    return rows;
  }

  static List<List<String>> xlsx(Path file) throws Unreadable {
    DataFormatter format = new DataFormatter();
    DateTimeFormatter dayTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    try (InputStream in = Files.newInputStream(file); Workbook book = WorkbookFactory.create(in)) {
      org.apache.poi.ss.usermodel.Sheet sheet = book.getSheetAt(0);
      List<List<String>> rows = new ArrayList<>();
      for (int r = 0; r <= sheet.getLastRowNum(); r++) {
        Row row = sheet.getRow(r);
        List<String> cells = new ArrayList<>();
        if (row != null) {
          for (int c = 0; c < row.getLastCellNum(); c++) {
            Cell cell = row.getCell(c);
            if (cell == null) {
              cells.add("");
            } else if (cell.getCellType() == CellType.NUMERIC && DateUtil.isCellDateFormatted(cell)) {
              LocalDateTime t = cell.getLocalDateTimeCellValue();
              cells.add(t.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? t.toLocalDate().toString() : t.format(dayTime));
            } else {
              cells.add(format.formatCellValue(cell));
            }
          }
        }
        rows.add(cells);
      }
      return rows;
    } catch (IOException | RuntimeException e) {
      throw new Unreadable("不是可读的 XLSX 文件 / not a readable XLSX file: " + e.getMessage(), e);
    }
  }
}
