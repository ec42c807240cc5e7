package org.haochaping.gateway.stats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.haochaping.gateway.model.Level;

/**
 * The published results (002 第十五条: 评价结果 ... 对外公开) of a ranking as CSV or XLSX. Only figures of units
 * are in it — never an evaluator, a mobile, a comment. A text cell that a spreadsheet would take for a formula
 * (starting with = + - @, a tab or a carriage return) is neutralised with a leading apostrophe.
 */
public final class StatsExport {

  private record Column(String header, Function<StatsService.Ranked, Object> value) {}

  private static final List<Column> COLUMNS = columns();

  private StatsExport() {}

  private static List<Column> columns() {
    List<Column> c = new ArrayList<>();
    c.add(new Column("排名 rank", r -> r.rank()));
    c.add(new Column("代码 code", r -> r.figures().code()));
    c.add(new Column("名称 name", r -> r.figures().name()));
    c.add(new Column("得分 score", r -> r.figures().score()));
    c.add(new Column("评价数 ratings", r -> r.figures().ratingCount()));
    for (Level l : Level.values()) {
      c.add(new Column(l.label() + " " + l.name(), r -> r.figures().levelCount(l)));
    }
    c.add(new Column("好评率% goodRate", r -> r.figures().goodRate()));
    c.add(new Column("差评率% badRate", r -> r.figures().badRate()));
    c.add(new Column("默认评价数 defaulted", r -> r.figures().defaulted()));
    c.add(new Column("办件数 cases", r -> r.figures().hasCases() ? r.figures().cases() : null));
    c.add(new Column("主动评价办件数 activelyRated", r -> r.figures().hasCases() ? r.figures().count(Marks.ACTIVE) : null));
    c.add(new Column("参评率% participationRate", r -> r.figures().participationRate()));
    c.add(new Column("覆盖度% coverage", r -> r.figures().value("coverage")));
    c.add(new Column("差评工单数 workOrders", r -> r.figures().hasWorkOrders() ? r.figures().workOrders() : null));
    c.add(new Column("已处理工单数 handled", r -> r.figures().hasWorkOrders() ? r.figures().count(Marks.WO_HANDLED) : null));
    c.add(new Column("整改率% workOrderRate", r -> r.figures().workOrderRate()));
    c.add(new Column("大厅数 halls", r -> r.figures().hasHallFigures() ? r.figures().hallCount() : null));
    c.add(new Column("有评价大厅数 ratedHalls", r -> r.figures().hasHallFigures() ? r.figures().ratedHallCount() : null));
    c.add(new Column("大厅推广率% hallPromotionRate", r -> r.figures().hallPromotionRate()));
    c.add(new Column("综合评分 composite", r -> r.figures().composite() == null ? null : r.figures().composite().score()));
    c.add(new Column("计分公式 formula", r -> r.figures().composite() == null ? null : r.figures().composite().formula()));
    return c;
  }

  /** A text that a spreadsheet could run as a formula (CSV injection), made inert. */
  static String neutralise(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    char first = text.charAt(0);
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + text : text;
  }

  /** RFC 4180 CSV in UTF-8 with a byte-order mark (so that Excel reads the Chinese), CRLF line ends. */
  public static byte[] csv(List<StatsService.Ranked> rows) {
    StringBuilder out = new StringBuilder("\uFEFF");
    out.append(String.join(",", COLUMNS.stream().map(col -> quote(col.header())).toList())).append("\r\n");
    for (StatsService.Ranked r : rows) {
      List<String> cells = new ArrayList<>();
      for (Column col : COLUMNS) {
        Object v = col.value().apply(r);
        cells.add(v == null ? "" : v instanceof Double d ? Double.toString(UnitFigures.round(d)) : v instanceof Number ? v.toString()
            : quote(neutralise(v.toString())));
      }
      out.append(String.join(",", cells)).append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** One sheet; numbers are numeric cells, texts are neutralised text cells. */
  public static byte[] xlsx(String sheetName, List<StatsService.Ranked> rows) {
    try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      Sheet sheet = wb.createSheet(sheetName);
      CellStyle bold = wb.createCellStyle();
      Font font = wb.createFont();
      font.setBold(true);
      bold.setFont(font);
      Row header = sheet.createRow(0);
      for (int i = 0; i < COLUMNS.size(); i++) {
        Cell cell = header.createCell(i);
        cell.setCellValue(COLUMNS.get(i).header());
        cell.setCellStyle(bold);
      }
      int rowNo = 1;
      for (StatsService.Ranked r : rows) {
        Row row = sheet.createRow(rowNo++);
        for (int i = 0; i < COLUMNS.size(); i++) {
          Object v = COLUMNS.get(i).value().apply(r);
          if (v == null) {
            continue;
          }
          Cell cell = row.createCell(i);
          if (v instanceof Double d) {
            cell.setCellValue(UnitFigures.round(d));
          } else if (v instanceof Number n) {
            cell.setCellValue(n.doubleValue());
          } else {
            cell.setCellValue(neutralise(v.toString()));
          }
        }
      }
      sheet.createFreezePane(0, 1);
      wb.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the spreadsheet", e);
    }
  }
}
