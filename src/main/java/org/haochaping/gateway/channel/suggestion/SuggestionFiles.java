package org.haochaping.gateway.channel.suggestion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The suggestion drop folder ({@code HCP_DATA_DIR/inbox/suggestions}, route ingest-suggestion-files):
 * staff put the CSV or XLSX sheet they typed the box's cards into (000 第十六条 意见箱、意见簿); every
 * row goes through {@link SuggestionIntake}. The file then moves to {@code processed/} under a
 * time-stamped name, and the rows that were refused are written beside it to
 * {@code <name>.errors.csv}: the same columns plus the reason, to fix and drop in again.
 *
 * <p>If the gateway cannot store a row for now (database or broker down) the whole file is left in
 * the folder and read again at the next poll; the rows done before are recognised (same content, same
 * entry) and not counted twice.
 */
public final class SuggestionFiles {

  private static final Logger LOG = LoggerFactory.getLogger(SuggestionFiles.class);
  /** The name the file is moved to under processed/ (route: move=processed/${header.hcpProcessedName}). */
  public static final String PROCESSED_NAME = "hcpProcessedName";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  /** What one file came to. */
  public record Summary(String file, int rows, Map<SuggestionIntake.Result.Kind, Integer> outcomes, Path errorReport) {}

  private final SuggestionIntake intake;
  private final Clock clock;

  public SuggestionFiles(SuggestionIntake intake, Clock clock) {
    this.intake = intake;
    this.clock = clock;
  }

  public Summary process(Exchange exchange) {
    Path file = exchange.getMessage().getBody(java.io.File.class).toPath();
    String processedName = OffsetDateTime.now(clock).atZoneSameInstant(ChinaTime.ZONE).format(STAMP) + "-" + file.getFileName();
    Path processed = file.resolveSibling("processed");
    Summary s = process(file, processed.resolve(processedName + ".errors.csv"));
    exchange.getMessage().setHeader(PROCESSED_NAME, processedName);
    return s;
  }

  /** Reads every row of {@code file}; refused rows go to {@code errorReport}. Throws when a row could not be stored for now. */
  public Summary process(Path file, Path errorReport) {
    Map<SuggestionIntake.Result.Kind, Integer> outcomes = new EnumMap<>(SuggestionIntake.Result.Kind.class);
    SheetRows.Sheet sheet;
    try {
      sheet = SheetRows.read(file);
    } catch (SheetRows.Unreadable e) {
      writeReport(errorReport, List.of("原因 reason"), List.of(List.of(e.getMessage())));
      LOG.warn("Suggestion file {} unreadable: {}", file.getFileName(), e.getMessage());
      return new Summary(file.getFileName().toString(), 0, outcomes, errorReport);
    }
    List<List<String>> refused = new ArrayList<>();
    for (SheetRows.SheetRow row : sheet.rows()) {
      SuggestionIntake.Result r = intake.accept(Json.MAPPER.valueToTree(row.entry()));
      if (r.kind() == SuggestionIntake.Result.Kind.UNAVAILABLE) {
        throw new StoreException("suggestion file " + file.getFileName() + " row " + row.number() + " not stored for now: "
            + r.reason() + "; the file stays and is read again", null);
      }
      outcomes.merge(r.kind(), 1, Integer::sum);
      if (!r.done()) {
        List<String> line = new ArrayList<>();
        line.add(Integer.toString(row.number()));
        for (int c = 0; c < sheet.header().size(); c++) {
          line.add(c < row.cells().size() ? row.cells().get(c) : "");
        }
        line.add(r.reason());
        refused.add(line);
      }
    }
    Path report = null;
    if (!refused.isEmpty()) {
      List<String> header = new ArrayList<>();
      header.add("行号");
      header.addAll(sheet.header());
      header.add("原因");
      writeReport(errorReport, header, refused);
      report = errorReport;
    }
    LOG.info("Suggestion file {}: {} rows, {}", file.getFileName(), sheet.rows().size(), outcomes);
    return new Summary(file.getFileName().toString(), sheet.rows().size(), outcomes, report);
  }

  private static void writeReport(Path report, List<String> header, List<List<String>> rows) {
    StringBuilder b = new StringBuilder("\uFEFF"); // a BOM, so that Excel opens the Chinese as UTF-8
    b.append(csvLine(header));
    rows.forEach(r -> b.append(csvLine(r)));
    try {
      Files.createDirectories(report.getParent());
      Files.writeString(report, b.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String csvLine(List<String> cells) {
    List<String> out = new ArrayList<>();
    for (String c : cells) {
      String v = c == null ? "" : c;
      out.add(v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
    }
    return String.join(",", out) + "\r\n";
  }
}
