package org.haochaping.gateway.channel.suggestion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.channel.RatingIntake;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.province.ProvinceCodeTables;
import org.haochaping.gateway.store.ChannelFeedback;
import org.haochaping.gateway.store.StoreException;

/**
 * One entry of a suggestion box, book or mailbox (000 第十二条, 第十六条), however it arrived (staff
 * entry over REST, a row of a CSV or XLSX file, a mail): an entry naming a case becomes a rating of
 * it (channel SUGGESTION_BOX, or MAILBOX); an entry without one is kept as feedback for the hall or
 * department and counted, not forwarded as a case rating.
 *
 * <p>Fields: {@code source} (BOX 意见箱, BOOK 意见簿, MAILBOX 电子邮箱), {@code hallCode}, {@code windowNo},
 * {@code deptCode}, {@code caseNo}, {@code level} (VERY_SATISFIED..., 非常满意..., or 1..5 with 5 = 非常满意),
 * {@code tags} (array or "510,517"), {@code comment}, {@code writtenAt} (date, or date and time, China
 * time), {@code enteredBy}, {@code ref} (the entry's own number; else its content identifies it).
 */
public final class SuggestionIntake {

  /** What became of one entry. */
  public record Result(Kind kind, String ratingId, Problem problem) {
    public enum Kind { RATING, FEEDBACK, DUPLICATE_FEEDBACK, REFUSED, UNAVAILABLE }

    public boolean done() {
      return kind == Kind.RATING || kind == Kind.FEEDBACK || kind == Kind.DUPLICATE_FEEDBACK;
    }

    /** The reason in one line (Chinese, then English) for an error report. */
    public String reason() {
      if (problem == null) {
        return "";
      }
      if (problem.violations() == null || problem.violations().isEmpty()) {
        return problem.title() + (problem.detail() == null ? "" : ": " + problem.detail());
      }
      return String.join("; ", problem.violations().stream().map(v -> v.field() + ": " + v.message() + " / " + v.messageEn()).toList());
    }
  }

  static final Map<String, Level> WORDS = Map.of("非常满意", Level.VERY_SATISFIED, "满意", Level.SATISFIED, "基本满意", Level.BASIC,
      "不满意", Level.DISSATISFIED, "非常不满意", Level.VERY_DISSATISFIED);
  static final List<String> SOURCES = List.of("BOX", "BOOK", "MAILBOX");

  private final RatingIntake intake;
  private final HallFeedback feedback;
  private final ProvinceCodeTables codes;
  private final MeterRegistry meters;

  public SuggestionIntake(RatingIntake intake, HallFeedback feedback, ProvinceCodeTables codes, MeterRegistry meters) {
    this.intake = intake;
    this.feedback = feedback;
    this.codes = codes;
    this.meters = meters;
  }

  public Result accept(JsonNode entry) {
    Result r = decide(entry);
    Counter.builder("hcp.suggestions.entries").description("Suggestion box, book and mailbox entries by outcome")
        .tag("source", source(entry)).tag("outcome", r.kind().name()).register(meters).increment();
    return r;
  }

  private Result decide(JsonNode entry) {
    List<Violation> v = new ArrayList<>();
    String source = source(entry);
    if (!SOURCES.contains(source)) {
      v.add(Violation.invalid("source", "enum", "source 应为 BOX（意见箱）、BOOK（意见簿）或 MAILBOX（电子邮箱）",
          "source must be BOX, BOOK or MAILBOX"));
    }
    String caseNo = text(entry, "caseNo");
    String hall = text(entry, "hallCode");
    String dept = text(entry, "deptCode");
    String comment = text(entry, "comment");
    Level level = null;
    String levelText = text(entry, "level");
    if (levelText != null) {
      level = level(levelText);
      if (level == null) {
        v.add(Violation.invalid("level", "knownCode", "评价“" + levelText + "”无法识别：应为 非常满意、满意、基本满意、不满意、非常不满意 或 1至5",
            "level '" + levelText + "' is not one of the five levels (words, names or 1..5 with 5 = very satisfied)"));
      }
    }
    List<String> tags = tags(entry);
    for (int i = 0; i < tags.size(); i++) {
      if (!codes.isTag(tags.get(i))) {
        v.add(Violation.invalid("tags[" + i + "]", "unknownTag", "评价标签 " + tags.get(i) + " 不在本省标签表中",
            "tag " + tags.get(i) + " is not in this province's tag table"));
      }
    }
    if (comment != null && comment.codePointCount(0, comment.length()) > 2000) {
      v.add(Violation.invalid("comment", "maxLength", "意见内容不能超过2000字", "comment must be at most 2000 characters"));
    }
    OffsetDateTime writtenAt = null;
    boolean writtenWithTime = false;
    String written = text(entry, "writtenAt");
    if (written != null) {
      writtenAt = time(written);
      writtenWithTime = written.length() > 10;
      if (writtenAt == null) {
        v.add(Violation.invalid("writtenAt", "format", "日期应为 yyyy-MM-dd 或 yyyy-MM-dd HH:mm[:ss]",
            "writtenAt must be yyyy-MM-dd or yyyy-MM-dd HH:mm[:ss]"));
      }
    }
    if (caseNo != null && level == null && levelText == null) {
      v.add(Violation.invalid("level", "required", "写明办件编号的意见即是对该办件的评价，须填写评价等级",
          "an entry naming a case is a rating of it: level is required"));
    }
    if (caseNo == null && hall == null && dept == null) {
      v.add(Violation.invalid("hallCode", "required", "没有办件编号时，须写明大厅编码（hallCode）或部门编码（deptCode）",
          "without a caseNo, hallCode or deptCode is required"));
    }
    if (caseNo == null && comment == null && level == null) {
      v.add(Violation.invalid("comment", "required", "意见内容和评价等级至少填写一项", "comment or level is required"));
    }
    if (!v.isEmpty()) {
      return new Result(Result.Kind.REFUSED, null, Problem.validation(v));
    }
    String channel = source.equals("MAILBOX") ? Channel.MAILBOX.name() : Channel.SUGGESTION_BOX.name();
    String ref = text(entry, "ref");
    String sourceRef = (source.equals("MAILBOX") ? "mail:" : "box:") + (ref != null ? ref : digest(entry));
    try {
      if (caseNo != null) {
        ObjectNode rating = Json.MAPPER.createObjectNode();
        rating.put("sourceRef", sourceRef);
        rating.put("caseNo", caseNo);
        rating.put("channel", channel);
        rating.put("level", level.name());
        if (!tags.isEmpty()) {
          ArrayNode a = rating.putArray("tags");
          tags.forEach(a::add);
        }
        if (comment != null) {
          rating.put("comment", comment);
        }
        if (writtenAt != null && writtenWithTime) {
          rating.put("ratedAt", writtenAt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        }
        RatingIntake.Outcome o = intake.submit(rating);
        if (o.accepted()) {
          return new Result(Result.Kind.RATING, o.ratingId(), null);
        }
        return new Result(o.status() == RatingIntake.Outcome.Status.UNAVAILABLE ? Result.Kind.UNAVAILABLE : Result.Kind.REFUSED, null,
            o.problem());
      }
      boolean fresh = feedback.keep(new ChannelFeedback.Entry(sourceRef, channel, source, hall, text(entry, "windowNo"), dept, null,
          level == null ? null : level.name(), tags, comment, writtenAt, text(entry, "enteredBy")));
      return new Result(fresh ? Result.Kind.FEEDBACK : Result.Kind.DUPLICATE_FEEDBACK, null, null);
    } catch (StoreException e) {
      return new Result(Result.Kind.UNAVAILABLE, null, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  static Level level(String text) {
    String t = text.strip();
    if (WORDS.containsKey(t)) {
      return WORDS.get(t);
    }
    if (t.matches("[1-5]")) {
      return Level.fromFiveStars(Integer.parseInt(t));
    }
    try {
      return Level.valueOf(t.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static OffsetDateTime time(String text) {
    String t = text.strip().replace('/', '-');
    try {
      if (t.length() == 10) {
        return LocalDate.parse(t).atStartOfDay(ChinaTime.ZONE).toOffsetDateTime();
      }
      if (t.contains("T")) {
        return ChinaTime.of(OffsetDateTime.parse(t));
      }
      String pattern = t.length() == 16 ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd HH:mm:ss";
      return LocalDateTime.parse(t, DateTimeFormatter.ofPattern(pattern)).atZone(ChinaTime.ZONE).toOffsetDateTime();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static List<String> tags(JsonNode entry) {
    List<String> out = new ArrayList<>();
    JsonNode t = entry.get("tags");
    if (t == null || t.isNull()) {
      return out;
    }
    if (t.isArray()) {
      t.forEach(x -> out.add(x.asText().strip()));
    } else {
      for (String s : t.asText().split("[,，、;；\\s]+")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    out.removeIf(String::isEmpty);
    return out;
  }

  private static String source(JsonNode entry) {
    String s = text(entry, "source");
    if (s == null) {
      return "BOX";
    }
    return switch (s) {
      case "意见箱" -> "BOX";
      case "意见簿" -> "BOOK";
      case "电子邮箱", "邮箱" -> "MAILBOX";
      default -> s.toUpperCase(Locale.ROOT);
    };
  }

  static String text(JsonNode entry, String field) {
    JsonNode n = entry.get(field);
    if (n == null || n.isNull() || n.isContainerNode()) {
      return null;
    }
    String s = n.asText().strip();
    return s.isEmpty() ? null : s;
  }

  /** The same entry, entered twice (a file dropped again), is the same entry. */
  private static String digest(JsonNode entry) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(Json.text(Json.canonical(entry)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
